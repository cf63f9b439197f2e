import { createOpenAI } from '@ai-sdk/openai';
import { embed, generateText, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeProvider, type FakeProvider } from '../src/demo/fake-provider.ts';
import { flush, init, shutdown, trace, withSession, withUser } from '../src/index.ts';
import { vercelTelemetry } from '../src/integrations/vercel-ai.ts';
import { byName, fetchTrace, startTestServer, type TestServer } from './helpers/pyflare-server.ts';

/**
 * The Vercel AI SDK's own telemetry (`experimental_telemetry`), exported by @pyflare/sdk to a
 * real server: the server's normalization of its `ai.*` attributes gives correct traces.
 */

let server: TestServer;
let fake: FakeProvider;
let openai: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  [server, fake] = await Promise.all([startTestServer(), startFakeProvider()]);
  init({
    endpoint: server.otlpHttpUrl,
    apiKey: server.adminKey,
    serviceName: 'vercel-e2e',
    captureContent: true,
    scheduledDelayMillis: 50,
  });
  openai = createOpenAI({ baseURL: fake.openaiBaseUrl, apiKey: 'sk-fake' });
});

afterAll(async () => {
  await shutdown();
  await Promise.all([server?.stop(), fake?.close()]);
});

describe('Vercel AI SDK telemetry', () => {
  it('generateText with a tool: steps, tool call, tokens counted once, user and session', async () => {
    let traceId = '';
    const result = await withUser('vera', () =>
      withSession('chat-9', () =>
        trace('route /api/chat', (span) => {
          traceId = span.spanContext().traceId;
          return generateText({
            model: openai.chat('gpt-4o-mini'),
            prompt: 'What is the weather in Oslo?',
            tools: {
              get_weather: tool({
                description: 'Weather for a city',
                inputSchema: z.object({ city: z.string() }),
                execute: async ({ city }) => ({ city, tempC: 4 }),
              }),
            },
            stopWhen: stepCountIs(3),
            experimental_telemetry: vercelTelemetry({ functionId: 'weather-bot' }),
          });
        }),
      ),
    );
    await flush();
    const spans = await fetchTrace(server, traceId, 5);
    const root = byName(spans, 'route /api/chat');
    const whole = byName(spans, 'ai.generateText');
    expect(whole.parentSpanId).toBe(root.spanId);
    expect(whole).toMatchObject({
      operation: 'chain',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      userId: 'vera',
      sessionId: 'chat-9',
      inputTokens: 0,
    });
    expect(whole.outputText).toBe(result.text);

    const steps = spans.filter((s) => s.name === 'ai.generateText.doGenerate');
    expect(steps).toHaveLength(2);
    for (const s of steps) {
      expect(s.parentSpanId).toBe(whole.spanId);
      expect(s).toMatchObject({
        operation: 'llm',
        provider: 'openai',
        requestModel: 'gpt-4o-mini',
        responseModel: 'gpt-4o-mini-2024-07-18',
      });
    }
    expect(steps[0]!.outputMessages?.[0]?.toolCalls?.[0]).toMatchObject({
      name: 'get_weather',
      arguments: '{"city":"Oslo"}',
    });
    expect(steps[1]!.inputMessages?.at(-1)).toMatchObject({
      role: 'tool',
      content: '{"city":"Oslo","tempC":4}',
    });
    // Tokens are those of the provider calls, once: the trace total is their sum.
    const total = result.totalUsage;
    expect(steps[0]!.inputTokens + steps[1]!.inputTokens).toBe(total.inputTokens);
    expect(steps[0]!.outputTokens + steps[1]!.outputTokens).toBe(total.outputTokens);
    const summary = (await (await server.api(`/api/v1/traces/${traceId}`)).json()) as {
      trace: { totalTokens: number };
    };
    expect(summary.trace.totalTokens).toBe(total.totalTokens);

    const toolSpan = byName(spans, 'ai.toolCall');
    expect(toolSpan).toMatchObject({ operation: 'tool', inputText: '{"city":"Oslo"}' });
    expect(JSON.parse(toolSpan.outputText)).toEqual({ city: 'Oslo', tempC: 4 });
  });

  it('streamText (Responses API) and embed', async () => {
    let traceId = '';
    let text = '';
    await trace('stream and embed', async (span) => {
      traceId = span.spanContext().traceId;
      const s = streamText({
        model: openai('gpt-4o-mini'),
        prompt: 'Stream a tip.',
        experimental_telemetry: vercelTelemetry(),
      });
      for await (const d of s.textStream) text += d;
      await embed({
        model: openai.embedding('text-embedding-3-small'),
        value: 'sunny day',
        experimental_telemetry: vercelTelemetry(),
      });
    });
    await flush();
    const spans = await fetchTrace(server, traceId, 5);
    const doStream = byName(spans, 'ai.streamText.doStream');
    expect(doStream).toMatchObject({ operation: 'llm', provider: 'openai' });
    expect(doStream.outputText).toBe(text);
    expect(doStream.outputTokens).toBeGreaterThan(0);
    expect(byName(spans, 'ai.streamText').outputTokens).toBe(0);
    const doEmbed = byName(spans, 'ai.embed.doEmbed');
    expect(doEmbed).toMatchObject({
      operation: 'embedding',
      provider: 'openai',
      requestModel: 'text-embedding-3-small',
      inputText: 'sunny day',
    });
    expect(doEmbed.inputTokens).toBeGreaterThan(0);
  });
});
