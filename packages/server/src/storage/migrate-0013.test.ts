import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseQuery } from '@pyflare/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTraces } from '../pipeline/normalize-spans.ts';
import { attrs, ctx, span, traces } from '../pipeline/testing/fixtures.ts';
import { openChdb } from './chdb.ts';
import { SPAN_COLUMNS } from './columns.ts';
import { encodeCompactRows } from './compact-rows.ts';
import type { Database } from './database.ts';
import { applyStatement, loadMigrations, migrate } from './migrate.ts';
import { searchTraces } from './queries/traces.ts';

/**
 * Migration 0013 (the random columns of `traces` stored without compression) in real chDB,
 * its own file (chDB allows one data directory per process): only the codec changes, traces
 * written before it read the same before and after a merge rewrites their part, and the
 * merged part is really stored uncompressed.
 */

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-migrate-0013-'));
  db = openChdb(dir);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = ctx({ nowMs: Date.now() });
const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
let spanNo = 0;
const row = (traceId: string, tenant: string, ms: number) =>
  normalizeTraces(
    traces([
      span({
        traceId,
        spanId: (++spanNo).toString(16).padStart(16, '0'),
        startTimeUnixNano: startNs + BigInt(ms) * 1_000_000n,
        endTimeUnixNano: startNs + BigInt(ms + 100) * 1_000_000n,
        attributes: attrs({ 'app.tenant': tenant }),
      }),
    ]),
    now,
  ).rows[0]!;

const insert = (rows: ReturnType<typeof row>[]) =>
  db.insertRows('spans', encodeCompactRows(rows, SPAN_COLUMNS), SPAN_COLUMNS);

// Ids of one repeated byte: LZ4 would shrink them to almost nothing, so their stored size
// tells the codec apart.
const ids = 'abcdef'.split('').map((c) => c.repeat(32));

async function search(q: string) {
  const page = await searchTraces(db, {
    projectId: now.projectId,
    filter: parseQuery(q, { now: Date.now() }).filter,
    window: { fromNs: 0n, toNs: undefined },
    sort: 'time',
    order: 'asc',
    limit: 10,
  });
  return page.traces.map((t) => [t.traceId, t.startTimeUnixNano, t.durationNs, t.spanCount]);
}

const RANDOM = [
  'trace_id',
  'start_time',
  'end_time',
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `attr_bloom_${i}`),
];

/** Every trace's merged Bloom words: what 0013 must keep (searches read them as of 0014). */
const blooms = () =>
  db.query<{ id: string; words: string[] }>(
    `SELECT lower(hex(trace_id)) AS id,
            [${RANDOM.slice(3)
              .map((c) => `toString(groupBitOr(${c}))`)
              .join(', ')}] AS words
     FROM traces GROUP BY trace_id ORDER BY id`,
  );

const columns = () =>
  db.query<{ name: string; type: string; default_expression: string; compression_codec: string }>(
    `SELECT name, type, default_expression, compression_codec FROM system.columns
     WHERE database = currentDatabase() AND table = 'traces' ORDER BY position`,
  );

describe('migration 0013', () => {
  it('changes only the codec of the random columns, and keeps what was written', async () => {
    const all = loadMigrations();
    const m13 = all.find((m) => m.version === 13)!;
    await migrate(
      db,
      all.filter((m) => m.version < 13),
    );
    // The first trace's spans come in two inserts: two partial rows in `traces`.
    await insert([row(ids[0]!, 'acme', 0), row(ids[1]!, 'globex', 10), row(ids[2]!, 'acme', 20)]);
    await insert([row(ids[0]!, 'acme', 500), row(ids[3]!, 'acme', 30)]);
    const queries = ['duration:>200ms', ''];
    const before = await Promise.all(queries.map(search));
    expect(before[0]!.map((t) => t[0])).toEqual([ids[0]]);
    expect(before[1]!.map((t) => t[0])).toEqual(ids.slice(0, 4));
    const bloomsBefore = await blooms();
    expect(bloomsBefore.map((b) => b.id)).toEqual(ids.slice(0, 4));
    expect(bloomsBefore.every((b) => b.words.some((w) => w !== '0'))).toBe(true);
    const columnsBefore = await columns();

    expect(
      await migrate(
        db,
        all.filter((m) => m.version <= 13),
      ),
    ).toEqual([13]);
    // A re-run after a crash before the record changes nothing.
    for (const statement of m13.statements) await applyStatement(db, statement);

    const columnsAfter = await columns();
    // Names, types and defaults as they were.
    const shape = (c: (typeof columnsAfter)[number]) => [c.name, c.type, c.default_expression];
    expect(columnsAfter.map(shape)).toEqual(columnsBefore.map(shape));
    for (const c of columnsAfter) {
      expect([c.name, c.compression_codec]).toEqual([
        c.name,
        RANDOM.includes(c.name) ? 'CODEC(NONE)' : '',
      ]);
    }
    expect(await Promise.all(queries.map(search))).toEqual(before);
    expect(await blooms()).toEqual(bloomsBefore);

    // A trace after it through the view, then one merge rewriting every part with the codec.
    await insert([row(ids[4]!, 'acme', 40)]);
    // Small parts are compact (one file, no sizes per column): the merged one is made wide.
    await db.command(
      'ALTER TABLE traces MODIFY SETTING min_bytes_for_wide_part = 0, min_rows_for_wide_part = 0',
    );
    await db.command('OPTIMIZE TABLE traces FINAL');
    const after = await Promise.all(queries.map(search));
    expect(after[1]!.map((t) => t[0])).toEqual(ids.slice(0, 5));
    expect(after.map((page) => page.filter((t) => t[0] !== ids[4]))).toEqual(before);
    expect((await blooms()).filter((b) => b.id !== ids[4])).toEqual(bloomsBefore);

    const [part] = await db.query<{ parts: string; stored: string; raw: string; spans: string }>(
      `SELECT toString(count()) AS parts,
              toString(sumIf(column_data_compressed_bytes, column = 'trace_id')) AS stored,
              toString(sumIf(column_data_uncompressed_bytes, column = 'trace_id')) AS raw,
              toString(sumIf(rows, column = 'trace_id')) AS spans
       FROM system.parts_columns
       WHERE database = currentDatabase() AND table = 'traces' AND active AND column = 'trace_id'`,
    );
    expect(part!.parts).toBe('1');
    // 5 traces, 16 bytes each, stored as they are (plus the block header).
    expect(Number(part!.raw)).toBe(5 * 16);
    expect(Number(part!.stored)).toBeGreaterThanOrEqual(5 * 16);
  });
});
