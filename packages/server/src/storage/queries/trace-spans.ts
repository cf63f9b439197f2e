import type { Database, QueryParams } from '../database.ts';
import type { TraceSummary } from './trace-summary.ts';

/**
 * `start_time` within `{from:Int64}`..`{to:Int64}` (ns), for reading a trace's spans by its
 * bounds. `spans` is ordered by (project, ten-minute bucket, trace id) since migration 0006:
 * the bounds give the bucket, and the id then finds the trace's granule by the primary key.
 */
export const TRACE_BOUNDS_SQL = `start_time BETWEEN fromUnixTimestamp64Nano({from:Int64}, 'UTC')
                     AND fromUnixTimestamp64Nano({to:Int64}, 'UTC')`;

/**
 * Reads rows of one trace's spans. The trace's bounds come from its summary (a lookup in
 * `traces`); the spans are then read within those bounds ({@link TRACE_BOUNDS_SQL}), which
 * finds them by `spans`' primary key. If that finds fewer spans
 * than the summary counts (clock skew with an end before the start, or spans expired while
 * the summary lives on), they are read again without bounds, through the trace_id bloom
 * filter. `columns` is trusted SQL written in this codebase, never user input.
 *
 * `aggregate`: `columns` are aggregates (one row for the whole trace, no ORDER BY), and
 * `count(rows)` tells how many spans that row covers.
 */
export function traceSpansReader<T = Record<string, unknown>>(
  columns: string,
  aggregate?: { count: (rows: T[]) => number },
) {
  const order = aggregate ? '' : 'ORDER BY start_time, span_id';
  const bounded = `
SELECT ${columns}
FROM spans
PREWHERE trace_id = {traceId:String}
WHERE project_id = {projectId:String}
  AND ${TRACE_BOUNDS_SQL}
${order}`;
  const unbounded = `
SELECT ${columns}
FROM spans
PREWHERE trace_id = {traceId:String}
WHERE project_id = {projectId:String}
${order}`;
  const count = aggregate ? aggregate.count : (rows: T[]) => rows.length;

  return async (
    db: Database,
    projectId: string,
    trace: TraceSummary,
    params: QueryParams = {},
  ): Promise<T[]> => {
    const traceId = trace.traceId;
    const rows = await db.query<T>(bounded, {
      ...params,
      projectId,
      traceId,
      from: BigInt(trace.startTimeUnixNano),
      to: BigInt(trace.endTimeUnixNano),
    });
    if (count(rows) >= trace.spanCount) return rows;
    return db.query<T>(unbounded, { ...params, projectId, traceId });
  };
}
