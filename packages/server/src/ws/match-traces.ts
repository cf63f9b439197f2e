import type { TraceFilter } from '@pyflare/query';
import { z } from 'zod';
import type { Database } from '../storage/database.ts';
import { SqlParams, type TimeWindow } from '../storage/queries/sql-params.ts';
import { compileTraceFilter } from '../storage/queries/trace-filter-sql.ts';
import { TRACE_HEX, traceKeys } from '../storage/queries/trace-key.ts';

/** Candidates whose starts lie further apart than this are matched in separate windows. */
const GROUP_SPAN_NS = 3_600_000_000_000n;

const startRow = z.object({ hex_id: z.string(), start_ns: z.string() });
const idRow = z.object({ hex_id: z.string() });

export interface Candidate {
  traceId: string;
  startNs: bigint;
}

/** The start of each trace (as stored now), for the windows the filter is compiled for. */
export async function traceStarts(
  db: Database,
  projectId: string,
  traceIds: string[],
): Promise<Candidate[]> {
  if (traceIds.length === 0) return [];
  const rows = await db.query(
    `SELECT ${TRACE_HEX} AS hex_id, toString(toUnixTimestamp64Nano(min(start_time))) AS start_ns
     FROM traces
     PREWHERE project_id = {projectId:String} AND trace_id IN ${traceKeys('{ids:Array(String)}')}
     GROUP BY trace_id`,
    { projectId, ids: traceIds },
  );
  return rows
    .map((r) => startRow.parse(r))
    .map((r) => ({ traceId: r.hex_id, startNs: BigInt(r.start_ns) }))
    .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
}

/** Sorted candidates cut into groups whose starts span at most an hour. */
export function groupByStart(candidates: Candidate[]): Candidate[][] {
  const groups: Candidate[][] = [];
  for (const c of candidates) {
    const current = groups.at(-1);
    if (current && c.startNs - current[0]!.startNs <= GROUP_SPAN_NS) current.push(c);
    else groups.push([c]);
  }
  return groups;
}

/** The window of a group, narrowed by the filter's own time range; undefined when empty. */
function windowOf(group: Candidate[], filter: TraceFilter): TimeWindow | undefined {
  let fromNs = group[0]!.startNs;
  let toNs = group.at(-1)!.startNs;
  if (filter.time?.from !== undefined) {
    const f = BigInt(filter.time.from) * 1_000_000n;
    if (f > fromNs) fromNs = f;
  }
  if (filter.time?.to !== undefined) {
    const t = BigInt(filter.time.to) * 1_000_000n + 999_999n;
    if (t < toNs) toNs = t;
  }
  return fromNs <= toNs ? { fromNs, toNs } : undefined;
}

/**
 * Which of the candidate traces match `filter`, with exactly the semantics of
 * `GET /api/v1/traces` (the same compiled SQL), restricted to the candidates' ids.
 */
export async function matchTraces(
  db: Database,
  projectId: string,
  filter: TraceFilter,
  candidates: Candidate[],
): Promise<string[]> {
  const matched: string[] = [];
  for (const group of groupByStart(candidates)) {
    const window = windowOf(group, filter);
    if (!window) continue;
    const restricted: TraceFilter = {
      ...filter,
      strings: [
        ...filter.strings,
        { field: 'trace', values: group.map((c) => c.traceId), negated: false },
      ],
    };
    const params = new SqlParams({ projectId });
    const { where, having } = compileTraceFilter(restricted, window, params);
    const rows = await db.query(
      `SELECT ${TRACE_HEX} AS hex_id FROM traces
       WHERE project_id = {projectId:String} AND ${where.join(' AND ')}
       GROUP BY trace_id
       HAVING ${having.join(' AND ')}`,
      params.values,
    );
    for (const r of rows) matched.push(idRow.parse(r).hex_id);
  }
  return matched;
}
