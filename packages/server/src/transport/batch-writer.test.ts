import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, recentNs, type TestDb } from '../../test/helpers/read-db.ts';
import { normalizeTraces } from '../pipeline/normalize-spans.ts';
import { ctx, span, traces } from '../pipeline/testing/fixtures.ts';
import { SPAN_BINARY_COLUMNS, encodeBinaryRows } from '../storage/row-binary.ts';
import type { Database } from '../storage/database.ts';
import { createAdmission } from './admission.ts';
import { IDLE_FLUSH_ROWS, createBatchWriter } from './batch-writer.ts';

/** The batch writer against real chDB: when it writes, and what it acknowledges. */

let t: TestDb;
let db: Database;

beforeAll(async () => {
  t = await openTestDb();
  db = t.db;
});

afterAll(() => t.close());

function payload(rows: number, traceId: string): Buffer {
  const now = recentNs();
  const spans = Array.from({ length: rows }, () =>
    span({ traceId, startTimeUnixNano: now - 1000n, endTimeUnixNano: now }),
  );
  const out = normalizeTraces(traces(spans), ctx({ nowMs: Date.now() })).rows;
  expect(out).toHaveLength(rows);
  return encodeBinaryRows(out, SPAN_BINARY_COLUMNS);
}

const count = async (traceId: string) =>
  (
    await db.query<{ c: number }>('SELECT count() AS c FROM spans WHERE trace_id = {t:String}', {
      t: traceId,
    })
  )[0]!.c;

describe('batch writer', () => {
  it('writes a batch of IDLE_FLUSH_ROWS at once while idle, small ones after the delay', async () => {
    const admission = createAdmission({ maxRows: 1_000_000, maxBytes: 1 << 30 });
    const writer = createBatchWriter({
      table: 'spans',
      db,
      admission,
      maxRows: 100_000,
      maxDelayMs: 3_600_000, // an hour: only the idle rule (or flush) can write
    });
    const big = 'a'.repeat(31) + '1';
    const small = 'a'.repeat(31) + '2';
    const bytes = payload(3, small);
    admission.acquire(3, bytes.length);
    let smallDone = false;
    const smallWrite = writer.write(bytes, 3).then(() => (smallDone = true));

    const bigBytes = payload(IDLE_FLUSH_ROWS, big);
    admission.acquire(IDLE_FLUSH_ROWS, bigBytes.length);
    await writer.write(bigBytes, IDLE_FLUSH_ROWS); // settles without waiting out the hour
    expect(await count(big)).toBe(IDLE_FLUSH_ROWS);
    // The small payload was pending when the big one arrived: they went in one batch.
    await smallWrite;
    expect(smallDone).toBe(true);
    expect(await count(small)).toBe(3);

    const lone = 'a'.repeat(31) + '3';
    const loneBytes = payload(5, lone);
    admission.acquire(5, loneBytes.length);
    let loneDone = false;
    const loneWrite = writer.write(loneBytes, 5).then(() => (loneDone = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(loneDone).toBe(false); // below the idle size: waits for the delay
    expect(await count(lone)).toBe(0);
    await writer.flush();
    await loneWrite;
    expect(await count(lone)).toBe(5);
    expect(admission.rows).toBe(0);
    expect(admission.bytes).toBe(0);
  });

  it('after an insert, gathers what its acknowledged client sends next with what is pending', async () => {
    const admission = createAdmission({ maxRows: 1_000_000, maxBytes: 1 << 30 });
    const batches: number[] = [];
    const writer = createBatchWriter({
      table: 'spans',
      db,
      admission,
      maxRows: 100_000,
      maxDelayMs: 3_600_000,
      onBatch: (_t, rows) => batches.push(rows),
    });
    const send = (rows: number, id: string) => {
      const bytes = payload(rows, 'b'.repeat(31) + id);
      admission.acquire(rows, bytes.length);
      return writer.write(bytes, rows);
    };
    // Client 1's request is being inserted while client 2's arrives and waits.
    const first = send(IDLE_FLUSH_ROWS, '1');
    const second = send(5, '2');
    // Client 1, acknowledged, sends again a moment later (after the writer has decided).
    const again = first
      .then(() => new Promise(setImmediate))
      .then(() => send(IDLE_FLUSH_ROWS, '3'));
    await Promise.all([first, second, again]);
    // Client 2's rows waited for client 1's next request instead of going alone.
    expect(batches).toEqual([IDLE_FLUSH_ROWS, IDLE_FLUSH_ROWS + 5]);
    for (const id of ['1', '2', '3']) expect(await count('b'.repeat(31) + id)).toBeGreaterThan(0);
    await writer.close();
    expect(admission.rows).toBe(0);
  });

  it('runs its hooks around each insert, and their failures never fail a batch', async () => {
    const admission = createAdmission({ maxRows: 1_000_000, maxBytes: 1 << 30 });
    const events: string[] = [];
    const errors: unknown[] = [];
    let failBefore = true;
    const writer = createBatchWriter({
      table: 'spans',
      db,
      admission,
      maxRows: 100_000,
      maxDelayMs: 0,
      onError: (e) => errors.push(e),
      hooks: {
        async before(payloads) {
          events.push(`before ${payloads.length}`);
          if (failBefore) throw new Error('lookup failed');
          return payloads.length;
        },
        async after(state) {
          events.push(`after ${String(state)}`);
          throw new Error('index write failed');
        },
      },
    });
    const send = (id: string) => {
      const bytes = payload(2, 'c'.repeat(31) + id);
      admission.acquire(2, bytes.length);
      return writer.write(bytes, 2);
    };
    // `before` failed: the rows are stored and acknowledged, `after` skipped, the failure
    // reported.
    await send('1');
    expect(await count('c'.repeat(31) + '1')).toBe(2);
    // `after` failed once the rows were stored: acknowledged too, the failure reported.
    failBefore = false;
    await send('2');
    expect(await count('c'.repeat(31) + '2')).toBe(2);
    expect(events).toEqual(['before 1', 'before 1', 'after 1']);
    expect(errors.map((e) => (e as Error).message)).toEqual([
      'lookup failed',
      'index write failed',
    ]);
    await writer.close();
    expect(admission.rows).toBe(0);
  });
});
