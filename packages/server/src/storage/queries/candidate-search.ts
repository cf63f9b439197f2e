/**
 * Trace search by candidates, for filters with an attribute condition (`attr.key:value`).
 *
 * The usual plan checks every span-level condition on every span of the window
 * (`trace_id IN (SELECT ... FROM spans ...)`, trace-filter-sql.ts). When an attribute is common
 * (one tenant of forty) and the trace-level conditions pass many traces (a service, a model,
 * a duration) but few traces pass both, a page fills only after the whole window's
 * `attributes` have been read: 550-720 ms at 10M spans. Here instead:
 *
 * 1. candidates: the traces passing the trace-level conditions whose attribute Bloom words
 *    (migrations 0011, 0014) may hold every wanted pair, in sort order, at most CANDIDATE_CAP + 1 of
 *    them. Reads `traces` only; a wanted service, model, user or session is tested on the
 *    trace's value bits (migration 0015) rather than its arrays;
 * 2. check: every span-level condition (attributes, names, text, negations) and every wanted
 *    service, model, user and session on the spans of those candidates, found by the primary
 *    key of `spans` (bucket, trace id), a chunk at a time in sort order, until the page is full.
 *
 * The Bloom words and the value bits have false positives but no false negatives, so the
 * candidates hold every match and the check keeps exactly the matches, in order: the page is
 * the one the usual plan gives. The first chunk is twice the page; when it does not fill the
 * page, the next is sized by the share of candidates that passed. When the candidates are too
 * many to check (more than the cap, and at that share the first CANDIDATE_CAP would not fill
 * the page), the other positive span conditions (a name, a text) are the
 * selective ones: the candidates are taken again among the traces having those too (a span
 * subquery over their columns), and only if they are still too many does the caller run the
 * usual plan.
 */
import type { Database } from '../database.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';
import {
  bucketSeconds,
  spanConditionSql,
  spanWindowOf,
  traceArraySpanSql,
} from './trace-filter-sql.ts';
import type { TraceFilter } from '@pyflare/query';

/** Most candidates checked before the usual plan is preferred. */
export const CANDIDATE_CAP = 1000;
/** Most (bucket, trace) pairs looked up in one check; past it, the usual plan. */
const MAX_LOOKUPS = 20_000;
/** Width of a `spans` primary-key bucket, `toStartOfTenMinutes` (migration 0006), in seconds. */
const BUCKET_SECONDS = 600n;

/** A candidate trace in sort order, with its bounds as `traces` gives them. */
export interface Candidate {
  hex_id: string;
  sort_key: string;
  /** ns since the epoch, decimal. */
  start_ns: string;
  end_ns: string;
}

export interface CandidateSearch {
  db: Database;
  projectId: string;
  filter: TraceFilter;
  window: TimeWindow;
  /** Matches wanted, in sort order (a page and one more). */
  wanted: number;
  /** Whether the filter has positive span conditions the Bloom words cannot narrow. */
  narrowable: boolean;
  /**
   * The window is a slice of the search's (progressive-window.ts), whose caller only counts a
   * result of fewer than `wanted` rows: then the candidates are returned unchecked, as an
   * upper bound of the matches (a check that cannot fill the page is not run).
   */
  slice: boolean;
  /**
   * The first `count` candidates in sort order (after the search's cursor); `narrowed`: among
   * the traces having the other positive span conditions too (a span subquery).
   */
  candidates(count: number, narrowed: boolean): Promise<Candidate[]>;
}

/**
 * The first `wanted` matches in sort order, or undefined when there are too many candidates
 * to check (the caller then runs the usual plan).
 */
export async function searchByCandidates(
  search: CandidateSearch,
): Promise<Candidate[] | undefined> {
  const found = await searchOnce(search, false);
  // Many candidates, few matches: the other span conditions are the selective ones, so they
  // narrow the candidates too (one scan of their columns), and the check runs on fewer.
  if (found !== undefined || !search.narrowable) return found;
  return searchOnce(search, true);
}

async function searchOnce(
  search: CandidateSearch,
  narrowed: boolean,
): Promise<Candidate[] | undefined> {
  const rows = await search.candidates(CANDIDATE_CAP + 1, narrowed);
  if (search.slice && rows.length < search.wanted) return rows;
  const exhaustive = rows.length <= CANDIDATE_CAP;
  // Past the cap, any prefix of the candidates in sort order holds the first matches.
  const usable = exhaustive ? rows : rows.slice(0, CANDIDATE_CAP);
  const kept: Candidate[] = [];
  let checked = 0;
  // Most candidates usually match (the Bloom test is tight): a page's worth (twice the page)
  // first.
  let size = 2 * search.wanted;
  while (checked < usable.length) {
    const chunk = usable.slice(checked, checked + size);
    const passed = await check(search, chunk);
    if (passed === undefined) return undefined;
    kept.push(...passed);
    checked += chunk.length;
    if (kept.length >= search.wanted) return kept.slice(0, search.wanted);
    const left = usable.length - checked;
    if (exhaustive) {
      // All the matches are among the candidates: the rest in one check.
      size = left;
      continue;
    }
    // Some candidates were not fetched. Go on while the share that passed so far says those
    // fetched hold the page (one tenant's pair can share its word with common pairs, and a
    // third of its candidates pass: the usual plan then read every span of the window, 570-640
    // ms at 10M spans against ~50 ms for another chunk), with a margin; else the caller's
    // plans for few matches among many candidates.
    if (kept.length === 0) return undefined;
    const needed = ((search.wanted - kept.length) * checked) / kept.length;
    if (needed > left) return undefined;
    size = Math.min(left, Math.ceil(needed * 1.5));
  }
  return kept;
}

/**
 * The candidates having the span-level conditions, in their order: the spans of each are
 * found by (bucket, trace id), one pair per ten-minute bucket its spans may start in.
 */
async function check(
  search: CandidateSearch,
  candidates: readonly Candidate[],
): Promise<Candidate[] | undefined> {
  if (candidates.length === 0) return [];
  const spanWindow = spanWindowOf(search.window);
  const buckets: number[] = [];
  const ids: string[] = [];
  for (const c of candidates) {
    // Its spans start between its start and its end (or the span window's end).
    let end = BigInt(c.end_ns);
    if (spanWindow.toNs !== undefined && end > spanWindow.toNs) end = spanWindow.toNs;
    const last = bucketSeconds(end);
    for (let b = bucketSeconds(BigInt(c.start_ns)); b <= last; b += BUCKET_SECONDS) {
      buckets.push(Number(b));
      ids.push(c.hex_id);
    }
    if (ids.length > MAX_LOOKUPS) return undefined;
  }
  const params = new SqlParams({ projectId: search.projectId });
  const { positive, negative } = spanConditionSql(search.filter, params);
  // The trace-level values the candidates were narrowed to by their bits only.
  positive.push(...traceArraySpanSql(search.filter, params));
  const tests = [
    ...positive.map((c) => `countIf(${c}) > 0`),
    ...(negative.length > 0 ? [`countIf(${negative.join(' OR ')}) = 0`] : []),
  ];
  // The pairs come as two bound arrays, zipped in a subquery: the engine prunes granules by
  // an `IN` set from a subquery (see trace-key.ts).
  const sql = `
SELECT trace_id AS hex_id
FROM spans
WHERE project_id = {projectId:String}
  AND (toStartOfTenMinutes(start_time), trace_id) IN (
    SELECT arrayJoin(arrayZip(arrayMap(b -> toDateTime(b, 'UTC'), ${params.bind(
      'Array(UInt32)',
      buckets,
    )}), ${params.bind('Array(String)', ids)}))
  )
  AND ${windowSql(params, 'start_time', spanWindow)}
GROUP BY trace_id
HAVING ${tests.length > 0 ? tests.join(' AND ') : '1'}`;
  const passed = new Set(
    (await search.db.query<{ hex_id: string }>(sql, params.values)).map((r) => r.hex_id),
  );
  return candidates.filter((c) => passed.has(c.hex_id));
}
