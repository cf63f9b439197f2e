import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  flush,
  init,
  logLabel,
  logPrediction,
  redactPii,
  shutdown,
  stats,
  trace,
  traced,
  withSession,
  withTags,
  withUser,
} from '../src/index.ts';
import {
  byName,
  fetchTrace,
  findSpans,
  startTestServer,
  type TestServer,
} from './helpers/pyflare-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  init({
    endpoint: server.otlpHttpUrl,
    apiKey: server.adminKey,
    serviceName: 'sdk-core-e2e',
    serviceVersion: '1.2.3',
    environment: 'test',
    captureContent: true,
    redact: redactPii,
    scheduledDelayMillis: 50,
  });
});

afterAll(async () => {
  await shutdown();
  await server?.stop();
});

describe('trace() and the context helpers, stored by a real server', () => {
  it('nests sync, async and generator spans with user, session and tags', async () => {
    let traceId = '';
    const result = await withUser('alice', () =>
      withSession('sess-1', () =>
        withTags(['beta', 'checkout'], () =>
          trace(
            'handle request',
            async (span) => {
              traceId = span.spanContext().traceId;
              const sum = trace('sync step', () => 1 + 2);
              const docs = await trace(
                'retrieve',
                async () => {
                  await new Promise((r) => setTimeout(r, 5));
                  return ['a', 'b'];
                },
                { operation: 'retrieval', attributes: { 'retrieval.top_k': 2 } },
              );
              const tokens: string[] = [];
              for (const t of trace('stream tokens', function* () {
                yield 'x';
                trace('inside generator', () => undefined);
                yield 'y';
              })) {
                tokens.push(t);
              }
              const asyncTokens: number[] = [];
              for await (const n of trace('async stream', async function* () {
                yield 1;
                // 2 ms: libuv's loop clock is in whole ms, so a 1 ms timer can fire after 0.1 ms
                await new Promise((r) => setTimeout(r, 2));
                yield 2;
              })) {
                asyncTokens.push(n);
              }
              await withTags(['inner'], () => trace('tagged', async () => 'ok'));
              expect(() =>
                trace('fails', () => {
                  throw new TypeError('bad input');
                }),
              ).toThrow(TypeError);
              await expect(
                trace('rejects', async () => {
                  throw new RangeError('too far');
                }),
              ).rejects.toThrow('too far');
              return { sum, docs, tokens, asyncTokens };
            },
            { kind: 'server', attributes: { 'app.route': '/ask' } },
          ),
        ),
      ),
    );
    // Results come back unchanged.
    expect(result).toEqual({ sum: 3, docs: ['a', 'b'], tokens: ['x', 'y'], asyncTokens: [1, 2] });

    await flush();
    const spans = await fetchTrace(server, traceId, 9);
    const root = byName(spans, 'handle request');
    expect(root.parentSpanId).toBe('');
    expect(root.kind).toBe('server');
    expect(root.attributes['app.route']).toBe('/ask');
    expect(root.serviceName).toBe('sdk-core-e2e');
    expect(root.environment).toBe('test');
    expect(root.resource['service.version']).toBe('1.2.3');
    for (const s of spans) {
      expect(s.userId, s.name).toBe('alice');
      expect(s.sessionId, s.name).toBe('sess-1');
      expect(s.tags, s.name).toEqual(expect.arrayContaining(['beta', 'checkout']));
    }
    for (const name of [
      'sync step',
      'retrieve',
      'stream tokens',
      'async stream',
      'tagged',
      'fails',
      'rejects',
    ]) {
      expect(byName(spans, name).parentSpanId, name).toBe(root.spanId);
    }
    expect(byName(spans, 'inside generator').parentSpanId).toBe(
      byName(spans, 'stream tokens').spanId,
    );
    expect(byName(spans, 'retrieve').operation).toBe('retrieval');
    expect(byName(spans, 'retrieve').attributes['retrieval.top_k']).toBe(2);
    expect(byName(spans, 'tagged').tags).toEqual(['beta', 'checkout', 'inner']);
    // The async generator's span lasts until iteration ends, past the awaited timer.
    expect(byName(spans, 'async stream').durationNs).toBeGreaterThan(500_000);

    const fails = byName(spans, 'fails');
    expect(fails.status).toEqual({ code: 'error', message: 'bad input' });
    expect(fails.attributes['error.type']).toBe('TypeError');
    expect(fails.events[0]).toMatchObject({
      name: 'exception',
      attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad input' },
    });
    expect(byName(spans, 'rejects').status.code).toBe('error');
    expect(root.status.code).not.toBe('error');
  });

  it('@traced() names spans ClassName.method and keeps `this`', async () => {
    // Vitest's transformer does not lower TC39 decorators, so apply it by hand here; the
    // decorator syntax itself is exercised by the tsx child below.
    class Retriever {
      prefix = 'doc-';
      async search(q: string) {
        return [`${this.prefix}${q}`];
      }
    }
    const decorate = traced({ operation: 'retrieval' });
    Retriever.prototype.search = decorate(Retriever.prototype.search, {
      kind: 'method',
      name: 'search',
      static: false,
      private: false,
      access: { has: () => true, get: (o: Retriever) => o.search },
      addInitializer: () => undefined,
      metadata: {},
    } as unknown as ClassMethodDecoratorContext<Retriever, Retriever['search']>);
    let traceId = '';
    const out = await trace('root', async (span) => {
      traceId = span.spanContext().traceId;
      return new Retriever().search('q');
    });
    expect(out).toEqual(['doc-q']);
    await flush();
    const spans = await fetchTrace(server, traceId, 2);
    expect(byName(spans, 'Retriever.search').operation).toBe('retrieval');
  });

  it('@traced() works as real decorator syntax (tsx)', async () => {
    const script = fileURLToPath(new URL('./fixtures/decorated.ts', import.meta.url));
    // Asynchronously: the server answering the child's export runs in this process.
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      env: {
        ...process.env,
        PYFLARE_ENDPOINT: server.otlpHttpUrl,
        PYFLARE_API_KEY: server.adminKey,
        PYFLARE_SERVICE_NAME: 'decorated-child',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    const { traceId, value } = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      traceId: string;
      value: number;
    };
    expect(value).toBe(42);
    const spans = await fetchTrace(server, traceId, 3);
    const outer = byName(spans, 'Pipeline.run');
    expect(byName(spans, 'score').parentSpanId).toBe(outer.spanId);
    expect(byName(spans, 'Pipeline.tokens').parentSpanId).toBe(outer.spanId);
    expect(outer.serviceName).toBe('decorated-child');
  });
});

describe('logPrediction() and logLabel()', () => {
  it('stores features, prediction, embedding and a later label joined by inference id', async () => {
    let traceId = '';
    const inferenceId = await trace('score application', async (span) => {
      traceId = span.spanContext().traceId;
      return logPrediction({
        modelId: 'credit-risk',
        modelVersion: 'v7',
        features: {
          income: 52000,
          age: 31,
          region: 'eu-west',
          first_time: true,
          ignored: undefined,
        },
        prediction: 'approve',
        score: 0.91,
        embedding: [0.1, 0.2, 0.3, 0.4],
      });
    });
    expect(inferenceId).toMatch(/^[0-9a-f-]{36}$/);
    logLabel(inferenceId, 'default', { modelId: 'credit-risk' });
    await flush();

    const spans = await fetchTrace(server, traceId, 2);
    const p = byName(spans, 'predict credit-risk');
    expect(p.parentSpanId).toBe(byName(spans, 'score application').spanId);
    expect(p).toMatchObject({
      operation: 'ml.inference',
      requestModel: 'credit-risk',
      inferenceId,
      mlPrediction: 'approve',
      mlFeatures: { income: 52000, age: 31, region: 'eu-west', first_time: true },
      embeddingDimensions: 4,
    });
    expect(p.attributes['pyflare.prediction.score']).toBe(0.91);
    expect(p.attributes['pyflare.model.version']).toBe('v7');

    const labels = await findSpans(server, `attr=pyflare.inference_id:${inferenceId}`, 2);
    const labelSpan = labels.find((s) => s.name === 'label credit-risk')!;
    expect(labelSpan).toBeDefined();
    const [label] = await fetchTrace(server, labelSpan.traceId);
    expect(label).toMatchObject({ inferenceId, mlLabel: 'default', requestModel: 'credit-risk' });
    expect(label!.operation).toBe('');
  });

  it('records nothing for bad input and never throws', () => {
    const before = stats().instrumentationErrors;
    expect(() => logLabel('', 'x')).not.toThrow();
    expect(stats().instrumentationErrors).toBe(before + 1);
    expect(() => logPrediction(null as never)).not.toThrow();
    expect(typeof logPrediction({ modelId: 'm', features: { x: { nested: [1, { a: 2 }] } } })).toBe(
      'string',
    );
  });
});

describe('content capture and redaction', () => {
  it('redacts PII in recorded content client-side', async () => {
    const { setMessages } = await import('../src/content.ts');
    let traceId = '';
    trace('chat-like', (span) => {
      traceId = span.spanContext().traceId;
      span.setAttribute('gen_ai.operation.name', 'chat');
      setMessages(span, 'gen_ai.input.messages', [
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'Mail me at jane.doe@example.com, card 4111 1111 1111 1111' },
          ],
        },
      ]);
    });
    await flush();
    const [span] = await fetchTrace(server, traceId);
    expect(span!.inputMessages?.[0]?.content).toBe(
      'Mail me at [REDACTED_EMAIL], card [REDACTED_CARD]',
    );
    expect(JSON.stringify(span!.attributes)).not.toContain('jane.doe');
  });
});

describe('init()', () => {
  it('is safe to call twice and counts exported spans', async () => {
    const again = init({ serviceName: 'other' });
    expect(again.config.serviceName).toBe('sdk-core-e2e');
    await flush();
    expect(stats().exportedSpans).toBeGreaterThan(10);
    expect(stats().droppedSpans).toBe(0);
  });
});
