import type { Database } from '../database.ts';
import { SPAN_COLUMNS, toSpan, type Span } from './span-row.ts';
import { traceSpansReader } from './trace-spans.ts';
import { getTraceSummaries, type TraceSummary } from './trace-summary.ts';

export interface TraceDetail {
  trace: TraceSummary;
  /** Ordered by start time (then span id). */
  spans: Span[];
}

const readSpans = traceSpansReader(SPAN_COLUMNS);

/** Every span of a trace in a project, or undefined when it has none there. */
export async function getTrace(
  db: Database,
  projectId: string,
  traceId: string,
): Promise<TraceDetail | undefined> {
  const [trace] = await getTraceSummaries(db, projectId, [traceId]);
  if (trace === undefined) return undefined;
  const rows = await readSpans(db, projectId, trace);
  if (rows.length === 0) return undefined;
  return { trace, spans: rows.map(toSpan) };
}
