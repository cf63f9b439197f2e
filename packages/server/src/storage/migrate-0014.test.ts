import { describe, expect, it } from 'vitest';
import { attrs } from '../pipeline/testing/fixtures.ts';
import { bloomProbeOf } from './queries/trace-filter-sql.ts';
import {
  insertSpans,
  migrateBefore,
  migrateThrough,
  recordingDatabase,
  searchEverything,
  spanRowBuilder,
  useMigrationDatabase,
} from './testing/migration-test.ts';

/**
 * Migration 0014 (the blocked attribute Bloom filter) in real chDB: traces written in 0011's
 * layout stay findable, new ones get their pairs' bits in one word each, and the search tests
 * that word.
 */

const store = useMigrationDatabase('migrate-0014');
const { db: recorded, statements } = recordingDatabase(store);

const { now, row: spanRow } = spanRowBuilder();
/** A span of `traceId` with the tenant attribute, starting at `ms`, lasting `lengthMs`. */
const row = (traceId: string, tenant: string, ms: number, lengthMs: number) =>
  spanRow(traceId, ms, lengthMs, attrs({ 'app.tenant': tenant }));
const insert = (rows: ReturnType<typeof row>[]) => insertSpans(store.db, rows);

const OLD = 'a'.repeat(32);
const OLD_OTHER = 'b'.repeat(32);
const SPLIT = 'c'.repeat(32);
const NEW = 'd'.repeat(32);
const NEW_OTHER = 'e'.repeat(32);
const ALL_SET = '18446744073709551615';

/** Ids found, sorted by duration (the whole window at once: the Bloom plan) or by time. */
const search = async (q: string, sort: 'duration' | 'time' = 'duration') =>
  (await searchEverything(recorded, now.projectId, q, sort)).map((t) => t.traceId);

/** Each `traces` row of the trace: its eight words, in decimal. */
const words = (id: string) =>
  store.db
    .query<{ w: string[] }>(
      `SELECT [${[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `toString(attr_bloom_${i})`).join(', ')}] AS w
       FROM traces WHERE trace_id = toFixedString(unhex({id:String}), 16)`,
      { id },
    )
    .then((rows) => rows.map((r) => r.w));

/** The words a span's attributes should set, from the engine's hashes of its pairs. */
async function expectedWords(id: string): Promise<string[]> {
  const [pairs] = await store.db.query<{ h: string[] }>(
    `SELECT arrayMap((k, v) -> toString(cityHash64(k, v)), mapKeys(attributes), mapValues(attributes)) AS h
     FROM spans WHERE trace_id = {id:String}`,
    { id },
  );
  const out = Array.from({ length: 8 }, () => 0n);
  for (const h of pairs!.h) {
    const probe = bloomProbeOf(BigInt(h));
    out[probe.word]! |= probe.mask;
  }
  return out.map(String);
}

describe('migration 0014', () => {
  it('marks the words of 0011 as "may have anything" and lays out new ones in blocks', async () => {
    await migrateBefore(store.db, 14);
    await insert([row(OLD, 'acme', 0, 100), row(OLD_OTHER, 'globex', 10, 200)]);
    await insert([row(SPLIT, 'globex', 20, 300)]);
    const layout11 = await words(OLD);
    expect(layout11).toHaveLength(1);
    // 0011 sets one bit per word for each pair.
    expect(layout11[0]!.every((w) => w !== '0' && w !== ALL_SET)).toBe(true);

    // Then a re-run, as after a crash before the record: it ends in the same state.
    expect(await migrateThrough(store.db, 14)).toEqual([14]);
    for (const id of [OLD, OLD_OTHER, SPLIT]) {
      expect(await words(id)).toEqual([Array(8).fill(ALL_SET)]);
    }

    // Written after it: the pairs' bits in one word each, as the search computes them.
    await insert([row(NEW, 'acme', 30, 400), row(NEW_OTHER, 'globex', 40, 500)]);
    await insert([row(SPLIT, 'acme', 50, 600)]);
    for (const id of [NEW, NEW_OTHER]) {
      const [fresh] = await words(id);
      expect(fresh).toEqual(await expectedWords(id));
      expect(fresh!.filter((w) => w !== '0').length).toBeLessThanOrEqual(3);
    }
    // The split trace has its old row (all set) and a new one.
    expect(await words(SPLIT)).toHaveLength(2);

    const queries = ['attr.app.tenant:acme', 'attr.app.tenant:globex', 'attr.app.tenant:initech'];
    // Durations: OLD 100, OLD_OTHER 200, NEW 400, NEW_OTHER 500, SPLIT 630 ms.
    const want = [[OLD, NEW, SPLIT], [OLD_OTHER, NEW_OTHER, SPLIT], []];
    statements.length = 0;
    expect(await Promise.all(queries.map((q) => search(q)))).toEqual(want);
    // The candidates were taken by the Bloom words.
    expect(
      statements.filter((s) => /bitAnd\(attr_bloom_[0-7], \{p\d+:UInt64\}\)/.test(s)).length,
    ).toBeGreaterThanOrEqual(queries.length);
    // By time, as the first slices scan the spans: the same traces, by start.
    expect(await search('attr.app.tenant:acme', 'time')).toEqual([OLD, SPLIT, NEW]);

    // The Bloom test itself: the new trace of another tenant is no candidate, the old ones are.
    const [hash] = await store.db.query<{ h: string }>(
      `SELECT toString(cityHash64('app.tenant', 'acme')) AS h`,
    );
    const probe = bloomProbeOf(BigInt(hash!.h));
    const passing = async () =>
      (
        await store.db.query<{ id: string }>(
          `SELECT DISTINCT lower(hex(trace_id)) AS id FROM traces
           WHERE bitAnd(attr_bloom_${probe.word}, {mask:UInt64}) = {mask:UInt64} ORDER BY id`,
          { mask: probe.mask },
        )
      ).map((r) => r.id);
    expect(await passing()).toEqual([OLD, OLD_OTHER, SPLIT, NEW]);

    // Merged, the split trace's rows OR into one, all set: still found, the searches unchanged.
    await store.db.command('OPTIMIZE TABLE traces FINAL');
    expect(await words(SPLIT)).toEqual([Array(8).fill(ALL_SET)]);
    expect(await Promise.all(queries.map((q) => search(q)))).toEqual(want);
  });
});
