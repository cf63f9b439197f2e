import { PyflareError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { SPAN_COLUMNS, toSpan, type Span } from './span-row.ts';
import { ONE_TRACE_SETTINGS, TRACE_BOUNDS_WITH, WITHIN_TRACE_BOUNDS } from './trace-spans.ts';

/** The largest trace the waterfall serves in one answer. */
export const WATERFALL_MAX_SPANS = 200_000;

/**
 * A trace in columnar form for the waterfall: one array per field, strings interned into
 * `strings`, parents as indexes. A 100,000-span trace is then a few MB of JSON with no
 * per-span objects, where the full trace (every attribute of every span) is tens of MB.
 * See docs/architecture/ui-api.md.
 */
export interface TraceWaterfall {
  traceId: string;
  spanCount: number;
  startTimeUnixNano: string;
  durationNs: number;
  strings: string[];
  spans: {
    spanId: string[];
    parent: number[];
    name: number[];
    service: number[];
    kind: number[];
    operation: number[];
    model: number[];
    startNs: number[];
    durationNs: number[];
    error: number[];
    tokens: number[];
  };
}

/** One span: [startNs from base, spanId, parentSpanId, name, service, kind, operation, model, durationNs, error, tokens]. */
type WaterfallTuple = [
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  number,
  number,
];

/**
 * The whole trace in one statement and one row. Its bounds come from `trace_index` (see
 * {@link TRACE_BOUNDS_WITH}) instead of a summary lookup in `traces` first: one round trip and one aggregate fewer per open. The spans are one
 * sorted array of tuples: a single JSON document for the engine to write and for us to parse,
 * instead of one per span (several times faster at 100,000 spans). Sorting tuples by (start
 * offset, span id) is ORDER BY start_time, span_id. `count()` sees every span while the array
 * keeps at most one more than the waterfall serves, so a huge trace costs bounded memory and
 * is still told apart. `base` is a string: a nanosecond timestamp does not fit a double.
 */
const WATERFALL_SQL = `
WITH ${TRACE_BOUNDS_WITH},
toUnixTimestamp64Nano(bounds.1) AS base_ns
SELECT
  count() AS n,
  toString(any(base_ns)) AS base,
  arraySort(groupArray(${WATERFALL_MAX_SPANS + 1})(tuple(
    toUnixTimestamp64Nano(start_time) - base_ns, span_id, parent_span_id, toString(name),
    toString(service_name), toString(kind), toString(operation),
    toString(if(response_model != '', response_model, request_model)),
    duration_ns, toUInt8(status_code = 'error'), total_tokens))) AS r
FROM spans
PREWHERE trace_id = {traceId:String}
WHERE project_id = {projectId:String}
  AND ${WITHIN_TRACE_BOUNDS}
SETTINGS ${ONE_TRACE_SETTINGS}`;

/** The waterfall of a trace in a project, or undefined when it has no spans there. */
export async function getTraceWaterfall(
  db: Database,
  projectId: string,
  traceId: string,
): Promise<TraceWaterfall | undefined> {
  const [row] = await db.query<{ n: number; base: string; r: WaterfallTuple[] }>(WATERFALL_SQL, {
    projectId,
    traceId,
  });
  if (row === undefined || row.n === 0) return undefined;
  if (row.n > WATERFALL_MAX_SPANS) {
    throw new PyflareError(
      'TRACE_TOO_LARGE',
      `trace ${traceId} has ${row.n} spans; the waterfall serves at most ${WATERFALL_MAX_SPANS}`,
      { details: { spanCount: row.n, maxSpans: WATERFALL_MAX_SPANS } },
    );
  }
  return toWaterfall(traceId, BigInt(row.base), row.r);
}

/**
 * Tuples (ordered by start) to columns. Hand-written loops over plain arrays rather than a
 * schema library per row: this runs over up to 200,000 spans per request.
 */
export function toWaterfall(traceId: string, base: bigint, rows: WaterfallTuple[]): TraceWaterfall {
  const n = rows.length;
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      ids.set(s, id);
    }
    return id;
  };
  const index = new Map<string, number>();
  // Offsets are relative to the earliest span actually read (a skewed child may start before
  // the summary's start), so every startNs is >= 0.
  let minStart = Infinity;
  let maxEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    const [start, spanId, , , , , , , duration] = rows[i]!;
    if (!index.has(spanId)) index.set(spanId, i);
    if (start < minStart) minStart = start;
    if (start + duration > maxEnd) maxEnd = start + duration;
  }
  const spans: TraceWaterfall['spans'] = {
    spanId: new Array<string>(n),
    parent: new Array<number>(n),
    name: new Array<number>(n),
    service: new Array<number>(n),
    kind: new Array<number>(n),
    operation: new Array<number>(n),
    model: new Array<number>(n),
    startNs: new Array<number>(n),
    durationNs: new Array<number>(n),
    error: new Array<number>(n),
    tokens: new Array<number>(n),
  };
  for (let i = 0; i < n; i++) {
    const [
      start,
      spanId,
      parentId,
      name,
      service,
      kind,
      operation,
      model,
      duration,
      error,
      tokens,
    ] = rows[i]!;
    const parent = parentId === '' || parentId === spanId ? undefined : index.get(parentId);
    spans.spanId[i] = spanId;
    spans.parent[i] = parent === undefined ? -1 : parent;
    spans.name[i] = intern(name);
    spans.service[i] = intern(service);
    spans.kind[i] = intern(kind);
    spans.operation[i] = intern(operation);
    spans.model[i] = intern(model);
    spans.startNs[i] = start - minStart;
    spans.durationNs[i] = duration;
    spans.error[i] = error ? 1 : 0;
    spans.tokens[i] = tokens;
  }
  breakCycles(spans.parent);
  return {
    traceId,
    spanCount: n,
    startTimeUnixNano: (base + BigInt(minStart)).toString(),
    durationNs: maxEnd - minStart,
    strings,
    spans,
  };
}

/**
 * Hostile or broken data can make parent links form a cycle (a → b → a); a client walking
 * parents would loop forever. Each cycle found is cut by making its first-visited span a root.
 * Linear: every span is walked once (0 unvisited, 1 on the current path, 2 done).
 */
function breakCycles(parent: number[]): void {
  const state = new Uint8Array(parent.length);
  const path: number[] = [];
  for (let start = 0; start < parent.length; start++) {
    if (state[start] !== 0) continue;
    let i = start;
    while (i !== -1 && state[i] === 0) {
      state[i] = 1;
      path.push(i);
      i = parent[i]!;
    }
    if (i !== -1 && state[i] === 1) parent[i] = -1; // i is on the current path: a cycle.
    for (const j of path) state[j] = 2;
    path.length = 0;
  }
}

/** One span, within its trace's bounds (as the trace and its waterfall are read). */
const SPAN_SQL = `
WITH ${TRACE_BOUNDS_WITH}
SELECT ${SPAN_COLUMNS}
FROM spans
PREWHERE trace_id = {traceId:String} AND span_id = {spanId:String}
WHERE project_id = {projectId:String}
  AND ${WITHIN_TRACE_BOUNDS}
ORDER BY start_time
LIMIT 1
SETTINGS ${ONE_TRACE_SETTINGS}`;

/** One span of a trace, in the full shape, or undefined. */
export async function getSpan(
  db: Database,
  projectId: string,
  traceId: string,
  spanId: string,
): Promise<Span | undefined> {
  const [row] = await db.query(SPAN_SQL, { projectId, traceId, spanId });
  return row === undefined ? undefined : toSpan(row);
}
