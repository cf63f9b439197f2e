/**
 * What each materialized view on `spans` costs the engine at insert time (an A/B, not a
 * target check; docs/architecture/ingest.md, "What the per-trace views cost the engine").
 * One child process per variant (one chDB directory per process): a fresh directory with
 * every migration, then only the views changed; the same RowBinary rows through the
 * server's insert call; process CPU (all engine threads) per row, during the inserts and
 * until no merge has run for a second. Variants run interleaved, ROUNDS times.
 *
 *   node --import tsx bench/ingest-views.ts            # env: ROUNDS, ORDER, TOTAL, BATCH
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTraceRequest } from '@pyflare/otlp';
import { normalizeTracesInto } from '../packages/server/src/pipeline/normalize-spans.ts';
import { openChdb } from '../packages/server/src/storage/chdb.ts';
import { loadMigrations, migrate } from '../packages/server/src/storage/migrate.ts';
import { INGEST_COLUMNS, createIngestEncoder } from '../packages/server/src/storage/row-binary.ts';
import { buildPool } from './lib/pool.ts';
import { retraceableRows } from './lib/requests.ts';

const CASCADE = `CREATE MATERIALIZED VIEW trace_durations_mv TO trace_durations AS
SELECT project_id, toStartOfTenMinutes(toDateTime(start_time, 'UTC')) AS start_bucket, trace_id, start_time, end_time, retention_days FROM trace_index`;
const FROM_TRACES = [
  'DROP VIEW trace_index_mv',
  'DROP VIEW trace_durations_mv',
  `CREATE MATERIALIZED VIEW trace_index_mv TO trace_index AS SELECT project_id, trace_id, start_time, end_time, retention_days FROM traces`,
  `CREATE MATERIALIZED VIEW trace_durations_mv TO trace_durations AS SELECT project_id, start_bucket, trace_id, start_time, end_time, retention_days FROM traces`,
];
/** `traces_mv` as migration 0011 made it: the Bloom bits spread over the eight words. */
const BLOOM_0011 = loadMigrations()
  .find((m) => m.version === 11)!
  .statements.filter((s) => /^(DROP VIEW|CREATE MATERIALIZED VIEW)/.test(s.trim()));
const VARIANTS: Record<string, string[]> = {
  full: [],
  noIndex: ['DROP VIEW trace_index_mv'],
  noDur: ['DROP VIEW trace_durations_mv'],
  neither: ['DROP VIEW trace_index_mv', 'DROP VIEW trace_durations_mv'],
  cascade: ['DROP VIEW trace_durations_mv', CASCADE],
  fromTraces: FROM_TRACES,
  bloom0011: BLOOM_0011,
  none3: ['DROP VIEW trace_index_mv', 'DROP VIEW trace_durations_mv', 'DROP VIEW traces_mv'],
};
const variant = process.argv[2];
const TOTAL = Number(process.env.TOTAL ?? 200_000);
const BATCH = Number(process.env.BATCH ?? 5000);
if (variant !== undefined && !(variant in VARIANTS)) {
  throw new Error(`unknown variant ${variant}; one of ${Object.keys(VARIANTS).join(', ')}`);
}
if (!variant) {
  const order = (process.env.ORDER ?? 'full,noIndex,noDur,neither,fromTraces').split(',');
  const rounds = Number(process.env.ROUNDS ?? 2);
  for (let r = 0; r < rounds; r++)
    for (const v of order) {
      const out = spawnSync(process.execPath, ['--import', 'tsx', process.argv[1]!, v], {
        encoding: 'utf8',
        env: process.env,
      });
      const line = out.stdout.trim().split('\n').pop()!;
      if (out.status !== 0) throw new Error(`${v}: ${out.stderr.slice(0, 2000)}`);
      console.log(v.padEnd(10), line);
    }
  process.exit(0);
}
const nowMs = Date.now();
const pool = buildPool(20_000, nowMs);
const ctx = { projectId: 'default', retentionDays: 30, captureContent: true, nowMs };
const payloads = pool.requests.map((r) => {
  const enc = createIngestEncoder('spans');
  normalizeTracesInto(decodeTraceRequest(r.encoded.bytes), ctx, enc);
  return retraceableRows(enc.finish(), enc.rows);
});
const dir = mkdtempSync(join(tmpdir(), 'pf-views-'));
const db = openChdb(dir);
await migrate(db);
for (const sql of VARIANTS[variant]!) await db.command(sql);
const cpu0 = process.cpuUsage();
let rows = 0,
  copy = 1,
  next = 0,
  insertMs = 0;
while (rows < TOTAL) {
  const parts: Buffer[] = [];
  let batch = 0;
  while (parts.length === 0 || batch + payloads[next]!.spans <= BATCH) {
    parts.push(payloads[next]!.copy(copy));
    batch += payloads[next]!.spans;
    if (++next === payloads.length) {
      next = 0;
      copy++;
    }
  }
  const t = performance.now();
  await db.insertRows('spans', parts, INGEST_COLUMNS.spans);
  insertMs += performance.now() - t;
  rows += batch;
}
const c1 = process.cpuUsage(cpu0);
// settle: wait until no merges for 1 s (max 60 s)
let quiet = 0;
for (let i = 0; i < 120 && quiet < 4; i++) {
  const [m] = await db.query<{ n: number }>('SELECT count() AS n FROM system.merges');
  quiet = m!.n === 0 ? quiet + 1 : 0;
  await new Promise((r) => setTimeout(r, 250));
}
const c2 = process.cpuUsage(cpu0);
const us = (c: NodeJS.CpuUsage) => ((c.user + c.system) / rows).toFixed(1);
console.log(
  `rows ${rows} insert ${((rows / insertMs) * 1000).toFixed(0)} rows/s  cpu/row insert ${us(c1)} µs  +settle ${us(c2)} µs`,
);
await db.close();
rmSync(dir, { recursive: true, force: true });
