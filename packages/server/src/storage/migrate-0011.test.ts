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
 * Migration 0011 (the traces' attribute Bloom words) in real chDB, its own file (chDB allows
 * one data directory per process): traces written before it stay findable by attribute.
 */

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-migrate-0011-'));
  db = openChdb(dir);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = ctx({ nowMs: Date.now() });
const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
const row = (traceId: string, tenant: string, ms: number) =>
  normalizeTraces(
    traces([
      span({
        traceId,
        spanId: traceId.slice(0, 16),
        startTimeUnixNano: startNs + BigInt(ms) * 1_000_000n,
        endTimeUnixNano: startNs + BigInt(ms + 100) * 1_000_000n,
        attributes: attrs({ 'app.tenant': tenant }),
      }),
    ]),
    now,
  ).rows[0]!;

const OLD = 'a'.repeat(32);
const OLD_OTHER = 'b'.repeat(32);
const NEW = 'c'.repeat(32);
const NEW_OTHER = 'd'.repeat(32);

async function search(q: string): Promise<string[]> {
  const page = await searchTraces(db, {
    projectId: now.projectId,
    filter: parseQuery(q, { now: Date.now() }).filter,
    window: { fromNs: 0n, toNs: undefined },
    sort: 'time',
    order: 'asc',
    limit: 10,
  });
  return page.traces.map((t) => t.traceId);
}

const words = async (id: string) =>
  (
    await db.query<{ w: string }>(
      `SELECT toString(attr_bloom_0) AS w FROM traces WHERE trace_id = toFixedString(unhex({id:String}), 16)`,
      { id },
    )
  ).map((r) => r.w);

describe('migration 0011', () => {
  it('keeps traces written before it findable by attribute, and fills the words after', async () => {
    const all = loadMigrations();
    const m11 = all.find((m) => m.version === 11)!;
    await migrate(
      db,
      all.filter((m) => m.version < 11),
    );
    await db.insertRows(
      'spans',
      encodeCompactRows([row(OLD, 'acme', 0), row(OLD_OTHER, 'globex', 10)], SPAN_COLUMNS),
      SPAN_COLUMNS,
    );
    expect(
      await migrate(
        db,
        all.filter((m) => m.version <= 11),
      ),
    ).toEqual([11]);
    // A re-run after a crash before the record changes nothing.
    for (const statement of m11.statements) await applyStatement(db, statement);

    await db.insertRows(
      'spans',
      encodeCompactRows([row(NEW, 'acme', 20), row(NEW_OTHER, 'globex', 30)], SPAN_COLUMNS),
      SPAN_COLUMNS,
    );
    // Old rows read "every bit set"; new ones have their pair's bits only.
    expect(await words(OLD)).toEqual(['18446744073709551615']);
    const fresh = await words(NEW);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toBe('18446744073709551615');
    expect(fresh[0]).not.toBe('0');

    // Searches read the Bloom words as 0014 lays them out: it sets 0011's words all to one.
    await migrate(db, all);
    expect(await words(NEW)).toEqual(['18446744073709551615']);
    expect(await search('attr.app.tenant:acme')).toEqual([OLD, NEW]);
    expect(await search('attr.app.tenant:globex')).toEqual([OLD_OTHER, NEW_OTHER]);
    expect(await search('attr.app.tenant:initech')).toEqual([]);
  });
});
