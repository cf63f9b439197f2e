/**
 * Informal timing of span normalization (not a test, not a benchmark with a baseline):
 *
 *   node --import tsx packages/server/src/pipeline/time-normalize.ts
 *
 * Prints µs per span for a plain HTTP span, LLM spans of each convention, and a mix.
 */
import type { Span } from '@pyflare/otlp';
import { normalizeTraces } from './normalize-spans.ts';
import { attrs, ctx, event, span, traces } from './testing/fixtures.ts';

const http = (): Span =>
  span({
    name: 'GET /api/cart',
    kind: 2,
    attributes: attrs({
      'http.request.method': 'GET',
      'http.route': '/api/cart',
      'http.response.status_code': 200,
      'url.path': '/api/cart',
      'url.scheme': 'https',
      'server.address': 'shop.example.com',
      'server.port': 443,
      'client.address': '10.1.2.3',
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
      'network.protocol.version': '1.1',
    }),
  });

const question = 'What is the weather in Paris today? Answer briefly.';
const answer = 'It is sunny in Paris today, 24 °C with a light breeze from the west.';

const genai = (): Span =>
  span({
    name: 'chat gpt-4o',
    kind: 3,
    attributes: attrs({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.id': 'chatcmpl-123',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 42,
      'gen_ai.usage.output_tokens': 17,
      'gen_ai.conversation.id': 'conv-1',
      'server.address': 'api.openai.com',
      'gen_ai.input.messages': JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: 'You are helpful.' }] },
        { role: 'user', parts: [{ type: 'text', content: question }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: answer }], finish_reason: 'stop' },
      ]),
    }),
  });

const openinference = (): Span =>
  span({
    name: 'ChatCompletion',
    attributes: attrs({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4o-mini',
      'llm.invocation_parameters': '{"temperature":0.2}',
      'llm.token_count.prompt': 42,
      'llm.token_count.completion': 17,
      'llm.token_count.total': 59,
      'input.value': JSON.stringify({ messages: [{ role: 'user', content: question }] }),
      'input.mime_type': 'application/json',
      'output.value': answer,
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'You are helpful.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': question,
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': answer,
      'session.id': 'sess-1',
      'user.id': 'user-1',
    }),
  });

const vercel = (): Span =>
  span({
    name: 'ai.generateText.doGenerate',
    kind: 3,
    attributes: attrs({
      'operation.name': 'ai.generateText.doGenerate my-fn',
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.id': 'claude-3-5-sonnet',
      'ai.model.provider': 'anthropic.messages',
      'ai.telemetry.functionId': 'my-fn',
      'ai.telemetry.metadata.userId': 'user-2',
      'ai.prompt.messages': JSON.stringify([
        { role: 'user', content: [{ type: 'text', text: question }] },
      ]),
      'ai.response.text': answer,
      'ai.response.finishReason': 'stop',
      'ai.usage.promptTokens': 42,
      'ai.usage.completionTokens': 17,
      'gen_ai.system': 'anthropic.messages',
      'gen_ai.request.model': 'claude-3-5-sonnet',
      'gen_ai.usage.input_tokens': 42,
      'gen_ai.usage.output_tokens': 17,
    }),
    events: [event('ai.stream.firstChunk', { 'ai.response.msToFirstChunk': 120 })],
  });

/** Best of `repeats` runs, in µs per call of `f` (the minimum filters out noisy neighbours). */
function best(f: () => void, calls: number, repeats = 7): number {
  let min = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    f();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / calls / 1000);
  }
  return min;
}

function measure(label: string, make: () => Span, captureContent = true): void {
  const batch = Array.from({ length: 500 }, make);
  const req = traces(batch);
  const c = ctx({ captureContent });
  for (let i = 0; i < 200; i++) normalizeTraces(req, c); // warm up
  const rounds = 100;
  const perSpan = best(() => {
    for (let i = 0; i < rounds; i++) normalizeTraces(req, c);
  }, rounds * batch.length);
  // the JSONEachRow serialization the ingest service does next, for scale
  const rows = normalizeTraces(req, c).rows;
  const ser = best(() => {
    for (let i = 0; i < 20; i++) for (const row of rows) JSON.stringify(row);
  }, 20 * rows.length);
  console.log(
    `${label.padEnd(32)} normalize ${perSpan.toFixed(2).padStart(6)} µs/span` +
      `   JSON.stringify(row) ${ser.toFixed(2).padStart(6)} µs   ratio ${(perSpan / ser).toFixed(2)}`,
  );
}

measure('HTTP server span', http);
measure('OTel GenAI chat span', genai);
measure('OpenInference LLM span', openinference);
measure('Vercel AI SDK doGenerate span', vercel);
measure('OpenInference, content off', openinference, false);
const makers = [http, http, http, http, http, http, genai, openinference, vercel];
let k = 0;
measure('mix (2/3 HTTP, 1/3 LLM)', () => makers[k++ % makers.length]!());
