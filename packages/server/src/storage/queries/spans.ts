import type { TraceFilter } from '@pyflare/query';
import type { Database } from '../database.ts';
import {
  negate,
  spanAttributeSql,
  spanNumberSql,
  spanStatusSql,
  spanStringSql,
  spanTextSql,
} from './span-conditions.ts';
import { SPAN_SUMMARY_COLUMNS, toSpanSummary, type SpanSummary } from './span-row.ts';
import { searchInSlices } from './progressive-window.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';
import type { SortOrder } from './traces.ts';

const SPAN_SORT_SQL = {
  time: 'toUnixTimestamp64Nano(start_time)',
  duration: 'toInt64(duration_ns)',
} as const;
export type SpanSort = keyof typeof SPAN_SORT_SQL;

/** Where a page of spans ends. */
export interface SpanKey {
  key: string;
  traceId: string;
  spanId: string;
}

export interface SpanSearch {
  projectId: string;
  /** Applied per span; `filter.time` is ignored (the window decides). */
  filter: TraceFilter;
  window: TimeWindow;
  sort: SpanSort;
  order: SortOrder;
  limit: number;
  after?: SpanKey;
}

export interface SpanPage {
  spans: SpanSummary[];
  next: SpanKey | null;
}

/** The filter's conditions, each on the span itself. */
export function compileSpanFilter(filter: TraceFilter, params: SqlParams): string[] {
  const parts: string[] = [];
  for (const c of filter.strings) parts.push(negate(spanStringSql(c, params), c.negated));
  for (const c of filter.attributes) parts.push(negate(spanAttributeSql(c, params), c.negated));
  for (const c of filter.text) parts.push(negate(spanTextSql(c, params), c.negated));
  for (const c of filter.numbers) parts.push(spanNumberSql(c, params));
  if (filter.status !== undefined) parts.push(spanStatusSql(filter.status));
  return parts;
}

/** With a time sort and a cursor, the rest of the walk lies on one side of the cursor. */
function narrowWindow(search: SpanSearch): TimeWindow {
  const { window, after, order } = search;
  if (after === undefined) return window;
  const key = BigInt(after.key);
  if (order === 'desc') {
    return { ...window, toNs: window.toNs === undefined || key < window.toNs ? key : window.toNs };
  }
  return { ...window, fromNs: key > window.fromNs ? key : window.fromNs };
}

/**
 * One page of spans matching the filter (each condition on the span itself). Sorted by
 * time, the page is looked for in growing slices of the window (see progressive-window.ts).
 */
export async function searchSpans(
  db: Database,
  search: SpanSearch,
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Promise<SpanPage> {
  const rows =
    search.sort === 'time'
      ? await searchInSlices(narrowWindow(search), search.order, nowNs, search.limit, (slice) =>
          pageRows(db, search, slice),
        )
      : await pageRows(db, search, search.window);
  const page = rows.slice(0, search.limit);
  const spans = page.map(toSpanSummary);
  const last = spans.at(-1);
  const lastKey = page.at(-1)?.sort_key;
  return {
    spans,
    next:
      rows.length > search.limit && last !== undefined && lastKey !== undefined
        ? { key: lastKey, traceId: last.traceId, spanId: last.spanId }
        : null,
  };
}

async function pageRows(
  db: Database,
  search: SpanSearch,
  window: TimeWindow,
): Promise<({ sort_key: string } & Record<string, unknown>)[]> {
  const params = new SqlParams({ projectId: search.projectId });
  const sortSql = SPAN_SORT_SQL[search.sort];
  const where = [
    'project_id = {projectId:String}',
    windowSql(params, 'start_time', window),
    ...compileSpanFilter(search.filter, params),
  ];
  const dir = search.order === 'asc' ? 'ASC' : 'DESC';
  if (search.after !== undefined) {
    const { key, traceId, spanId } = search.after;
    where.push(
      `(${sortSql}, trace_id, span_id) ${search.order === 'asc' ? '>' : '<'} (${params.bind(
        'Int64',
        BigInt(key),
      )}, ${params.bind('String', traceId)}, ${params.bind('String', spanId)})`,
    );
  }
  const sql = `
SELECT ${SPAN_SUMMARY_COLUMNS}, toString(${sortSql}) AS sort_key
FROM spans
WHERE ${where.join('\n  AND ')}
ORDER BY ${sortSql} ${dir}, trace_id ${dir}, span_id ${dir}
LIMIT ${params.bind('UInt32', search.limit + 1)}`;
  return db.query<{ sort_key: string } & Record<string, unknown>>(sql, params.values);
}
