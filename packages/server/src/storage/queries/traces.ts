import type { TraceFilter } from '@pyflare/query';
import { z } from 'zod';
import type { Database } from '../database.ts';
import { walkable, walkTraces } from './duration-walk.ts';
import { searchInSlices } from './progressive-window.ts';
import { SqlParams, type TimeWindow } from './sql-params.ts';
import { bloomProbes } from './bloom-probes.ts';
import { searchByCandidates } from './candidate-search.ts';
import {
  bloomConditions,
  compileTraceFilter,
  otherPositiveSpanSql,
  TRACE_SORT_SQL,
  type BloomProbe,
  type SpanConditionPlan,
  type TraceSort,
} from './trace-filter-sql.ts';
import { TRACE_HEX, traceKey } from './trace-key.ts';
import {
  getTraceSummaries,
  getTraceSummariesInBounds,
  type TraceSummary,
} from './trace-summary.ts';

export type SortOrder = 'asc' | 'desc';

/** Where a page ends: the last trace's sort key and id. */
export interface TraceKey {
  /** The sort value (ns for time and duration, a count for tokens), as a decimal string. */
  key: string;
  traceId: string;
}

export interface TraceSearch {
  projectId: string;
  /** `filter.time` is ignored; the window decides (the caller merges the two). */
  filter: TraceFilter;
  window: TimeWindow;
  sort: TraceSort;
  order: SortOrder;
  limit: number;
  /** Continue after this trace (exclusive). */
  after?: TraceKey;
}

export interface TracePage {
  traces: TraceSummary[];
  /** The last trace of this page when more follow, else null. */
  next: TraceKey | null;
}

const pageRow = z.object({ hex_id: z.string(), sort_key: z.string() });
const candidateRow = pageRow.extend({ start_ns: z.string(), end_ns: z.string() });

/** With a time sort and a cursor, the rest of the walk lies on one side of the cursor. */
function narrowWindow(search: TraceSearch): TimeWindow {
  const { window, after, sort, order } = search;
  if (after === undefined || sort !== 'time') return window;
  const key = BigInt(after.key);
  if (order === 'desc') {
    return { ...window, toNs: window.toNs === undefined || key < window.toNs ? key : window.toNs };
  }
  return { ...window, fromNs: key > window.fromNs ? key : window.fromNs };
}

/**
 * Slices of a time-sorted search smaller than this part of the window scan their spans, the
 * candidates are for larger ones. The scan of a slice costs in proportion to its spans, and a
 * small slice is tried first because matches are expected to be common; the candidates cost
 * a fixed 40-70 ms at 10M spans (the Bloom words of the slice's traces, the check's lookups).
 * Measured at 10M spans: a common match (the query bench's `q=` combination) 98 ms with the
 * first slices scanned, 163 ms by candidates; a rare one 560 ms scanned, 230 ms by candidates.
 */
const CANDIDATES_FROM = 1 / 8;

/**
 * The page's trace ids and sort keys (plus one more, to know whether more follow): by
 * candidates when the filter has an attribute condition (candidate-search.ts), else, or when
 * the candidates are too many, with every condition in one query.
 */
async function pageIds(
  db: Database,
  search: TraceSearch,
  window: TimeWindow,
  { byCandidates = true, slice = false }: { byCandidates?: boolean; slice?: boolean } = {},
): Promise<z.output<typeof pageRow>[]> {
  const wanted = search.limit + 1;
  const conditions = bloomConditions(search.filter);
  if (byCandidates && conditions.length > 0) {
    const probes = await bloomProbes(db, conditions);
    const found = await searchByCandidates({
      db,
      projectId: search.projectId,
      filter: search.filter,
      window,
      wanted,
      narrowable: otherPositiveSpanSql(search.filter, new SqlParams()).length > 0,
      slice,
      candidates: async (count, narrowed) =>
        (
          await db.query(
            ...idsSql(search, window, narrowed ? 'narrowed' : 'candidates', count, probes),
          )
        ).map((r) => candidateRow.parse(r)),
    });
    if (found !== undefined) return found;
  }
  return (await db.query(...idsSql(search, window, 'subquery', wanted))).map((r) =>
    pageRow.parse(r),
  );
}

/**
 * The Bloom prefilter's `IN` set holds every trace that may have the attribute (some percent
 * of the window). By default the engine also analyses such a set against the primary key of
 * `traces`, where the trace id comes third and prunes nothing: that analysis cost 290 ms of a
 * 350 ms query at 1M traces. Sets this large are only probed; small ones (a `trace:` condition)
 * still prune.
 */
const LARGE_SETS_UNINDEXED = 'use_index_for_in_with_subqueries_max_values = 1024';

/** Bound SQL for the first `count` matching ids in sort order (see CompileOptions). */
function idsSql(
  search: TraceSearch,
  window: TimeWindow,
  spanConditions: SpanConditionPlan,
  count: number,
  bloomProbes: readonly BloomProbe[] = [],
): [string, SqlParams['values']] {
  const params = new SqlParams({ projectId: search.projectId });
  const { where, having } = compileTraceFilter(search.filter, window, params, {
    spanConditions,
    bloomProbes,
  });
  const dir = search.order === 'asc' ? 'ASC' : 'DESC';
  if (search.after !== undefined) {
    const cmp = search.order === 'asc' ? '>' : '<';
    having.push(
      `(sort_value, trace_id) ${cmp} (${params.bind('Int64', BigInt(search.after.key))}, ${traceKey(
        params.bind('String', search.after.traceId),
      )})`,
    );
  }
  const limit = params.bind('UInt32', count);
  // Candidates carry their bounds, to find their spans.
  const candidates = spanConditions !== 'subquery';
  const bounds = candidates ? `, toString(start_ns) AS start_ns, toString(end_ns) AS end_ns` : '';
  const innerBounds = candidates
    ? `, toUnixTimestamp64Nano(min(start_time)) AS start_ns, toUnixTimestamp64Nano(max(end_time)) AS end_ns`
    : '';
  const settings = candidates ? `\nSETTINGS ${LARGE_SETS_UNINDEXED}` : '';
  // The page is cut in the inner query; ids and keys become text for its rows only.
  const sql = `
SELECT ${TRACE_HEX} AS hex_id, toString(sort_value) AS sort_key${bounds}
FROM (
  SELECT trace_id, ${TRACE_SORT_SQL[search.sort]} AS sort_value${innerBounds}
  FROM traces
  WHERE project_id = {projectId:String}
    AND ${where.join('\n    AND ')}
  GROUP BY trace_id
  HAVING ${having.join('\n    AND ')}
  ORDER BY sort_value ${dir}, trace_id ${dir}
  LIMIT ${limit}
)
ORDER BY sort_value ${dir}, trace_id ${dir}${settings}`;
  return [sql, params.values];
}

/**
 * One page of trace summaries matching the filter, sorted and keyset-paginated. Two steps:
 * the page's trace ids and sort keys (only the aggregates the filter and sort need), then
 * the full summaries of just those ids. Sorted by time, the ids are looked for in growing
 * slices of the window (see progressive-window.ts), so the usual "newest traces" page
 * reads only the newest part of a long window. Sorted by duration or tokens with no condition
 * but time, duration and tokens, they are walked from `trace_durations` (duration-walk.ts)
 * without a GROUP BY.
 */
export async function searchTraces(
  db: Database,
  search: TraceSearch,
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Promise<TracePage> {
  const window = narrowWindow(search);
  if (search.sort !== 'time' && walkable(search.filter)) {
    const walked = await walkTraces(db, {
      projectId: search.projectId,
      filter: search.filter,
      window,
      sort: search.sort,
      order: search.order,
      count: search.limit + 1,
      after: search.after,
    });
    const page = walked.slice(0, search.limit);
    const found = await getTraceSummariesInBounds(
      db,
      search.projectId,
      page.map((r) => ({ traceId: r.hex_id, startNs: r.startNs, endNs: r.endNs })),
    );
    return toPage(search, walked, page, found);
  }
  const rows =
    search.sort === 'time'
      ? await searchInSlices(window, search.order, nowNs, search.limit, (slice, fraction) =>
          pageIds(db, search, slice, {
            byCandidates: fraction >= CANDIDATES_FROM,
            slice: fraction < 1,
          }),
        )
      : await pageIds(db, search, window);
  const page = rows.slice(0, search.limit);
  const found = await getTraceSummaries(
    db,
    search.projectId,
    page.map((r) => r.hex_id),
  );
  return toPage(search, rows, page, found);
}

/** The page's summaries in its order, and the cursor when more rows followed it. */
function toPage(
  search: TraceSearch,
  rows: readonly { hex_id: string; sort_key: string }[],
  page: readonly { hex_id: string; sort_key: string }[],
  found: readonly TraceSummary[],
): TracePage {
  const summaries = new Map(found.map((s) => [s.traceId, s]));
  const traces = page.flatMap((r) => summaries.get(r.hex_id) ?? []);
  const last = page.at(-1);
  return {
    traces,
    next:
      rows.length > search.limit && last !== undefined
        ? { key: last.sort_key, traceId: last.hex_id }
        : null,
  };
}
