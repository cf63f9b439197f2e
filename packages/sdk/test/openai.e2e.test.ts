import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../src/demo/fake-provider.ts';
import { init, shutdown, withUser } from '../src/index.ts';
import { instrumentOpenAI, traceToolCall } from '../src/integrations/openai.ts';
import {
  byName,
  startTestServer,
  tracedAndStored,
  type TestServer,
} from './helpers/pyflare-server.ts';

/**
 * The real `openai` client against the fake provider, instrumented, exporting to a real PyFlare
 * server; every assertion reads the trace back through the server's API.
 */

let server: TestServer;
let fake: FakeProvider;
let openai: OpenAI;

beforeAll(async () => {
  [server, fake] = await Promise.all([startTestServer(), startFakeProvider()]);
  init({
    endpoint: server.otlpHttpUrl,
    apiKey: server.adminKey,
    serviceName: 'openai-e2e',
    captureContent: true,
    scheduledDelayMillis: 50,
  });
  openai = instrumentOpenAI(
    new OpenAI({ apiKey: 'sk-fake', baseURL: fake.openaiBaseUrl, maxRetries: 2 }),
  );
});

afterAll(async () => {
  await shutdown();
  await Promise.all([server?.stop(), fake?.close()]);
});

const traced = <T>(fn: () => Promise<T>, minSpans = 2) => tracedAndStored(server, fn, minSpans);

const ask = (content: string) => [{ role: 'user' as const, content }];

describe('chat.completions.create', () => {
  it('records a plain call: model, tokens, messages, nesting, user', async () => {
    const { result, spans, root } = await traced(() =>
      withUser('bob', () =>
        openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: 'What is observability for LLM apps?' },
          ],
          temperature: 0.2,
          max_tokens: 200,
        }),
      ),
    );
    const chat = byName(spans, 'chat gpt-4o-mini');
    expect(chat.parentSpanId).toBe(root.spanId);
    expect(chat).toMatchObject({
      kind: 'client',
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
      responseModel: 'gpt-4o-mini-2024-07-18',
      inputTokens: result.usage!.prompt_tokens,
      outputTokens: result.usage!.completion_tokens,
      userId: 'bob',
    });
    expect(chat.inputMessages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'What is observability for LLM apps?' },
    ]);
    expect(chat.outputMessages).toEqual([
      { role: 'assistant', content: result.choices[0]!.message.content },
    ]);
    expect(chat.attributes).toMatchObject({
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 200,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.id': result.id,
      'server.address': '127.0.0.1',
    });
  });

  it('reassembles a stream with include_usage and records time to first token', async () => {
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    const { spans } = await traced(async () => {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o',
        messages: ask('Explain streaming tokens.'),
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
    });
    const chat = byName(spans, 'chat gpt-4o');
    expect(text.length).toBeGreaterThan(20);
    expect(chat.outputMessages).toEqual([{ role: 'assistant', content: text }]);
    expect(chat.inputTokens).toBe(usage!.prompt_tokens);
    expect(chat.outputTokens).toBe(usage!.completion_tokens);
    expect(chat.attributes['pyflare.llm.stream']).toBe(true);
    expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    expect(chat.attributes['pyflare.usage.estimated']).toBeUndefined();
  });

  it('counts tokens itself when the stream carries no usage', async () => {
    let text = '';
    const { spans } = await traced(async () => {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o',
        messages: ask('Count these tokens for me please.'),
        stream: true,
      });
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    });
    const chat = byName(spans, 'chat gpt-4o');
    expect(chat.outputMessages?.[0]?.content).toBe(text);
    expect(chat.attributes['pyflare.usage.estimated']).toBe(true);
    expect(chat.inputTokens).toBeGreaterThan(5);
    expect(chat.outputTokens).toBeGreaterThan(5);
  });

  it('records tool calls as execute_tool spans with arguments and results, streamed too', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          },
        },
      },
    ];
    const { spans, root } = await traced(async () => {
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = ask(
        'What is the weather in Paris today?',
      );
      // A streamed first turn: tool call deltas are reassembled.
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        tools,
        stream: true,
      });
      const calls = new Map<number, { id: string; name: string; arguments: string }>();
      for await (const chunk of stream) {
        for (const tc of chunk.choices[0]?.delta?.tool_calls ?? []) {
          const c = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
          c.id ||= tc.id ?? '';
          c.name += tc.function?.name ?? '';
          c.arguments += tc.function?.arguments ?? '';
          calls.set(tc.index, c);
        }
      }
      const call = calls.get(0)!;
      messages.push({
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          },
        ],
      });
      messages.push({
        role: 'tool',
        tool_call_id: call.id,
        content: JSON.stringify({ tempC: 21, sky: 'sunny' }),
      });
      const second = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        tools,
      });
      // A second round with the tool run inside traceToolCall: real timing, no duplicate span.
      const third = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: ask('And the weather in Rome?'),
        tools,
      });
      const tc = third.choices[0]!.message
        .tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
      const result = await traceToolCall(tc, async (args) => ({
        city: (args as { city: string }).city,
        tempC: 25,
      }));
      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          ...ask('And the weather in Rome?'),
          { role: 'assistant', content: null, tool_calls: [tc] },
          { role: 'tool', tool_call_id: tc.id, content: JSON.stringify(result) },
        ],
        tools,
      });
      return second;
    }, 7);
    const chats = spans.filter((s) => s.name === 'chat gpt-4o-mini');
    expect(chats).toHaveLength(4);
    const first = chats[0]!;
    expect(first.outputMessages?.[0]?.toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"city":"Paris"}' },
    ]);
    expect(first.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    const tools1 = spans.filter((s) => s.name === 'execute_tool get_weather');
    expect(tools1).toHaveLength(2);
    const [paris, rome] = tools1;
    expect(paris).toMatchObject({ operation: 'tool', parentSpanId: root.spanId });
    expect(JSON.parse(paris!.inputText)).toEqual({ city: 'Paris' });
    expect(JSON.parse(paris!.outputText)).toEqual({ tempC: 21, sky: 'sunny' });
    expect(paris!.attributes['gen_ai.tool.call.id']).toBe(
      first.outputMessages![0]!.toolCalls![0]!.id,
    );
    expect(JSON.parse(rome!.inputText)).toEqual({ city: 'Rome' });
    expect(JSON.parse(rome!.outputText)).toEqual({ city: 'Rome', tempC: 25 });
    // The tool ran between the asking response and the answering request: it starts where the
    // asking span ends (the same clock reading, so no tolerance under load).
    expect(BigInt(paris!.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(first.endTimeUnixNano));
    expect(BigInt(paris!.endTimeUnixNano)).toBeLessThanOrEqual(
      BigInt(chats[1]!.startTimeUnixNano) + 1_000_000n,
    );
    expect(chats[1]!.inputMessages?.at(-1)).toMatchObject({
      role: 'tool',
      toolCallId: paris!.attributes['gen_ai.tool.call.id'],
    });
  });
});

describe('embeddings.create and responses.create', () => {
  it('records embeddings with tokens and dimensions', async () => {
    const { result, spans } = await traced(() =>
      openai.embeddings.create({
        model: 'text-embedding-3-small',
        input: ['alpha beta', 'gamma'],
        dimensions: 64,
      }),
    );
    expect(result.data[0]!.embedding).toHaveLength(64);
    const span = byName(spans, 'embeddings text-embedding-3-small');
    expect(span).toMatchObject({
      operation: 'embedding',
      provider: 'openai',
      inputTokens: result.usage.prompt_tokens,
    });
    expect(span.attributes['gen_ai.embeddings.dimension.count']).toBe(64);
  });

  it('records a Responses API call, plain and streamed', async () => {
    const { result, spans } = await traced(async () => {
      const plain = await openai.responses.create({
        model: 'gpt-4.1-mini',
        input: 'Summarize tracing.',
        instructions: 'Be brief.',
      });
      const stream = await openai.responses.create({
        model: 'gpt-4.1-mini',
        input: 'Stream a summary.',
        stream: true,
      });
      let text = '';
      for await (const e of stream) if (e.type === 'response.output_text.delta') text += e.delta;
      return { plain, text };
    }, 3);
    const [plain, streamed] = spans.filter((s) => s.name === 'chat gpt-4.1-mini');
    expect(plain).toMatchObject({
      operation: 'chat',
      inputTokens: result.plain.usage!.input_tokens,
      outputTokens: result.plain.usage!.output_tokens,
    });
    expect(plain!.inputMessages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Summarize tracing.' },
    ]);
    expect(plain!.outputMessages?.[0]?.content).toBe(result.plain.output_text);
    expect(streamed!.outputMessages?.[0]?.content).toBe(result.text);
    expect(streamed!.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    expect(streamed!.outputTokens).toBeGreaterThan(0);
  });
});

describe('errors', () => {
  const failing = (model: string, options: { maxRetries?: number; timeout?: number } = {}) =>
    traced(async () => {
      const client = instrumentOpenAI(
        new OpenAI({ apiKey: 'sk-fake', baseURL: fake.openaiBaseUrl, ...options }),
      );
      return client.chat.completions
        .create({ model, messages: ask(`fail please ${model}`) })
        .catch((e: unknown) => e);
    });

  it.each([
    ['fake-error-429', 'rate_limit', 429, OpenAI.RateLimitError],
    ['fake-error-401', 'auth', 401, OpenAI.AuthenticationError],
    ['fake-error-400', 'bad_request', 400, OpenAI.BadRequestError],
    ['fake-error-500', 'server', 500, OpenAI.InternalServerError],
  ])('%s is classified %s with status and retries', async (model, type, status, ErrorClass) => {
    const { result, spans } = await failing(model, { maxRetries: 2 });
    expect(result).toBeInstanceOf(ErrorClass);
    const span = byName(spans, `chat ${model}`);
    expect(span.status.code).toBe('error');
    expect(span.status.message).toContain(type);
    expect(span.attributes['error.type']).toBe(type);
    expect(span.attributes['http.response.status_code']).toBe(status);
    // 429 and 5xx are retried by the client (2 retries), 400 and 401 are not.
    const retried = status === 429 || status >= 500;
    expect(span.attributes['pyflare.llm.retry_count']).toBe(retried ? 2 : undefined);
  });

  it('a timeout is classified as such', async () => {
    const { result, spans } = await failing('fake-timeout', { maxRetries: 0, timeout: 200 });
    expect(result).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const span = byName(spans, 'chat fake-timeout');
    expect(span.attributes['error.type']).toBe('timeout');
    expect(span.status.code).toBe('error');
  });

  it('a call that succeeds after a retry is ok, with its retry count', async () => {
    const { spans } = await traced(() =>
      openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: ask('Flaky once [[fault:429x1]]'),
      }),
    );
    const span = byName(spans, 'chat gpt-4o-mini');
    expect(span.status.code).not.toBe('error');
    expect(span.attributes['pyflare.llm.retry_count']).toBe(1);
    expect(span.outputTokens).toBeGreaterThan(0);
  });
});

describe('instrumenting the OpenAI class', () => {
  it('instruments every client made from it, once', async () => {
    instrumentOpenAI(OpenAI);
    instrumentOpenAI(OpenAI);
    const client = new OpenAI({ apiKey: 'sk-fake', baseURL: fake.openaiBaseUrl });
    const { spans } = await traced(() =>
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask('class-level?') }),
    );
    expect(spans.filter((s) => s.name === 'chat gpt-4o-mini')).toHaveLength(1);
    // the already-instrumented instance is not recorded twice either
    const again = await traced(() =>
      openai.chat.completions.create({ model: 'gpt-4o-mini', messages: ask('instance?') }),
    );
    expect(again.spans.filter((s) => s.name === 'chat gpt-4o-mini')).toHaveLength(1);
  });
});
