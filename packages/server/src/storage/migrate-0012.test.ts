import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyFilter } from '@pyflare/query';
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
 * Migration 0012 (each trace's total tokens in `trace_index` and `trace_durations`) in real
 * chDB, its own file (chDB allows one data directory per process): traces written before it
 * sort by their whole totals, including one whose spans came in two inserts.
 */

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-migrate-0012-'));
  db = openChdb(dir);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = ctx({ nowMs: Date.now() });
const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
let spanNo = 0;
/** A chat span of `tokens` input tokens (output 0), `ms` after the start. */
const row = (traceId: string, tokens: number, ms: number) =>
  normalizeTraces(
    traces([
      span({
        traceId,
        spanId: (++spanNo).toString(16).padStart(16, '0'),
        startTimeUnixNano: startNs + BigInt(ms) * 1_000_000n,
        endTimeUnixNano: startNs + BigInt(ms + 100) * 1_000_000n,
        attributes: attrs({
          'gen_ai.operation.name': 'chat',
          'gen_ai.usage.input_tokens': tokens,
          'gen_ai.usage.output_tokens': 0,
        }),
      }),
    ]),
    now,
  ).rows[0]!;

const insert = (rows: ReturnType<typeof row>[]) =>
  db.insertRows('spans', encodeCompactRows(rows, SPAN_COLUMNS), SPAN_COLUMNS);

const SPLIT = 'a'.repeat(32);
const BIG = 'b'.repeat(32);
const SMALL = 'c'.repeat(32);
const NEW = 'd'.repeat(32);

async function byTokens(order: 'asc' | 'desc'): Promise<[string, number][]> {
  const page = await searchTraces(db, {
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
    const all = loadMigrations();
    const m12 = all.find((m) => m.version === 12)!;
    await migrate(
      db,
      all.filter((m) => m.version < 12),
    );
    // SPLIT has 300 + 500 tokens in two inserts: more than BIG's 700 only as a whole.
    await insert([row(SPLIT, 300, 0), row(BIG, 700, 10), row(SMALL, 50, 20)]);
    await insert([row(SPLIT, 500, 30)]);
    expect(
      await migrate(
        db,
        all.filter((m) => m.version <= 12),
      ),
    ).toEqual([12]);
    // A re-run after a crash before the record ends in the same state.
    for (const statement of m12.statements) await applyStatement(db, statement);

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
