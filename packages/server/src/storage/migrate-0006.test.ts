import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTraces } from '../pipeline/normalize-spans.ts';
import { attrs, ctx, span, traces } from '../pipeline/testing/fixtures.ts';
import { openChdb } from './chdb.ts';
import { SPAN_COLUMNS } from './columns.ts';
import { encodeCompactRows } from './compact-rows.ts';
import type { Database } from './database.ts';
import { applyStatement, loadMigrations, migrate, splitStatements } from './migrate.ts';
import { getTrace } from './queries/trace-detail.ts';
import { getTraceSummaries } from './queries/trace-summary.ts';

/** Migration 0006 in real chDB (its own file: chDB allows one data directory per process). */

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-migrate-0006-'));
  db = openChdb(dir);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const now = ctx({ nowMs: Date.now() });
const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
const row = (traceId: string, spanId: string, parentSpanId: string, service: string, ms: number) =>
  normalizeTraces(
    traces(
      [
        span({
          traceId,
          spanId,
          parentSpanId,
          startTimeUnixNano: startNs + BigInt(ms) * 1_000_000n,
          endTimeUnixNano: startNs + BigInt(ms + 100) * 1_000_000n,
          attributes: attrs({ 'app.step': ms, note: `span ${spanId}` }),
        }),
      ],
      { 'service.name': service },
    ),
    now,
  ).rows[0]!;

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

async function sortingKey(): Promise<string | undefined> {
  const [t] = await db.query<{ sorting_key: string }>(
    `SELECT sorting_key FROM system.tables
     WHERE database = currentDatabase() AND name = 'spans'`,
  );
  return t?.sorting_key;
}

describe('migration guards', () => {
  it('keeps a `-- @when` line as the first line of the statement below it', () => {
    const sql = [
      '-- a comment',
      'CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = Memory;',
      '-- @when SELECT 1',
      '-- another comment',
      'DROP TABLE t;',
    ].join('\n');
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE IF NOT EXISTS t (x UInt8) ENGINE = Memory',
      '-- @when SELECT 1\nDROP TABLE t',
    ]);
    expect(() => splitStatements('SELECT 1;\n-- @when SELECT 1\n;')).toThrow(/guard without/);
  });

  it('runs a guarded statement only when its query answers true', async () => {
    await db.command('CREATE TABLE IF NOT EXISTS guard_probe (x UInt8) ENGINE = Memory');
    expect(await applyStatement(db, '-- @when SELECT 0\nINSERT INTO guard_probe VALUES (1)')).toBe(
      false,
    );
    expect(
      await applyStatement(db, '-- @when SELECT 1 = 1\nINSERT INTO guard_probe VALUES (2)'),
    ).toBe(true);
    expect(await db.query('SELECT x FROM guard_probe')).toEqual([{ x: 2 }]);
    await db.command('DROP TABLE guard_probe');
  });
});

describe('migration 0006', () => {
  it('reorders spans by trace, keeps every row once across re-runs, and the view still feeds traces', async () => {
    const all = loadMigrations();
    const m6 = all.find((m) => m.version === 6)!;
    expect(await migrate(db, all.slice(0, 5))).toEqual([1, 2, 3, 4, 5]);
    // Trace A crosses three services (three places in the old order), B one.
    const rows = [
      row(A, '1'.repeat(16), '', 'gateway', 0),
      row(A, '2'.repeat(16), '1'.repeat(16), 'agent', 10),
      row(B, '5'.repeat(16), '', 'agent', 15),
      row(A, '3'.repeat(16), '2'.repeat(16), 'retriever', 20),
    ];
    await db.insertRows('spans', encodeCompactRows(rows, SPAN_COLUMNS), SPAN_COLUMNS);
    // Every column of every row, as the old table holds them.
    const everything = () => db.query('SELECT * FROM spans ORDER BY trace_id, span_id');
    const before = await everything();
    expect(before).toHaveLength(4);

    // A crash during the copy: spans_next holds part of it; the re-run starts the copy again.
    await applyStatement(db, m6.statements[0]!);
    await db.command(`INSERT INTO spans_next SELECT * FROM spans LIMIT 2`);
    expect(await migrate(db, all)).toEqual(all.slice(5).map((m) => m.version));
    expect(await sortingKey()).toBe('project_id, toStartOfTenMinutes(start_time), trace_id');
    expect(await everything()).toEqual(before);
    const trace = await getTrace(db, now.projectId, A);
    expect(trace!.spans.map((s) => s.serviceName)).toEqual(['gateway', 'agent', 'retriever']);
    expect(trace!.spans[1]!.attributes).toEqual({ 'app.step': 10, note: `span ${'2'.repeat(16)}` });
    expect((await getTrace(db, now.projectId, B))!.spans).toHaveLength(1);

    // A crash after the exchange (or after the last statement) but before the record: the
    // re-run finds the new layout and copies or exchanges nothing.
    for (const statement of m6.statements) await applyStatement(db, statement);
    expect(await sortingKey()).toBe('project_id, toStartOfTenMinutes(start_time), trace_id');
    expect(await everything()).toEqual(before);
    const tables = await db.query<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'spans%'`,
    );
    expect(tables.map((t) => t.name)).toEqual(['spans']);

    // The view feeds traces from the new table.
    const late = row(A, '4'.repeat(16), '1'.repeat(16), 'agent', 80);
    await db.insertRows('spans', encodeCompactRows([late], SPAN_COLUMNS), SPAN_COLUMNS);
    const [summary] = await getTraceSummaries(db, now.projectId, [A]);
    expect(summary?.spanCount).toBe(4);
    expect(summary?.endTimeUnixNano).toBe((startNs + 180_000_000n).toString());
    expect((await getTrace(db, now.projectId, A))!.spans).toHaveLength(4);
  });
});
