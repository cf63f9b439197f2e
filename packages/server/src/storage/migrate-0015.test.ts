import { describe, expect, it } from 'vitest';
import { attrs } from '../pipeline/testing/fixtures.ts';
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
 * Migration 0015 (the value bits of `traces`) in real chDB: the rows written before it get the
 * bits of their services, models, users and sessions, the rows written after it get them as
 * they are inserted, a trace's rows merge into the OR of theirs, and a search by candidates
 * tests them.
 */

const store = useMigrationDatabase('migrate-0015');
const { db: recorded, statements } = recordingDatabase(store);

const { now, row: spanRow } = spanRowBuilder();

interface Values {
  service: string;
  model: string;
  user: string;
  session: string;
}

/** A span of `traceId` with those values and a tenant, starting at `ms`. */
const row = (traceId: string, ms: number, tenant: string, values: Values) => ({
  ...spanRow(traceId, ms, 100, attrs({ 'app.tenant': tenant })),
  service_name: values.service,
  request_model: values.model,
  user_id: values.user,
  session_id: values.session,
});
const insert = (rows: ReturnType<typeof row>[]) => insertSpans(store.db, rows);

const OLD = 'a'.repeat(32);
const SPLIT = 'b'.repeat(32);
const NEW = 'c'.repeat(32);
const COLUMNS = ['services_bits', 'models_bits', 'users_bits', 'sessions_bits'] as const;

/** Each `traces` row of the trace: its four bit sets, in decimal. */
const bits = (id: string) =>
  store.db
    .query<{ b: string[] }>(
      `SELECT [${COLUMNS.map((c) => `toString(${c})`).join(', ')}] AS b
       FROM traces WHERE trace_id = toFixedString(unhex({id:String}), 16)`,
      { id },
    )
    .then((rows) => rows.map((r) => r.b));

/**
 * The bit sets of those values (a list per column; '' counts only for services, as the other
 * arrays leave it out), from the engine's hash of each value: bit hash % 64.
 */
async function expectedBits(lists: Values[]): Promise<string[]> {
  const fields = ['service', 'model', 'user', 'session'] as const;
  const out: string[] = [];
  for (const field of fields) {
    const values = lists.map((v) => v[field]).filter((v) => field === 'service' || v !== '');
    const hashes = await store.db.query<{ h: string }>(
      `SELECT toString(cityHash64(v)) AS h FROM (SELECT arrayJoin({values:Array(String)}) AS v)`,
      { values },
    );
    let set = 0n;
    for (const { h } of hashes) set |= 1n << (BigInt(h) % 64n);
    out.push(set.toString());
  }
  return out;
}

const search = async (q: string) =>
  (await searchEverything(recorded, now.projectId, q, 'duration')).map((t) => t.traceId);

const A: Values = { service: 'checkout', model: 'gpt-4o', user: 'alice', session: 's-1' };
const B: Values = { service: 'search', model: '', user: 'bob', session: '' };
const C: Values = { service: 'agent', model: 'claude-sonnet-4-5', user: '', session: 's-2' };

describe('migration 0015', () => {
  it('sets the bits of the rows written before it and of every row inserted after it', async () => {
    await migrateBefore(store.db, 15);
    await insert([row(OLD, 0, 'acme', A), row(OLD, 10, 'acme', B)]);
    await insert([row(SPLIT, 20, 'globex', A)]);

    // Then a re-run, as after a crash before the record: it ends in the same state.
    expect(await migrateThrough(store.db, 15)).toEqual([15]);
    // Stored in every part, not computed from the arrays at each read.
    const [parts] = await store.db.query<{ all: number; with: number }>(
      `SELECT uniqExact(name) AS all, uniqExactIf(name, column = 'services_bits') AS with
       FROM system.parts_columns
       WHERE database = currentDatabase() AND table = 'traces' AND active`,
    );
    expect(parts!.all).toBeGreaterThan(0);
    expect(parts!.with).toBe(parts!.all);
    expect(await bits(OLD)).toEqual([await expectedBits([A, B])]);
    expect(await bits(SPLIT)).toEqual([await expectedBits([A])]);
    // Not all zero: the values set bits.
    expect((await bits(OLD))[0]!.every((b) => b !== '0')).toBe(true);

    await insert([row(NEW, 30, 'acme', C)]);
    await insert([row(SPLIT, 40, 'globex', C)]);
    expect(await bits(NEW)).toEqual([await expectedBits([C])]);
    expect(await bits(SPLIT)).toHaveLength(2);

    const queries = [
      'service:checkout attr.app.tenant:acme',
      'model:claude-sonnet-4-5 attr.app.tenant:globex',
      'user:bob attr.app.tenant:acme',
      'session:s-2 attr.app.tenant:acme',
      'service:checkout attr.app.tenant:globex',
      'service:search attr.app.tenant:globex',
    ];
    const want = [[OLD], [SPLIT], [OLD], [NEW], [SPLIT], []];
    statements.length = 0;
    expect(await Promise.all(queries.map((q) => search(q)))).toEqual(want);
    // The candidates were narrowed by the bits.
    for (const column of COLUMNS) {
      expect(statements.some((s) => s.includes(`groupBitOr(${column})`))).toBe(true);
    }

    // Merged, the split trace's rows OR into one; the searches are unchanged.
    await store.db.command('OPTIMIZE TABLE traces FINAL');
    expect(await bits(SPLIT)).toEqual([await expectedBits([A, C])]);
    expect(await Promise.all(queries.map((q) => search(q)))).toEqual(want);
  });
});
