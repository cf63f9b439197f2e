import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../src/demo/fake-provider.ts';
import { flush, init, logPrediction, shutdown, stats, trace, withUser } from '../src/index.ts';
import { instrumentOpenAI } from '../src/integrations/openai.ts';
import { resetLogLimits, resetStats } from '../src/log.ts';

/**
 * The SDK never breaks the host application: with PyFlare down, hanging, or answering errors,
 * the application's calls return what they return without the SDK, and nothing is thrown.
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
let provider: FakeProvider | undefined;

async function collector(handler: Handler): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  await shutdown();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  await provider?.close();
  provider = undefined;
});

const logs: string[] = [];
function start(endpoint: string, extra: Parameters<typeof init>[0] = {}) {
  resetStats();
  resetLogLimits();
  logs.length = 0;
  return init({
    endpoint,
    apiKey: 'pf_test_key',
    serviceName: 'resilience',
    scheduledDelayMillis: 10,
    exportTimeoutMillis: 300,
    captureContent: true,
    logger: (m) => logs.push(m),
    ...extra,
  });
}

/** What an application does: nested spans, an ML log, sync and async results. */
async function appWork(i: number): Promise<number> {
  return withUser(`user-${i}`, () =>
    trace('request', async () => {
      const a = trace('sync', () => i * 2);
      const b = await trace('async', async () => i + 1);
      logPrediction({ modelId: 'm', features: { i }, prediction: i % 2 === 0 ? 'even' : 'odd' });
      return a + b;
    }),
  );
}

const expected = (i: number) => i * 2 + i + 1;

/**
 * Waits until `condition` holds. `flush()` gives up after the export timeout plus a second and
 * never rejects, so on a loaded machine an export's failure (counted when the exporter reports it)
 * or a request's arrival at the collector can come after it returns: the tests wait for what
 * they assert instead of assuming it happened within a time.
 */
async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('when PyFlare is unreachable', () => {
  it('the app gets its results, spans are dropped and counted, flush and shutdown resolve', async () => {
    start(await closedPort());
    for (let i = 0; i < 50; i++) expect(await appWork(i)).toBe(expected(i));
    await flush();
    await until(() => stats().droppedSpans > 0 && stats().failedExports > 0);
    expect(stats().exportedSpans).toBe(0);
    // one line per kind of problem, not one per span
    expect(logs.filter((l) => l.includes('could not export'))).toHaveLength(1);
    await expect(shutdown()).resolves.toBeUndefined();
  });
});

describe('when PyFlare hangs', () => {
  it('calls complete while an export request is still unanswered', async () => {
    const held: ServerResponse[] = [];
    const c = await collector((_req, res) => held.push(res));
    start(c.url);
    await appWork(0);
    await flush(); // times out after exportTimeoutMillis, does not reject
    await until(() => c.requests() > 0 && held.length > 0);
    // While the server still holds the request, the application keeps working.
    for (let i = 0; i < 200; i++) expect(await appWork(i)).toBe(expected(i));
    await flush();
    await until(() => stats().droppedSpans > 0);
    expect(stats().instrumentationErrors).toBe(0);
  });

  it('bounds memory: a full queue drops new spans and counts them', async () => {
    const c = await collector(() => undefined);
    start(c.url, { maxQueueSize: 100, maxExportBatchSize: 50, scheduledDelayMillis: 60_000 });
    // Each export of 50 spans to this collector fails after the export timeout, so a machine slow
    // enough could drain the queue as fast as the loop fills it: work until the queue is full (a
    // few dozen iterations when it is quick), every result checked on the way.
    for (let i = 0; stats().queueFullDrops === 0; i++) {
      expect(i).toBeLessThan(20_000);
      expect(await appWork(i)).toBe(expected(i));
    }
    expect(stats().queueFullDrops).toBeGreaterThan(0);
    expect(logs.some((l) => l.includes('queue full'))).toBe(true);
  });
});

describe('when PyFlare answers errors', () => {
  it.each([
    [500, 'internal error'],
    [401, 'unauthorized'],
    [429, 'slow down'],
    [400, 'garbage'],
  ])('HTTP %i: results are unchanged and the failures are counted', async (status, body) => {
    const c = await collector((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain', 'retry-after': '0' });
      res.end(body);
    });
    start(c.url);
    for (let i = 0; i < 20; i++) expect(await appWork(i)).toBe(expected(i));
    await flush();
    await until(() => c.requests() > 0 && stats().droppedSpans > 0);
    expect(stats().exportedSpans).toBe(0);
  });

  it('a 200 with a body that is not protobuf does not throw either', async () => {
    const c = await collector((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]));
    });
    start(c.url);
    for (let i = 0; i < 10; i++) expect(await appWork(i)).toBe(expected(i));
    await flush();
    await until(() => c.requests() > 0);
  });
});

describe('an instrumented OpenAI client with PyFlare down', () => {
  it('returns exactly what the bare client returns, plain and streamed', async () => {
    provider = await startFakeProvider();
    start(await closedPort());
    const bare = new OpenAI({ apiKey: 'k', baseURL: provider.openaiBaseUrl, maxRetries: 0 });
    const wrapped = instrumentOpenAI(
      new OpenAI({ apiKey: 'k', baseURL: provider.openaiBaseUrl, maxRetries: 0 }),
    );
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'Say something about resilience.' }],
    };
    const a = await bare.chat.completions.create(params);
    const b = await wrapped.chat.completions.create(params);
    expect(stripIds(b)).toEqual(stripIds(a));

    const collect = async (client: OpenAI) => {
      const stream = await client.chat.completions.create({ ...params, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      return text;
    };
    expect(await collect(wrapped)).toBe(await collect(bare));

    const bareError = await bare.chat.completions
      .create({ ...params, model: 'fake-error-400' })
      .catch((e: unknown) => e);
    const wrappedError = await wrapped.chat.completions
      .create({ ...params, model: 'fake-error-400' })
      .catch((e: unknown) => e);
    expect(wrappedError).toBeInstanceOf(OpenAI.BadRequestError);
    expect((wrappedError as InstanceType<typeof OpenAI.BadRequestError>).status).toBe(
      (bareError as InstanceType<typeof OpenAI.BadRequestError>).status,
    );
    await flush();
    expect(stats().instrumentationErrors).toBe(0);
  });
});

function stripIds(completion: OpenAI.Chat.Completions.ChatCompletion) {
  const { id: _id, created: _created, ...rest } = completion;
  return rest;
}
