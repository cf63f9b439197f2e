import { describe, expect, it } from 'vitest';
import { attrs } from '../pipeline/testing/fixtures.ts';
import {
  insertSpans,
  migrateBefore,
  migrateThrough,
  searchEverything,
  spanRowBuilder,
  useMigrationDatabase,
} from './testing/migration-test.ts';

/**
 * Migration 0013 (the random columns of `traces` stored without compression) in real chDB:
 * only the codec changes, traces written before it read the same before and after a merge
 * rewrites their part, and the merged part is really stored uncompressed.
 */

const store = useMigrationDatabase('migrate-0013');
const { now, row: spanRow } = spanRowBuilder();
const row = (traceId: string, tenant: string, ms: number) =>
  spanRow(traceId, ms, 100, attrs({ 'app.tenant': tenant }));
const insert = (rows: ReturnType<typeof row>[]) => insertSpans(store.db, rows);

// Ids of one repeated byte: LZ4 would shrink them to almost nothing, so their stored size
// tells the codec apart.
const ids = 'abcdef'.split('').map((c) => c.repeat(32));

const search = async (q: string) =>
  (await searchEverything(store.db, now.projectId, q)).map((t) => [
    t.traceId,
    t.startTimeUnixNano,
    t.durationNs,
    t.spanCount,
  ]);

const RANDOM = [
  'trace_id',
  'start_time',
  'end_time',
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `attr_bloom_${i}`),
];

/** Every trace's merged Bloom words: what 0013 must keep (searches read them as of 0014). */
const blooms = () =>
  store.db.query<{ id: string; words: string[] }>(
    `SELECT lower(hex(trace_id)) AS id,
            [${RANDOM.slice(3)
              .map((c) => `toString(groupBitOr(${c}))`)
              .join(', ')}] AS words
     FROM traces GROUP BY trace_id ORDER BY id`,
  );

const columns = () =>
  store.db.query<{
    name: string;
    type: string;
    default_expression: string;
    compression_codec: string;
  }>(
    `SELECT name, type, default_expression, compression_codec FROM system.columns
     WHERE database = currentDatabase() AND table = 'traces' ORDER BY position`,
  );

describe('migration 0013', () => {
  it('changes only the codec of the random columns, and keeps what was written', async () => {
    await migrateBefore(store.db, 13);
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

    // Then a re-run, as after a crash before the record: it changes nothing.
    expect(await migrateThrough(store.db, 13)).toEqual([13]);

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
    await store.db.command(
      'ALTER TABLE traces MODIFY SETTING min_bytes_for_wide_part = 0, min_rows_for_wide_part = 0',
    );
    await store.db.command('OPTIMIZE TABLE traces FINAL');
    const after = await Promise.all(queries.map(search));
    expect(after[1]!.map((t) => t[0])).toEqual(ids.slice(0, 5));
    expect(after.map((page) => page.filter((t) => t[0] !== ids[4]))).toEqual(before);
    expect((await blooms()).filter((b) => b.id !== ids[4])).toEqual(bloomsBefore);

    const [part] = await store.db.query<{
      parts: string;
      stored: string;
      raw: string;
      spans: string;
    }>(
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
