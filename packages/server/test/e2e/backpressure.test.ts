import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { encodeTraceRequest, decodeTraceRequestJson } from '@pyflare/otlp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_FLUSH_ROWS } from '../../src/transport/batch-writer.ts';
import { counterValue, jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

/** Four requests of 200 rows fit, and under IDLE_FLUSH_ROWS: nothing is written early. */
const QUEUE_ROWS = 900;

beforeAll(async () => {
  // A small queue and a long batch delay, so the queue fills before anything is written and
  // nothing is released while the burst is answered, however slowly (with the queue at
  // IDLE_FLUSH_ROWS, the first insert could end and admit more of the burst under load).
  server = await startTestServer({
    queueMaxRows: QUEUE_ROWS,
    batchMaxRows: 100_000,
    batchMaxDelayMs: 10_000,
  });
  expect(QUEUE_ROWS).toBeLessThan(IDLE_FLUSH_ROWS);
});
afterAll(() => server.stop());

describe('backpressure', () => {
  it('answers 429 with Retry-After when the queue is full, and stores every acknowledged span', async () => {
    const requests = Array.from({ length: 12 }, () => jsonTrace(200).body);
    const responses = await Promise.all(
      requests.map((b) => postJson(server.otlpHttpUrl, b, server.adminKey)),
    );
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 429);
    expect(ok.length + refused.length).toBe(12);
    expect(refused.length).toBeGreaterThan(0);
    expect(ok.length).toBe(Math.floor(QUEUE_ROWS / 200));
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    const metrics = await (await server.api('/metrics')).text();
    expect(counterValue(metrics, 'pyflare_ingest_accepted_total', { signal: 'traces' })).toBe(
      ok.length * 200,
    );
    expect(counterValue(metrics, 'pyflare_ingest_queue_rows', {})).toBe(0);
  });

  it('answers RESOURCE_EXHAUSTED over gRPC when the queue is full', async () => {
    const client = new Client(`127.0.0.1:${server.ports.otlpGrpc}`, credentials.createInsecure());
    const md = new Metadata();
    md.set('authorization', `Bearer ${server.adminKey}`);
    const call = (bytes: Uint8Array) =>
      new Promise<ServiceError | null>((resolve) => {
        client.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(bytes),
          md,
          (error) => resolve(error),
        );
      });
    const payloads = Array.from({ length: 12 }, () =>
      encodeTraceRequest(decodeTraceRequestJson(jsonTrace(200).body)),
    );
    const results = await Promise.all(payloads.map(call));
    client.close();
    const exhausted = results.filter((e) => e?.code === status.RESOURCE_EXHAUSTED);
    expect(exhausted.length).toBeGreaterThan(0);
    expect(results.filter((e) => e === null).length).toBe(Math.floor(QUEUE_ROWS / 200));
    expect(results.every((e) => e === null || e.code === status.RESOURCE_EXHAUSTED)).toBe(true);
  });
});
