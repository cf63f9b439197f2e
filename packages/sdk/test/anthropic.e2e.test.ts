import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../src/demo/fake-provider.ts';
import { init, shutdown } from '../src/index.ts';
import { instrumentAnthropic } from '../src/integrations/anthropic.ts';
import {
  byName,
  startTestServer,
  tracedAndStored,
  type TestServer,
} from './helpers/pyflare-server.ts';

/** The real `@anthropic-ai/sdk` against the fake provider, exporting to a real PyFlare server. */

let server: TestServer;
let fake: FakeProvider;
let anthropic: Anthropic;

beforeAll(async () => {
  [server, fake] = await Promise.all([startTestServer(), startFakeProvider()]);
  init({
    endpoint: server.otlpHttpUrl,
    apiKey: server.adminKey,
    serviceName: 'anthropic-e2e',
    captureContent: true,
    scheduledDelayMillis: 50,
  });
  anthropic = instrumentAnthropic(
    new Anthropic({ apiKey: 'sk-ant-fake', baseURL: fake.anthropicBaseUrl, maxRetries: 1 }),
  );
});

afterAll(async () => {
  await shutdown();
  await Promise.all([server?.stop(), fake?.close()]);
});

const traced = <T>(fn: () => Promise<T>, minSpans = 2) => tracedAndStored(server, fn, minSpans);

const MODEL = 'claude-sonnet-4-5';

describe('messages.create', () => {
  it('records a plain call with system prompt, tokens and prompt-cache writes then reads', async () => {
    const system = [
      {
        type: 'text' as const,
        text: 'You are a support agent for ACME. '.repeat(20),
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const { result, spans, root } = await traced(async () => {
      const first = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 300,
        system,
        messages: [{ role: 'user', content: 'How do I reset my password?' }],
      });
      const second = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 300,
        system,
        messages: [{ role: 'user', content: 'And my username?' }],
      });
      return { first, second };
    }, 3);
    const [a, b] = spans.filter((s) => s.name === `chat ${MODEL}`);
    // Only our span: the SDK's own tracing is suppressed for instrumented clients.
    expect(spans).toHaveLength(3);
    expect(a!.parentSpanId).toBe(root.spanId);
    const u1 = result.first.usage;
    expect(u1.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(a).toMatchObject({
      kind: 'client',
      operation: 'chat',
      provider: 'anthropic',
      requestModel: MODEL,
      responseModel: MODEL,
      inputTokens: u1.input_tokens + u1.cache_creation_input_tokens!,
      outputTokens: u1.output_tokens,
      cachedTokens: 0,
    });
    expect(a!.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(
      u1.cache_creation_input_tokens,
    );
    const u2 = result.second.usage;
    expect(u2.cache_read_input_tokens).toBe(u1.cache_creation_input_tokens);
    expect(b).toMatchObject({
      cachedTokens: u2.cache_read_input_tokens,
      inputTokens: u2.input_tokens + u2.cache_read_input_tokens!,
    });
    expect(a!.inputMessages?.[0]).toMatchObject({ role: 'system' });
    expect(a!.inputMessages?.[1]).toEqual({ role: 'user', content: 'How do I reset my password?' });
    const text = result.first.content.find((c) => c.type === 'text');
    expect(a!.outputMessages).toEqual([
      { role: 'assistant', content: text && 'text' in text ? text.text : '' },
    ]);
    expect(a!.attributes['gen_ai.response.finish_reasons']).toEqual(['end_turn']);
  });

  it('reassembles a stream: text, usage, time to first token', async () => {
    let text = '';
    const { spans } = await traced(async () => {
      const stream = await anthropic.messages.create({
        model: MODEL,
        max_tokens: 300,
        stream: true,
        messages: [{ role: 'user', content: 'Stream me a haiku about tracing.' }],
      });
      for await (const e of stream) {
        if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      }
    });
    const span = byName(spans, `chat ${MODEL}`);
    expect(text.length).toBeGreaterThan(10);
    expect(span.outputMessages).toEqual([{ role: 'assistant', content: text }]);
    expect(span.inputTokens).toBeGreaterThan(0);
    expect(span.outputTokens).toBeGreaterThan(0);
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
  });

  it('records tool_use blocks and the tool run between turns, via messages.stream() too', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'lookup_order',
        description: 'Order status',
        input_schema: {
          type: 'object',
          properties: { order_id: { type: 'string' } },
          required: ['order_id'],
        },
      },
    ];
    const { spans, root } = await traced(async () => {
      const messages: Anthropic.MessageParam[] = [
        { role: 'user', content: 'Where is order A-1042? Please lookup order status.' },
      ];
      const first = await anthropic.messages
        .stream({ model: MODEL, max_tokens: 300, tools, messages })
        .finalMessage();
      const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
      messages.push({ role: 'assistant', content: first.content });
      messages.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: use.id, content: 'shipped yesterday' }],
      });
      return anthropic.messages.create({ model: MODEL, max_tokens: 300, tools, messages });
    }, 4);
    const [ask, answer] = spans.filter((s) => s.name === `chat ${MODEL}`);
    expect(ask!.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_use']);
    const call = ask!.outputMessages?.[0]?.toolCalls?.[0];
    expect(call).toMatchObject({ name: 'lookup_order', id: expect.stringMatching(/^toolu_/) });
    expect(JSON.parse(call!.arguments)).toHaveProperty('order_id');
    const tool = byName(spans, 'execute_tool lookup_order');
    expect(tool).toMatchObject({
      operation: 'tool',
      parentSpanId: root.spanId,
      outputText: 'shipped yesterday',
    });
    expect(JSON.parse(tool.inputText)).toEqual(JSON.parse(call!.arguments));
    expect(answer!.inputMessages?.at(-1)).toMatchObject({
      role: 'tool',
      content: 'shipped yesterday',
      toolCallId: call!.id,
    });
  });

  it('classifies errors with status and retries', async () => {
    const { result, spans } = await traced(() =>
      anthropic.messages
        .create({
          model: 'fake-error-429',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
        })
        .catch((e: unknown) => e),
    );
    expect(result).toBeInstanceOf(Anthropic.RateLimitError);
    const span = byName(spans, 'chat fake-error-429');
    expect(span.status.code).toBe('error');
    expect(span.attributes).toMatchObject({
      'error.type': 'rate_limit',
      'http.response.status_code': 429,
      'pyflare.llm.retry_count': 1,
    });

    const auth = await traced(() =>
      anthropic.messages
        .create({
          model: 'fake-error-401',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'x' }],
        })
        .catch((e: unknown) => e),
    );
    expect(auth.result).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(byName(auth.spans, 'chat fake-error-401').attributes['error.type']).toBe('auth');
  });
});
