/**
 * Traces sorted by duration, read from `trace_durations` (migration 0009) as a top-K over its
 * rows instead of a GROUP BY of every trace in the window: the rows are walked in (duration,
 * trace id) order, a page's worth at a time, and a row is kept only when it is its trace's
 * current row, the one holding the trace's whole bounds (checked against `trace_index`, found
 * by primary key). Why that is exact:
 *
 * - every trace has a current row (storage/trace-durations.ts), and bounds only widen as
 *   spans arrive, so no other row of a trace is longer than its current row; a shorter row
 *   with the same length has the same bounds, and so is current too;
 * - the conditions a page puts on its rows (start in the window, duration range, after the
 *   cursor) hold for a trace exactly when they hold for its current row; rows of other
 *   traces that pass them are not current, and are dropped.
 *
 * So the kept rows are the matching traces, each once, in sort order. A GROUP BY of a million
 * trace ids in the window cost 200-270 ms at 10M spans; this walk reads the rows of the
 * window's buckets once (25-40 ms) plus a lookup of a page of ids.
 *
 * It serves filters on time and duration only; any other condition (services, status,
 * attributes, text...) needs the trace's full summary and goes through the GROUP BY
 * (`walkable`).
 */
import type { TraceFilter } from '@pyflare/query';
import type { Database } from '../database.ts';
import { sqlOperator } from './span-conditions.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';
import { bucketSeconds } from './trace-filter-sql.ts';
import { traceKey, traceKeys } from './trace-key.ts';

/** Whether `filter` has only conditions the walk can check on a row: time and duration. */
export function walkable(filter: TraceFilter): boolean {
  return (
    filter.strings.length === 0 &&
    filter.attributes.length === 0 &&
    filter.text.length === 0 &&
    filter.status === undefined &&
    filter.numbers.every((c) => c.field === 'duration')
  );
}

export interface DurationWalk {
  projectId: string;
  filter: TraceFilter;
  window: TimeWindow;
  order: 'asc' | 'desc';
  /** Traces wanted (the page and one more). */
  count: number;
  /** Continue after this trace (exclusive): its duration in ns, its hex id. */
  after?: { key: string; traceId: string };
}

export interface WalkedTrace {
  hex_id: string;
  /** The duration in ns, as a decimal string. */
  sort_key: string;
  /** The trace's bounds, ns since the epoch. */
  startNs: bigint;
  endNs: bigint;
}

interface WalkRow {
  hex_id: string;
  d: string;
  s: string;
}

/** Rows read per round beyond the traces still wanted (for rows that are not current). */
const ROUND_SLACK = 32;
/** Rows read per round, at most. */
const MAX_ROUND_ROWS = 20_000;

const D = '(toUnixTimestamp64Nano(end_time) - toUnixTimestamp64Nano(start_time))';

/** The traces matching the walk's filter, in (duration, id) order, at most `count`. */
export async function walkDurations(db: Database, walk: DurationWalk): Promise<WalkedTrace[]> {
  const kept: WalkedTrace[] = [];
  const seen = new Set<string>();
  let cursor = walk.after;
  let rowsPerRound = walk.count + ROUND_SLACK;
  for (;;) {
    const rows = await walkRows(db, walk, cursor, rowsPerRound);
    const fresh = [...new Set(rows.map((r) => r.hex_id))].filter((id) => !seen.has(id));
    const bounds = fresh.length > 0 ? await traceBounds(db, walk.projectId, fresh) : new Map();
    for (const r of rows) {
      if (seen.has(r.hex_id)) continue;
      const b = bounds.get(r.hex_id);
      if (b === undefined || b.s !== r.s) continue;
      const startNs = BigInt(b.s);
      const endNs = BigInt(b.e);
      if (endNs - startNs !== BigInt(r.d)) continue;
      seen.add(r.hex_id);
      kept.push({ hex_id: r.hex_id, sort_key: r.d, startNs, endNs });
      if (kept.length === walk.count) return kept;
    }
    const last = rows.at(-1);
    if (rows.length < rowsPerRound || last === undefined) return kept;
    cursor = { key: last.d, traceId: last.hex_id };
    rowsPerRound = Math.min(MAX_ROUND_ROWS, rowsPerRound * 2);
  }
}

async function walkRows(
  db: Database,
  walk: DurationWalk,
  after: DurationWalk['after'],
  limit: number,
): Promise<WalkRow[]> {
  const params = new SqlParams({ projectId: walk.projectId });
  const { window } = walk;
  const where = [
    'project_id = {projectId:String}',
    // A current row's bucket is that of its own start, which lies in the window.
    `start_bucket >= toDateTime(${params.bind('UInt32', Number(bucketSeconds(window.fromNs)))}, 'UTC')`,
    windowSql(params, 'start_time', window),
  ];
  if (window.toNs !== undefined) {
    where.push(
      `start_bucket <= toDateTime(${params.bind('UInt32', Number(bucketSeconds(window.toNs)))}, 'UTC')`,
    );
  }
  for (const c of walk.filter.numbers) {
    where.push(`${D} ${sqlOperator(c.op)} ${params.bind('Int64', BigInt(Math.round(c.value)))}`);
  }
  const dir = walk.order === 'asc' ? 'ASC' : 'DESC';
  if (after !== undefined) {
    const cmp = walk.order === 'asc' ? '>' : '<';
    where.push(
      `(${D}, trace_id) ${cmp} (${params.bind('Int64', BigInt(after.key))}, ${traceKey(
        params.bind('String', after.traceId),
      )})`,
    );
  }
  const sql = `
SELECT lower(hex(trace_id)) AS hex_id, toString(duration) AS d, toString(toUnixTimestamp64Nano(start_time)) AS s
FROM (
  SELECT trace_id, start_time, ${D} AS duration
  FROM trace_durations
  WHERE ${where.join('\n    AND ')}
  ORDER BY duration ${dir}, trace_id ${dir}
  LIMIT ${params.bind('UInt32', limit)}
)
ORDER BY duration ${dir}, trace_id ${dir}`;
  return db.query<WalkRow>(sql, params.values);
}

/** Each trace's whole bounds (ns, decimal strings), by hex id. */
async function traceBounds(
  db: Database,
  projectId: string,
  ids: string[],
): Promise<Map<string, { s: string; e: string }>> {
  const rows = await db.query<{ hex_id: string; s: string; e: string }>(
    `SELECT lower(hex(trace_id)) AS hex_id,
            toString(toUnixTimestamp64Nano(min(start_time))) AS s,
            toString(toUnixTimestamp64Nano(max(end_time))) AS e
     FROM trace_index
     WHERE project_id = {projectId:String} AND trace_id IN ${traceKeys('{ids:Array(String)}')}
     GROUP BY trace_id
     SETTINGS max_threads = 1, local_filesystem_read_method = 'pread'`,
    { projectId, ids },
  );
  return new Map(rows.map((r) => [r.hex_id, { s: r.s, e: r.e }]));
}
