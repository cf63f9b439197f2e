import { emptyFilter } from '@pyflare/query';
import { describe, expect, it } from 'vitest';
import { attrs } from '../pipeline/testing/fixtures.ts';
import { searchTraces } from './queries/traces.ts';
import {
  insertSpans,
  migrateBefore,
  migrateThrough,
  spanRowBuilder,
  useMigrationDatabase,
} from './testing/migration-test.ts';

/**
 * Migration 0012 (each trace's total tokens in `trace_index` and `trace_durations`) in real
 * chDB: traces written before it sort by their whole totals, including one whose spans came in
 * two inserts.
 */

const store = useMigrationDatabase('migrate-0012');
const { now, row: spanRow } = spanRowBuilder();
/** A chat span of `tokens` input tokens (output 0), `ms` after the start. */
const row = (traceId: string, tokens: number, ms: number) =>
  spanRow(
    traceId,
    ms,
    100,
    attrs({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': tokens,
      'gen_ai.usage.output_tokens': 0,
    }),
  );
const insert = (rows: ReturnType<typeof row>[]) => insertSpans(store.db, rows);

const SPLIT = 'a'.repeat(32);
const BIG = 'b'.repeat(32);
const SMALL = 'c'.repeat(32);
const NEW = 'd'.repeat(32);

async function byTokens(order: 'asc' | 'desc'): Promise<[string, number][]> {
  const page = await searchTraces(store.db, {
    projectId: now.projectId,
    filter: emptyFilter(),
    window: { fromNs: 0n, toNs: undefined },
    sort: 'tokens',
    order,
    limit: 10,
  });
  return page.traces.map((t) => [t.traceId, t.totalTokens]);
}

describe('migration 0012', () => {
  it('sorts traces written before it by their whole token totals', async () => {
    await migrateBefore(store.db, 12);
    // SPLIT has 300 + 500 tokens in two inserts: more than BIG's 700 only as a whole.
    await insert([row(SPLIT, 300, 0), row(BIG, 700, 10), row(SMALL, 50, 20)]);
    await insert([row(SPLIT, 500, 30)]);
    // Then a re-run, as after a crash before the record: it ends in the same state.
    expect(await migrateThrough(store.db, 12)).toEqual([12]);

    // A trace written after it, through the views.
    await insert([row(NEW, 400, 40)]);
    expect(await byTokens('desc')).toEqual([
      [SPLIT, 800],
      [BIG, 700],
      [NEW, 400],
      [SMALL, 50],
    ]);
    expect(await byTokens('asc')).toEqual([
      [SMALL, 50],
      [NEW, 400],
      [BIG, 700],
      [SPLIT, 800],
    ]);
  });
});
