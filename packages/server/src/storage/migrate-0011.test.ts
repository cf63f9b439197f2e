import { describe, expect, it } from 'vitest';
import { attrs } from '../pipeline/testing/fixtures.ts';
import {
  insertSpans,
  migrateAll,
  migrateBefore,
  migrateThrough,
  searchEverything,
  spanRowBuilder,
  useMigrationDatabase,
} from './testing/migration-test.ts';

/**
 * Migration 0011 (the traces' attribute Bloom words) in real chDB: traces written before it
 * stay findable by attribute.
 */

const store = useMigrationDatabase('migrate-0011');
const { now, row: spanRow } = spanRowBuilder();
const row = (traceId: string, tenant: string, ms: number) =>
  spanRow(traceId, ms, 100, attrs({ 'app.tenant': tenant }));

const OLD = 'a'.repeat(32);
const OLD_OTHER = 'b'.repeat(32);
const NEW = 'c'.repeat(32);
const NEW_OTHER = 'd'.repeat(32);

const search = async (q: string) =>
  (await searchEverything(store.db, now.projectId, q)).map((t) => t.traceId);

const words = async (id: string) =>
  (
    await store.db.query<{ w: string }>(
      `SELECT toString(attr_bloom_0) AS w FROM traces WHERE trace_id = toFixedString(unhex({id:String}), 16)`,
      { id },
    )
  ).map((r) => r.w);

describe('migration 0011', () => {
  it('keeps traces written before it findable by attribute, and fills the words after', async () => {
    await migrateBefore(store.db, 11);
    await insertSpans(store.db, [row(OLD, 'acme', 0), row(OLD_OTHER, 'globex', 10)]);
    // Then a re-run, as after a crash before the record: it changes nothing.
    expect(await migrateThrough(store.db, 11)).toEqual([11]);

    await insertSpans(store.db, [row(NEW, 'acme', 20), row(NEW_OTHER, 'globex', 30)]);
    // Old rows read "every bit set"; new ones have their pair's bits only.
    expect(await words(OLD)).toEqual(['18446744073709551615']);
    const fresh = await words(NEW);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toBe('18446744073709551615');
    expect(fresh[0]).not.toBe('0');

    // Searches read the Bloom words as 0014 lays them out: it sets 0011's words all to one.
    await migrateAll(store.db);
    expect(await words(NEW)).toEqual(['18446744073709551615']);
    expect(await search('attr.app.tenant:acme')).toEqual([OLD, NEW]);
    expect(await search('attr.app.tenant:globex')).toEqual([OLD_OTHER, NEW_OTHER]);
    expect(await search('attr.app.tenant:initech')).toEqual([]);
  });
});
