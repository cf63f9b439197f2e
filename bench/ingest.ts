/**
 * Ingest phases (a)–(c), on the same generated requests:
 *  (a) protobuf decode only;
 *  (b) decode + normalize + serialize, as the server does per request (each span normalized
 *      straight into the server's own span encoder, RowBinary: storage/row-binary.ts);
 *  (c) raw chDB inserts of those serialized rows into `spans` (fresh data directory,
 *      migrations applied, so `traces_mv` runs too), in batches of the server's size, in
 *      the server's format and through its own insert call.
 * Runs in its own process (one chDB directory per process); reports through IPC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTraceRequest } from '@pyflare/otlp';
import { normalizeTracesInto } from '../packages/server/src/pipeline/normalize-spans.ts';
import { openChdb } from '../packages/server/src/storage/chdb.ts';
import { migrate } from '../packages/server/src/storage/migrate.ts';
import { INGEST_COLUMNS, createIngestEncoder } from '../packages/server/src/storage/row-binary.ts';
import { childInput, childMain, sendToParent } from './lib/child.ts';
import type { BenchOptions } from './lib/options.ts';
import { buildPool, type Pool } from './lib/pool.ts';
import { retraceableRows, type Retraceable } from './lib/requests.ts';
import { now } from './lib/stats.ts';

export interface IngestInput {
  options: BenchOptions;
  nowMs: number;
  /** Raw insert runs: batch size and rows in all, the server's batchMaxRows first. */
  inserts: { batchRows: number; total: number }[];
}

export interface Rate {
  spans: number;
  seconds: number;
  spansPerSecond: number;
  bytesPerSecond?: number;
}

export interface InsertRate extends Rate {
  batchRows: number;
  batches: number;
  /** Mean payload (the server's span format, RowBinary) bytes per batch. */
  batchBytes: number;
}

export interface IngestResult {
  pool: {
    spans: number;
    requests: number;
    bytes: number;
    generateSeconds: number;
    encodeSeconds: number;
  };
  decode: Rate;
  pipeline: Rate;
  /** Payload (the server's span format, RowBinary) bytes per span. */
  rowBytes: number;
  rejected: number;
  inserts: InsertRate[];
  stored: number;
  inserted: number;
}

/** Repeats `pass` (which handles `spans` spans) until `minSeconds` have passed. */
function rate(minSeconds: number, spans: number, bytes: number, pass: () => void): Rate {
  pass(); // warm-up
  let done = 0;
  const t0 = now();
  let elapsed: number;
  do {
    pass();
    done += spans;
    elapsed = (now() - t0) / 1000;
  } while (elapsed < minSeconds);
  const passes = done / spans;
  return {
    spans: done,
    seconds: elapsed,
    spansPerSecond: done / elapsed,
    bytesPerSecond: (bytes * passes) / elapsed,
  };
}

/** A request as the ingest service serializes it: each span normalized into the encoder. */
function serialize(bytes: Uint8Array, ctx: ReturnType<typeof normalizeContext>) {
  const encoder = createIngestEncoder('spans');
  const { rejected } = normalizeTracesInto(decodeTraceRequest(bytes), ctx, encoder);
  return { payload: encoder.finish(), rows: encoder.rows, rejected };
}

function normalizeContext(nowMs: number) {
  return { projectId: 'default', retentionDays: 30, captureContent: true, nowMs };
}

function codec(pool: Pool, options: BenchOptions, nowMs: number) {
  const ctx = normalizeContext(nowMs);
  const decode = rate(options.minSeconds, pool.spans, pool.bytes, () => {
    for (const r of pool.requests) decodeTraceRequest(r.encoded.bytes);
  });
  const pipeline = rate(options.minSeconds, pool.spans, pool.bytes, () => {
    for (const r of pool.requests) serialize(r.encoded.bytes, ctx);
  });
  let rejected = 0;
  const payloads: Retraceable[] = pool.requests.map((r) => {
    const result = serialize(r.encoded.bytes, ctx);
    rejected += result.rejected;
    return retraceableRows(result.payload, result.rows);
  });
  return { decode, pipeline, payloads, rejected };
}

/**
 * Inserts at least `total` rows in batches of up to `batchRows`, built like the server's
 * batch writer builds them (whole request payloads, one insert). Each pass over the pool
 * uses a new copy number, so every trace id is new. Only the insert calls are timed.
 */
async function insertRate(
  insert: (payloads: Buffer[]) => Promise<void>,
  payloads: Retraceable[],
  total: number,
  batchRows: number,
  firstCopy: number,
): Promise<InsertRate & { copies: number }> {
  let copy = firstCopy;
  let next = 0;
  let rows = 0;
  let seconds = 0;
  let batches = 0;
  let bytes = 0;
  while (rows < total) {
    const parts: Buffer[] = [];
    let batch = 0;
    while (parts.length === 0 || batch + payloads[next]!.spans <= batchRows) {
      const p = payloads[next]!;
      parts.push(p.copy(copy));
      batch += p.spans;
      if (++next === payloads.length) {
        next = 0;
        copy++;
      }
      if (rows + batch >= total) break;
    }
    // Handed over as the batch writer does: the request payloads, not one concatenation.
    const t0 = now();
    await insert(parts);
    seconds += (now() - t0) / 1000;
    rows += batch;
    for (const p of parts) bytes += p.length;
    batches++;
  }
  return {
    spans: rows,
    seconds,
    spansPerSecond: rows / seconds,
    bytesPerSecond: bytes / seconds,
    batchRows,
    batches,
    batchBytes: bytes / batches,
    copies: copy + 1 - firstCopy,
  };
}

childMain(async () => {
  const input = childInput<IngestInput>();
  const { options } = input;
  const pool = buildPool(options.poolSpans, input.nowMs);
  console.log(
    `  pool: ${pool.requests.length} requests, ${pool.spans} spans, ` +
      `${(pool.bytes / pool.spans).toFixed(0)} protobuf bytes/span`,
  );
  const { decode, pipeline, payloads, rejected } = codec(pool, options, input.nowMs);
  const rowBytes = payloads.reduce((a, p) => a + p.bytes.length, 0) / pool.spans;
  console.log(
    `  decode ${decode.spansPerSecond.toFixed(0)} spans/s; decode+normalize+serialize ` +
      `${pipeline.spansPerSecond.toFixed(0)} spans/s; ${rowBytes.toFixed(0)} payload bytes/row`,
  );

  const dataDir = mkdtempSync(join(tmpdir(), 'pyflare-bench-insert-'));
  const db = openChdb(dataDir);
  try {
    await migrate(db);
    const inserts: InsertRate[] = [];
    let copy = 1;
    let inserted = 0;
    for (const { batchRows, total } of input.inserts) {
      const r = await insertRate(
        (payloads) => db.insertRows('spans', payloads, INGEST_COLUMNS.spans),
        payloads,
        total,
        batchRows,
        copy,
      );
      copy += r.copies;
      inserted += r.spans;
      const { copies: _copies, ...result } = r;
      inserts.push(result);
      console.log(
        `  raw insert, batches of ≤${batchRows} rows: ${r.spansPerSecond.toFixed(0)} spans/s ` +
          `(${r.batches} batches, ${(r.batchBytes / 1e6).toFixed(1)} MB each)`,
      );
    }
    const [{ c }] = (await db.query<{ c: number }>('SELECT count() AS c FROM spans')) as [
      { c: number },
    ];
    const result: IngestResult = {
      pool: {
        spans: pool.spans,
        requests: pool.requests.length,
        bytes: pool.bytes,
        generateSeconds: pool.generateSeconds,
        encodeSeconds: pool.encodeSeconds,
      },
      decode,
      pipeline,
      rowBytes,
      rejected,
      inserts,
      stored: Number(c),
      inserted,
    };
    await sendToParent('result', result);
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
