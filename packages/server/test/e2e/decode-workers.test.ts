import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTraceRequestJson, encodeTraceRequest } from '@pyflare/otlp';
import { MalformedRequestError, decodeTraces } from '../../src/ingest/decode-job.ts';
import { createDecodePool, type DecodePool } from '../../src/ingest/decode-pool.ts';
import { isPyflareError } from '../../src/errors.ts';
import { hexId, jsonSpan, jsonTraceRequest, nowNs } from '../helpers/otlp-json.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

/**
 * OTLP/protobuf trace requests of 64 KiB and more are decoded on worker threads
 * (ingest/decode-pool.ts). A worker must produce exactly the rows the event loop would
 * (decode-job.ts run in this process), and the server must store them and answer as usual.
 */

let pooled: TestServer;

beforeAll(async () => {
  pooled = await startTestServer({ ingestWorkers: 1 });
});
afterAll(() => pooled.stop());

/** A protobuf request of `n` spans in one trace, every fifth span with an invalid span id. */
function bigRequest(n: number, badEvery = 0) {
  const traceId = hexId(16);
  const rootId = hexId(8);
  const start = nowNs();
  const spans = [jsonSpan({ traceId, spanId: rootId, name: 'root', durationNs: 9_000_000n })];
  for (let i = 1; i < n; i++) {
    spans.push(
      jsonSpan({
        traceId,
        parentSpanId: rootId,
        ...(badEvery > 0 && i % badEvery === 0 ? { spanId: '00'.repeat(8) } : {}),
        name: `chat gpt-4o #${i}`,
        startNs: start + BigInt(i) * 1000n,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 100 + i,
          'gen_ai.usage.output_tokens': 7,
          'app.note': `note ${'é'.repeat(i % 50)} ${i}`,
        },
      }),
    );
  }
  const json = jsonTraceRequest(spans, 'pool-svc');
  const bytes = encodeTraceRequest(decodeTraceRequestJson(json));
  return { traceId, bytes, json: Buffer.from(JSON.stringify(json)) };
}

function post(server: TestServer, body: Uint8Array, type = 'application/x-protobuf') {
  return fetch(`${server.otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': type },
    body,
  });
}

async function spansOf(server: TestServer, traceId: string) {
  const res = await server.api(`/api/v1/traces/${traceId}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { spans: { spanId: string }[] };
  return body.spans.sort((a, b) => a.spanId.localeCompare(b.spanId));
}

describe('decode workers', () => {
  it('store the valid spans of a large request and report the rest in partial_success', async () => {
    const { traceId, bytes } = bigRequest(600, 5);
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const res = await post(pooled, bytes);
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    // ExportTraceServiceResponse.partial_success (field 1): rejected_spans (field 1) = 119.
    expect(body[0]).toBe(0x0a);
    expect(body[2]).toBe(0x08);
    expect(body[3]).toBe(119);
    const expected = decodeTraces(bytes, context());
    expect(body.toString('utf8')).toContain(expected.errors[0]);
    const stored = await spansOf(pooled, traceId);
    expect(stored).toHaveLength(600 - 119);
    const ids = stored.map((s) => s.spanId);
    expect(ids).not.toContain('00'.repeat(8));
  });

  it('take large OTLP/JSON requests too, with the same answers as the event loop', async () => {
    const { traceId, json } = bigRequest(500, 4);
    expect(json.length).toBeGreaterThan(64 * 1024);
    const res = await post(pooled, json, 'application/json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string };
    };
    expect(Number(body.partialSuccess?.rejectedSpans)).toBe(124);
    expect(body.partialSuccess?.errorMessage).toContain(
      decodeTraces(json, context(), 'json').errors[0],
    );
    expect(await spansOf(pooled, traceId)).toHaveLength(500 - 124);

    // Malformed JSON, and a wrongly typed field deep inside: 400, the problem named.
    const broken = Buffer.concat([json.subarray(0, json.length - 10), Buffer.from('"')]);
    const r1 = await post(pooled, broken, 'application/json');
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { message: string }).message).toMatch(/^malformed OTLP JSON: /);
    const typed = JSON.parse(json.toString()) as {
      resourceSpans: { scopeSpans: { spans: { name: unknown }[] }[] }[];
    };
    typed.resourceSpans[0]!.scopeSpans[0]!.spans[7]!.name = { not: 'a string' };
    const r2 = await post(pooled, Buffer.from(JSON.stringify(typed)), 'application/json');
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { message: string }).message).toMatch(
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[7\]\.name/,
    );
  });

  it('keep many concurrent requests apart', async () => {
    const requests = Array.from({ length: 12 }, () => bigRequest(300));
    const answers = await Promise.all(requests.map((r) => post(pooled, r.bytes)));
    expect(answers.map((r) => r.status)).toEqual(requests.map(() => 200));
    for (const r of requests) expect(await spansOf(pooled, r.traceId)).toHaveLength(300);
  });

  it('answer a malformed large request with 400 naming the problem, then go on', async () => {
    // resource_spans (field 1) claims 200,000 bytes; 100,000 follow.
    const truncated = new Uint8Array(100_003);
    truncated.set([0x0a, 0xc0, 0x9a, 0x0c]);
    const res = await post(pooled, truncated);
    expect(res.status).toBe(400);
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toMatch(
      /malformed OTLP protobuf/,
    );
    // Random bytes: a clean 400 or a decoded (empty) request, never a crash or a 5xx.
    for (let i = 0; i < 5; i++) {
      const r = await post(pooled, randomBytes(80_000));
      expect([200, 400]).toContain(r.status);
    }
    const { traceId, bytes } = bigRequest(400);
    expect((await post(pooled, bytes)).status).toBe(200);
    expect(await spansOf(pooled, traceId)).toHaveLength(400);
  });
});

function context(nowMs = Date.now()) {
  return { projectId: 'p1', retentionDays: 30, captureContent: true, nowMs };
}

/** Runs `use` with a new pool and closes the pool afterwards, whatever happens. */
async function withPool(
  options: Parameters<typeof createDecodePool>[0],
  use: (pool: DecodePool) => Promise<void>,
): Promise<void> {
  const pool = createDecodePool(options);
  try {
    await use(pool);
  } finally {
    await pool.close();
  }
}

describe('decode pool', () => {
  const ctx = () => context();

  it('serializes exactly the rows the event loop would', async () => {
    await withPool({ size: 1 }, async (pool) => {
      for (const [n, bad] of [
        [1, 0],
        [700, 3],
        [3000, 0],
      ] as const) {
        const { bytes, json } = bigRequest(n, bad);
        const fixed = context(1_790_000_000_000);
        const got = await pool.decode(bytes, fixed);
        const want = decodeTraces(bytes, fixed);
        expect(got.rows).toBe(want.rows);
        expect(got.rejected).toBe(want.rejected);
        expect(got.errors).toEqual(want.errors);
        expect(got.payload.equals(want.payload)).toBe(true);
        // The same request as OTLP/JSON: the same rows.
        const fromJson = await pool.decode(json, fixed, 'json');
        expect(fromJson.errors).toEqual(want.errors);
        expect(fromJson.payload.equals(want.payload)).toBe(true);
      }
    });
  });

  it('fails the jobs of a crashed worker with 503 and replaces the worker', async () => {
    const errors: unknown[] = [];
    await withPool({ size: 1, onError: (e) => errors.push(e) }, async (pool) => {
      const { bytes } = bigRequest(2000);
      const first = await pool.decode(bytes, ctx());
      expect(first.rows).toBe(2000);
      const inFlight = pool.decode(bytes, ctx());
      await pool.recycle();
      const error = await inFlight.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isPyflareError(error) && error.code).toBe('INGEST_UNAVAILABLE');
      expect(isPyflareError(error) && error.status).toBe(503);
      expect(errors.length).toBeGreaterThan(0);
      expect(pool.pending).toBe(0);
      const again = await pool.decode(bytes, ctx());
      expect(again.rows).toBe(2000);
      expect(again.payload.length).toBe(first.payload.length);
    });
  });

  it('refuses beyond its bound with 429 and after close with 503', async () => {
    const pool = createDecodePool({ size: 1, maxPending: 2 });
    const { bytes } = bigRequest(1000);
    const jobs = [pool.decode(bytes, ctx()), pool.decode(bytes, ctx())];
    expect(pool.full()).toBe(true);
    const refused = await pool.decode(bytes, ctx()).catch((e: unknown) => e);
    expect(isPyflareError(refused) && refused.code).toBe('OVERLOADED');
    expect((await Promise.all(jobs)).map((r) => r.rows)).toEqual([1000, 1000]);
    await pool.close();
    const closed = await pool.decode(bytes, ctx()).catch((e: unknown) => e);
    expect(isPyflareError(closed) && closed.code).toBe('SHUTTING_DOWN');
  });

  it('bounds the request bytes it holds, but always takes a job when idle', async () => {
    const { bytes } = bigRequest(1000);
    await withPool({ size: 1, maxPendingBytes: bytes.length + 10 }, async (pool) => {
      const first = pool.decode(bytes, ctx());
      expect(pool.full()).toBe(false);
      const refused = await pool.decode(bytes, ctx()).catch((e: unknown) => e);
      expect(isPyflareError(refused) && refused.code).toBe('OVERLOADED');
      expect((await first).rows).toBe(1000);
      // Idle again: a request larger than the whole bound is still decoded.
      const big = bigRequest(3000).bytes;
      expect(big.length).toBeGreaterThan(bytes.length + 10);
      expect((await pool.decode(big, ctx())).rows).toBe(3000);
      expect(pool.pending).toBe(0);
    });
  });

  it('rejects a malformed request as malformed, not as a failure of the pool', async () => {
    const errors: unknown[] = [];
    await withPool({ size: 1, onError: (e) => errors.push(e) }, async (pool) => {
      const bad = await pool.decode(new Uint8Array([0x0a, 0x64, 1]), ctx()).catch((e) => e);
      expect(bad).toBeInstanceOf(MalformedRequestError);
      expect((bad as Error).message).toMatch(/\S/);
      expect(errors).toEqual([]);
    });
  });
});
