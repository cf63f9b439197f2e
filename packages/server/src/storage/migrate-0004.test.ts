import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeTraces } from '../pipeline/normalize-spans.ts';
import { ctx, span, traces } from '../pipeline/testing/fixtures.ts';
import { openChdb } from './chdb.ts';
import { SPAN_COLUMNS } from './columns.ts';
import { encodeCompactRows } from './compact-rows.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { getTraceSummaries } from './queries/trace-summary.ts';

/** Migration 0004 in real chDB (its own file: chDB allows one data directory per process). */

describe('migration 0004', () => {
  it('rebuilds traces from spans, ordered by time, and a re-run ends in the same state', async () => {
    const upgradeDir = mkdtempSync(join(tmpdir(), 'pyflare-migrate-0004-'));
    const up = openChdb(upgradeDir);
    try {
      const all = loadMigrations();
      expect(await migrate(up, all.slice(0, 3))).toEqual([1, 2, 3]);
      const now = ctx({ nowMs: Date.now() });
      const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
      const row = (traceId: string, spanId: string, parentSpanId: string, offsetMs: number) =>
        normalizeTraces(
          traces([
            span({
              traceId,
              spanId,
              parentSpanId,
              startTimeUnixNano: startNs + BigInt(offsetMs) * 1_000_000n,
              endTimeUnixNano: startNs + BigInt(offsetMs + 100) * 1_000_000n,
            }),
          ]),
          now,
        ).rows[0]!;
      const a = 'a'.repeat(32);
      const b = 'b'.repeat(32);
      // Trace a in two inserts (two partial aggregates before 0004), trace b in one.
      for (const rows of [
        [row(a, '1'.repeat(16), '', 0), row(b, '3'.repeat(16), '', 5)],
        [row(a, '2'.repeat(16), '1'.repeat(16), 50)],
      ]) {
        await up.insertRows('spans', encodeCompactRows(rows, SPAN_COLUMNS), SPAN_COLUMNS);
      }
      // The summaries as the old table holds them (ids as hex text there).
      const old = await up.query<{ id: string; spans: number; start: string; end: string }>(
        `SELECT trace_id AS id, sum(span_count) AS spans,
           toString(toUnixTimestamp64Nano(min(start_time))) AS start,
           toString(toUnixTimestamp64Nano(max(end_time))) AS end
         FROM traces GROUP BY trace_id ORDER BY trace_id`,
      );
      expect(old.map((r) => [r.id, r.spans])).toEqual([
        [a, 2],
        [b, 1],
      ]);
      const summarized = async () =>
        (await getTraceSummaries(up, now.projectId, [a, b]))
          .map((s) => ({
            id: s.traceId,
            spans: s.spanCount,
            start: s.startTimeUnixNano,
            end: s.endTimeUnixNano,
          }))
          .sort((x, y) => (x.id < y.id ? -1 : 1));

      expect(await migrate(up, all)).toEqual(all.slice(3).map((m) => m.version));
      const [table] = await up.query<{ sorting_key: string }>(
        `SELECT sorting_key FROM system.tables
         WHERE database = currentDatabase() AND name = 'traces'`,
      );
      expect(table?.sorting_key).toBe('project_id, start_bucket, trace_id');
      expect(await summarized()).toEqual(old);

      // A crash after the last statement but before the record: the re-run rebuilds the
      // same table, counting nothing twice.
      for (const statement of all[3]!.statements) await up.command(statement);
      expect(await summarized()).toEqual(old);

      // The view feeds the new table.
      const late = row(a, '4'.repeat(16), '1'.repeat(16), 80);
      await up.insertRows('spans', encodeCompactRows([late], SPAN_COLUMNS), SPAN_COLUMNS);
      const [after] = await getTraceSummaries(up, now.projectId, [a]);
      expect(after?.spanCount).toBe(3);
      expect(after?.endTimeUnixNano).toBe((startNs + 180_000_000n).toString());
    } finally {
      await up.close();
      rmSync(upgradeDir, { recursive: true, force: true });
    }
  });
});
