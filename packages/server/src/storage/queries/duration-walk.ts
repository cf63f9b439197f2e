/**
 * Traces sorted by duration or by total tokens, read from `trace_durations` (migrations 0009,
 * 0012) as a top-K over its rows instead of a GROUP BY of every trace in the window: the rows
 * are walked in (sort value, trace id) order, a page's worth at a time, and a row is kept only
 * when it is its trace's current row, the one holding the trace's whole bounds and total
 * tokens (checked against `trace_index`, found by primary key). Why that is exact:
 *
 * - every trace has a current row (storage/trace-durations.ts), and bounds only widen and
 *   tokens only grow as spans arrive, so no other row of a trace is longer or has more tokens
 *   than its current row; a row equal to it in bounds and tokens is current too;
 * - the conditions a page puts on its rows (start in the window, duration and token ranges,
 *   after the cursor) hold for a trace exactly when they hold for its current row; rows of
 *   other traces that pass them are not current, and are dropped.
 *
 * So the kept rows are the matching traces, each once, in sort order. A GROUP BY of a million
 * trace ids in the window cost 200-270 ms at 10M spans; this walk reads the rows of the
 * window's buckets once (25-40 ms) plus a lookup of a page of ids.
 *
 * It serves filters on time, duration and tokens only; any other condition (services, status,
 * attributes, text...) needs the trace's full summary and goes through the GROUP BY
 * (`walkable`).
 */
import type { TraceFilter } from '@pyflare/query';
import type { Database } from '../database.ts';
import { sqlOperator } from './span-conditions.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';
import { bucketSeconds } from './trace-filter-sql.ts';
import { traceKey, traceKeys } from './trace-key.ts';

/** The sort values and number conditions the walk reads off a row. */
const ROW_SQL = {
  duration: '(toUnixTimestamp64Nano(end_time) - toUnixTimestamp64Nano(start_time))',
  tokens: 'toInt64(total_tokens)',
} as const;
export type WalkSort = keyof typeof ROW_SQL;

/** Whether `filter` has only conditions the walk can check on a row: time, duration, tokens. */
export function walkable(filter: TraceFilter): boolean {
  return (
    filter.strings.length === 0 &&
    filter.attributes.length === 0 &&
    filter.text.length === 0 &&
    filter.status === undefined &&
    filter.numbers.every((c) => c.field in ROW_SQL)
  );
}

export interface TraceWalk {
  projectId: string;
  filter: TraceFilter;
  window: TimeWindow;
  /** Sorted by duration (ns) or by total tokens. */
  sort: WalkSort;
  order: 'asc' | 'desc';
  /** Traces wanted (the page and one more). */
  count: number;
  /** Continue after this trace (exclusive): its sort value, its hex id. */
  after?: { key: string; traceId: string };
}

export interface WalkedTrace {
  hex_id: string;
  /** The sort value (duration in ns, or tokens), as a decimal string. */
  sort_key: string;
  /** The trace's bounds, ns since the epoch. */
  startNs: bigint;
  endNs: bigint;
}

interface WalkRow {
  hex_id: string;
  /** The sort value. */
  v: string;
  s: string;
  e: string;
  t: string;
}

/** Rows read per round beyond the traces still wanted (for rows that are not current). */
const ROUND_SLACK = 32;
/** Rows read per round, at most. */
const MAX_ROUND_ROWS = 20_000;

const S = 'toUnixTimestamp64Nano(start_time)';
const E = 'toUnixTimestamp64Nano(end_time)';

/** The traces matching the walk's filter, in (sort value, id) order, at most `count`. */
export async function walkTraces(db: Database, walk: TraceWalk): Promise<WalkedTrace[]> {
  const kept: WalkedTrace[] = [];
  const seen = new Set<string>();
  let cursor: RowCursor | undefined = walk.after;
  let rowsPerRound = walk.count + ROUND_SLACK;
  for (;;) {
    const rows = await walkRows(db, walk, cursor, rowsPerRound);
    const fresh = [...new Set(rows.map((r) => r.hex_id))].filter((id) => !seen.has(id));
    const bounds = fresh.length > 0 ? await traceBounds(db, walk.projectId, fresh) : new Map();
    for (const r of rows) {
      if (seen.has(r.hex_id)) continue;
      const b = bounds.get(r.hex_id);
      if (b === undefined || b.s !== r.s || b.e !== r.e || b.t !== r.t) continue;
      seen.add(r.hex_id);
      kept.push({ hex_id: r.hex_id, sort_key: r.v, startNs: BigInt(b.s), endNs: BigInt(b.e) });
      if (kept.length === walk.count) return kept;
    }
    const last = rows.at(-1);
    if (rows.length < rowsPerRound || last === undefined) return kept;
    cursor = { key: last.v, traceId: last.hex_id, row: last };
    rowsPerRound = Math.min(MAX_ROUND_ROWS, rowsPerRound * 2);
  }
}

/**
 * Where a round of the walk ends. Between pages, the last trace's sort value and id (the rest
 * of that trace's rows are of no more use); between rounds, the whole last row too: a trace's
 * rows can tie on (sort value, id) without being equal (a partial row with the whole total
 * but narrower bounds, or the whole bounds but fewer tokens), and a round ending between them
 * must not skip the current one. Rows equal in every column are alike current or not.
 */
type RowCursor = NonNullable<TraceWalk['after']> & { row?: WalkRow };

async function walkRows(
  db: Database,
  walk: TraceWalk,
  after: RowCursor | undefined,
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
    const sql = ROW_SQL[c.field as WalkSort];
    where.push(`${sql} ${sqlOperator(c.op)} ${params.bind('Int64', BigInt(Math.round(c.value)))}`);
  }
  const V = ROW_SQL[walk.sort];
  const dir = walk.order === 'asc' ? 'ASC' : 'DESC';
  const order = `sort_value ${dir}, trace_id ${dir}, s_ns ${dir}, e_ns ${dir}, total_tokens ${dir}`;
  if (after !== undefined) {
    const cmp = walk.order === 'asc' ? '>' : '<';
    const key = `${params.bind('Int64', BigInt(after.key))}, ${traceKey(params.bind('String', after.traceId))}`;
    const { row } = after;
    where.push(
      row === undefined
        ? `(${V}, trace_id) ${cmp} (${key})`
        : `(${V}, trace_id, ${S}, ${E}, total_tokens) ${cmp} (${key}, ${params.bind(
            'Int64',
            BigInt(row.s),
          )}, ${params.bind('Int64', BigInt(row.e))}, ${params.bind('UInt64', BigInt(row.t))})`,
    );
  }
  const sql = `
SELECT lower(hex(trace_id)) AS hex_id, toString(sort_value) AS v,
       toString(s_ns) AS s, toString(e_ns) AS e, toString(total_tokens) AS t
FROM (
  SELECT trace_id, ${S} AS s_ns, ${E} AS e_ns, total_tokens, ${V} AS sort_value
  FROM trace_durations
  WHERE ${where.join('\n    AND ')}
  ORDER BY ${order}
  LIMIT ${params.bind('UInt32', limit)}
)
ORDER BY ${order}`;
  return db.query<WalkRow>(sql, params.values);
}

/** Each trace's whole bounds (ns) and total tokens, as decimal strings, by hex id. */
async function traceBounds(
  db: Database,
  projectId: string,
  ids: string[],
): Promise<Map<string, { s: string; e: string; t: string }>> {
  const rows = await db.query<{ hex_id: string; s: string; e: string; t: string }>(
    `SELECT lower(hex(trace_id)) AS hex_id,
            toString(toUnixTimestamp64Nano(min(start_time))) AS s,
            toString(toUnixTimestamp64Nano(max(end_time))) AS e,
            toString(sum(total_tokens)) AS t
     FROM trace_index
     WHERE project_id = {projectId:String} AND trace_id IN ${traceKeys('{ids:Array(String)}')}
     GROUP BY trace_id
     SETTINGS max_threads = 1, local_filesystem_read_method = 'pread'`,
    { projectId, ids },
  );
  return new Map(rows.map((r) => [r.hex_id, { s: r.s, e: r.e, t: r.t }]));
}
