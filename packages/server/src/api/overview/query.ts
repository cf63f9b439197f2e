import { emptyFilter } from '@pyflare/query';
import { z } from 'zod';
import type { Database } from '../../storage/database.ts';
import { SqlParams, windowSql, type ClosedWindow } from '../../storage/queries/sql-params.ts';
import { compileTraceFilter } from '../../storage/queries/trace-filter-sql.ts';
import { searchTraces } from '../../storage/queries/traces.ts';
import type { TraceSummary } from '../../storage/queries/trace-summary.ts';

/** Dashboard aggregates scan the window: they let trace lookups go first. */
const BULK = { lane: 'bulk' } as const;

export interface OverviewPoint {
  /** Start of the bucket, ISO 8601. */
  t: string;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  inputTokens: number;
  outputTokens: number;
}

export interface Overview {
  from: string;
  to: string;
  stepSeconds: number;
  series: OverviewPoint[];
  totals: Omit<OverviewPoint, 't'> & { errorRate: number };
  topModels: {
    model: string;
    provider: string;
    calls: number;
    inputTokens: number;
    outputTokens: number;
  }[];
  recentErrors: TraceSummary[];
}

const bucketRow = z.object({
  is_total: z.number(),
  bucket_ms: z.coerce.number(),
  requests: z.coerce.number(),
  errors: z.coerce.number(),
  q: z.array(z.number().nullable()),
  input_tokens: z.coerce.number(),
  output_tokens: z.coerce.number(),
});

const modelRow = z.object({
  model: z.string(),
  provider: z.string(),
  calls: z.coerce.number(),
  input_tokens: z.coerce.number(),
  output_tokens: z.coerce.number(),
});

const NS_PER_MS = 1_000_000;
const msOf = (ns: number | null | undefined) =>
  ns === null || ns === undefined || Number.isNaN(ns)
    ? 0
    : Math.round((ns / NS_PER_MS) * 1000) / 1000;

/**
 * Per bucket and in total, over the traces whose start lies in the window (a request is a
 * trace): count, traces with an error span, p50/p99 of the trace duration (ClickHouse
 * `quantiles`, linear interpolation; exact up to 8192 traces per bucket, sampled beyond),
 * and the traces' tokens. One scan: GROUPING SETS gives the buckets and the total at once.
 */
async function requestStats(db: Database, projectId: string, window: ClosedWindow, stepMs: number) {
  const params = new SqlParams({ projectId });
  const { where, having } = compileTraceFilter(emptyFilter(), window, params);
  const step = params.bind('Int64', BigInt(stepMs));
  const sql = `
SELECT
  grouping(bucket_ms) AS is_total,
  intDiv(start_ms, ${step}) * ${step} AS bucket_ms,
  count() AS requests,
  countIf(error_count > 0) AS errors,
  quantiles(0.5, 0.99)(duration_ns) AS q,
  sum(input) AS input_tokens,
  sum(output) AS output_tokens
FROM
(
  SELECT
    trace_id,
    toUnixTimestamp64Milli(min(start_time)) AS start_ms,
    toUnixTimestamp64Nano(max(end_time)) - toUnixTimestamp64Nano(min(start_time)) AS duration_ns,
    sum(error_count) AS error_count,
    sum(input_tokens) AS input,
    sum(output_tokens) AS output
  FROM traces
  WHERE project_id = {projectId:String}
    AND ${where.join('\n    AND ')}
  GROUP BY trace_id
  HAVING ${having.join('\n    AND ')}
)
GROUP BY GROUPING SETS ((bucket_ms), ())
ORDER BY is_total, bucket_ms`;
  return (await db.query(sql, params.values, BULK)).map((r) => bucketRow.parse(r));
}

/** The models called most in the window: spans naming a model (the request's, else the response's). */
async function topModels(db: Database, projectId: string, window: ClosedWindow, limit: number) {
  const params = new SqlParams({ projectId });
  const sql = `
SELECT
  if(request_model != '', toString(request_model), toString(response_model)) AS model,
  toString(provider) AS provider,
  count() AS calls,
  sum(input_tokens) AS input_tokens,
  sum(output_tokens) AS output_tokens
FROM spans
WHERE project_id = {projectId:String}
  AND ${windowSql(params, 'start_time', window)}
  AND (request_model != '' OR response_model != '')
GROUP BY model, provider
ORDER BY calls DESC, model, provider
LIMIT ${params.bind('UInt32', limit)}`;
  return (await db.query(sql, params.values, BULK)).map((r) => modelRow.parse(r));
}

/** The home dashboard: request rate, errors, latency, tokens, top models, recent errors. */
export async function getOverview(
  db: Database,
  input: { projectId: string; fromMs: number; toMs: number; stepMs: number },
): Promise<Overview> {
  const { projectId, fromMs, toMs, stepMs } = input;
  const window: ClosedWindow = {
    fromNs: BigInt(fromMs) * 1_000_000n,
    toNs: BigInt(toMs) * 1_000_000n + 999_999n,
  };
  const [stats, models, errors] = await Promise.all([
    requestStats(db, projectId, window, stepMs),
    topModels(db, projectId, window, 10),
    searchTraces(db, {
      projectId,
      filter: { ...emptyFilter(), status: 'error' },
      window,
      sort: 'time',
      order: 'desc',
      limit: 10,
    }),
  ]);
  const point = (r: z.output<typeof bucketRow> | undefined) => ({
    requests: r?.requests ?? 0,
    errors: r?.errors ?? 0,
    p50Ms: r && r.requests > 0 ? msOf(r.q[0]) : 0,
    p99Ms: r && r.requests > 0 ? msOf(r.q[1]) : 0,
    inputTokens: r?.input_tokens ?? 0,
    outputTokens: r?.output_tokens ?? 0,
  });
  const buckets = new Map(stats.filter((r) => r.is_total === 0).map((r) => [r.bucket_ms, r]));
  const series: OverviewPoint[] = [];
  for (let t = Math.floor(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) {
    series.push({ t: new Date(t).toISOString(), ...point(buckets.get(t)) });
  }
  const total = point(stats.find((r) => r.is_total === 1));
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    stepSeconds: stepMs / 1000,
    series,
    totals: { ...total, errorRate: total.requests > 0 ? total.errors / total.requests : 0 },
    topModels: models.map((m) => ({
      model: m.model,
      provider: m.provider,
      calls: m.calls,
      inputTokens: m.input_tokens,
      outputTokens: m.output_tokens,
    })),
    recentErrors: errors.traces,
  };
}
