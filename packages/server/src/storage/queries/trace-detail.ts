import type { Database } from '../database.ts';
import { SPAN_COLUMNS, toSpan, type Span } from './span-row.ts';
import { getTraceSummaries, type TraceSummary } from './trace-summary.ts';

export interface TraceDetail {
  trace: TraceSummary;
  /** Ordered by start time (then span id). */
  spans: Span[];
}

/**
 * The trace's bounds come from `traces` (a primary-key lookup); its spans are then read with
 * `start_time BETWEEN` those bounds, which prunes `spans` by its primary key (ordered by
 * project and hour). If that finds fewer spans than the summary counts (clock skew with an
 * end before the start, or spans expired while the summary lives on), the spans are read
 * again without bounds, through the trace_id bloom filter.
 */
const BOUNDED_SQL = `
SELECT ${SPAN_COLUMNS}
FROM spans
PREWHERE trace_id = {traceId:String}
WHERE project_id = {projectId:String}
  AND start_time BETWEEN fromUnixTimestamp64Nano({from:Int64}, 'UTC')
                     AND fromUnixTimestamp64Nano({to:Int64}, 'UTC')
ORDER BY start_time, span_id`;

const UNBOUNDED_SQL = `
SELECT ${SPAN_COLUMNS}
FROM spans
PREWHERE trace_id = {traceId:String}
WHERE project_id = {projectId:String}
ORDER BY start_time, span_id`;

/** Every span of a trace in a project, or undefined when it has none there. */
export async function getTrace(
  db: Database,
  projectId: string,
  traceId: string,
): Promise<TraceDetail | undefined> {
  const [trace] = await getTraceSummaries(db, projectId, [traceId]);
  if (trace === undefined) return undefined;
  let rows = await db.query(BOUNDED_SQL, {
    projectId,
    traceId,
    from: BigInt(trace.startTimeUnixNano),
    to: BigInt(trace.endTimeUnixNano),
  });
  if (rows.length < trace.spanCount) rows = await db.query(UNBOUNDED_SQL, { projectId, traceId });
  if (rows.length === 0) return undefined;
  return { trace, spans: rows.map(toSpan) };
}
