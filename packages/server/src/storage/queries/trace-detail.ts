import type { Database } from '../database.ts';
import { SPAN_COLUMNS, toSpan, type Span } from './span-row.ts';
import type { TraceSummary } from './trace-summary.ts';
import { ONE_TRACE_SETTINGS, TRACE_BOUNDS_WITH, WITHIN_TRACE_BOUNDS } from './trace-spans.ts';

export interface TraceDetail {
  trace: TraceSummary;
  /** Ordered by start time (then span id). */
  spans: Span[];
}

/**
 * A trace's spans in one statement, within its bounds from `trace_index` (see
 * {@link TRACE_BOUNDS_WITH}). One statement instead of the summary query then the spans
 * query: a round trip and an aggregate read fewer; the summary is computed from the spans
 * just read, as `traces_mv` computes it (see `summarize`).
 */
const TRACE_SQL = `
WITH ${TRACE_BOUNDS_WITH}
SELECT ${SPAN_COLUMNS}
FROM spans
PREWHERE trace_id = {traceId:String}
WHERE project_id = {projectId:String}
  AND ${WITHIN_TRACE_BOUNDS}
ORDER BY start_time, span_id
SETTINGS ${ONE_TRACE_SETTINGS}`;

/** Every span of a trace in a project, or undefined when it has none there. */
export async function getTrace(
  db: Database,
  projectId: string,
  traceId: string,
): Promise<TraceDetail | undefined> {
  const rows = await db.query(TRACE_SQL, { projectId, traceId });
  if (rows.length === 0) return undefined;
  const spans = rows.map(toSpan);
  return { trace: summarize(traceId, spans), spans };
}

/**
 * The summary of a whole trace from its spans (ordered by start time), with the meaning of
 * `traces_mv` and `getTraceSummaries`: the root is the span without a parent (the greatest
 * name if several), else the earliest span's name; lists sorted, without empty values.
 */
export function summarize(traceId: string, spans: readonly Span[]): TraceSummary {
  let start = BigInt(spans[0]!.startTimeUnixNano);
  let end = BigInt(spans[0]!.endTimeUnixNano);
  let rootName = '';
  let rootService = '';
  let errorCount = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let totalTokens = 0;
  const services = new Set<string>();
  const models = new Set<string>();
  const users = new Set<string>();
  const sessions = new Set<string>();
  for (const s of spans) {
    const spanStart = BigInt(s.startTimeUnixNano);
    const spanEnd = BigInt(s.endTimeUnixNano);
    if (spanStart < start) start = spanStart;
    if (spanEnd > end) end = spanEnd;
    if (s.parentSpanId === '') {
      if (s.name > rootName) rootName = s.name;
      if (s.serviceName > rootService) rootService = s.serviceName;
    }
    if (s.status.code === 'error') errorCount++;
    inputTokens += s.inputTokens;
    outputTokens += s.outputTokens;
    totalTokens += s.totalTokens;
    services.add(s.serviceName);
    models.add(s.requestModel).add(s.responseModel);
    users.add(s.userId);
    sessions.add(s.sessionId);
  }
  return {
    traceId,
    rootName: rootName !== '' ? rootName : spans[0]!.name,
    rootService,
    services: sortedNonEmpty(services),
    spanCount: spans.length,
    errorCount,
    hasError: errorCount > 0,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    durationNs: Number(end - start),
    models: sortedNonEmpty(models),
    inputTokens,
    outputTokens,
    totalTokens,
    users: sortedNonEmpty(users),
    sessions: sortedNonEmpty(sessions),
  };
}

function sortedNonEmpty(values: Set<string>): string[] {
  values.delete('');
  // UTF-16 order: ClickHouse's (UTF-8 bytes) differs only between supplementary-plane
  // characters and U+E000–U+FFFF.
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
