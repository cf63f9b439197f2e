/**
 * Metric time series: one metric's points in a window, bucketed by step, aggregated per
 * bucket and per group (an attribute's value). Counters, histograms and summaries that
 * arrive cumulative are first turned into increments (see metric-sql.ts), so `sum` and
 * `count` answer "how much in this step".
 */
import { z } from 'zod';
import { PyflareError } from '../../errors.ts';
import type { Database } from '../database.ts';
import { histogramQuantile } from './histogram-quantile.ts';
import {
  bucketIncrements,
  increment,
  metricAttributeSql,
  metricWhereSql,
  SERIES_WINDOW,
  type MetricSelection,
} from './metric-sql.ts';
import { SqlParams } from './sql-params.ts';

export const METRIC_AGGS = ['sum', 'avg', 'min', 'max', 'count', 'p50', 'p90', 'p99'] as const;
export type MetricAgg = (typeof METRIC_AGGS)[number];

const QUANTILE: Partial<Record<MetricAgg, number>> = { p50: 0.5, p90: 0.9, p99: 0.99 };

/** At most this many groups are returned (the most frequent ones). */
export const MAX_GROUPS = 50;

export interface MetricQuery extends MetricSelection {
  stepMs: number;
  agg: MetricAgg;
  groupBy?: string;
}

export interface MetricSeries {
  labels: Record<string, string>;
  /** [bucket start in epoch ms, value], in time order; empty buckets are left out. */
  points: [number, number][];
}

export interface MetricResult {
  name: string;
  /** '' when the metric has no points in the window. */
  type: string;
  unit: string;
  series: MetricSeries[];
  /** More groups than MAX_GROUPS existed; the least frequent were left out. */
  truncated: boolean;
}

const typeRow = z.object({ type: z.string(), unit: z.string() });
const groupRow = z.object({ g: z.string() });
const valueRow = z.object({ g: z.string(), t: z.number(), v: z.number().nullable() });
const bucketRow = z.object({
  g: z.string(),
  t: z.number(),
  counts: z.array(z.number()),
  bounds: z.array(z.number()),
  mn: z.number().nullable(),
  mx: z.number().nullable(),
});

const VALUE_AGG: Record<Exclude<MetricAgg, 'p50' | 'p90' | 'p99'>, (v: string) => string> = {
  sum: (v) => `sum(${v})`,
  avg: (v) => `avg(${v})`,
  min: (v) => `min(${v})`,
  max: (v) => `max(${v})`,
  count: (v) => `count(${v})`,
};

function unsupported(type: string, agg: MetricAgg): never {
  throw new PyflareError('BAD_REQUEST', `agg=${agg} is not supported for ${type} metrics`);
}

/** Per-point columns (`v`, or `dc`/`ds`/`db`/`qv`) and the aggregate over a bucket. */
function plan(
  type: string,
  agg: MetricAgg,
  from: string,
  params: SqlParams,
): { point: string; aggregate: string; buckets: boolean } {
  const q = QUANTILE[agg];
  switch (type) {
    case 'gauge':
    case 'sum': {
      const v = `if(metric_type = 'sum' AND is_monotonic = 1, ${increment('value', from)}, value)`;
      const aggregate =
        q === undefined
          ? VALUE_AGG[agg as keyof typeof VALUE_AGG]('v')
          : `quantileExactInclusive(${params.bind('Float64', q)})(v)`;
      return { point: `${v} AS v`, aggregate, buckets: false };
    }
    case 'histogram':
    case 'exponential_histogram': {
      const point = `${increment('count', from)} AS dc, ${increment('sum', from)} AS ds, min AS mn0, max AS mx0`;
      if (q !== undefined) {
        if (type !== 'histogram') unsupported(type, agg);
        return {
          point: `${point}, ${bucketIncrements(from)} AS db, explicit_bounds AS eb`,
          aggregate: `sumForEach(db) AS counts, argMax(eb, length(eb)) AS bounds, min(mn0) AS mn, max(mx0) AS mx`,
          buckets: true,
        };
      }
      const aggregate = {
        sum: 'sum(ds)',
        count: 'sum(dc)',
        avg: 'sum(ds) / nullIf(sum(dc), 0)',
        min: 'min(mn0)',
        max: 'max(mx0)',
      }[agg as keyof typeof VALUE_AGG];
      return { point, aggregate, buckets: false };
    }
    case 'summary': {
      const level = q ?? (agg === 'min' ? 0 : agg === 'max' ? 1 : undefined);
      const point = `${increment('count', from)} AS dc, ${increment('sum', from)} AS ds`;
      if (level !== undefined) {
        const l = params.bind('Float64', level);
        return {
          point: `${point}, arrayFirstIndex(x -> abs(x - ${l}) < 1e-9, quantiles) AS qi, if(qi > 0, quantile_values[qi], NULL) AS qv`,
          aggregate: 'avg(qv)',
          buckets: false,
        };
      }
      const aggregate = { sum: 'sum(ds)', count: 'sum(dc)', avg: 'sum(ds) / nullIf(sum(dc), 0)' }[
        agg as 'sum' | 'count' | 'avg'
      ];
      return { point, aggregate, buckets: false };
    }
    default:
      return unsupported(type || 'unknown', agg);
  }
}

/** A summary answers a quantile only when its points carry that quantile. */
async function checkSummaryQuantile(
  db: Database,
  base: string,
  agg: MetricAgg,
  params: SqlParams,
): Promise<void> {
  const level = QUANTILE[agg] ?? (agg === 'min' ? 0 : agg === 'max' ? 1 : undefined);
  if (level === undefined) return;
  const [row] = await db.query<{ quantiles: number[] }>(
    `SELECT arraySort(groupUniqArrayArray(quantiles)) AS quantiles FROM metrics WHERE ${base}`,
    params.values,
  );
  const available = row?.quantiles ?? [];
  if (!available.some((x) => Math.abs(x - level) < 1e-9)) {
    throw new PyflareError(
      'BAD_REQUEST',
      `agg=${agg} needs quantile ${level}, which this summary metric does not report (it has: ${
        available.join(', ') || 'none'
      })`,
    );
  }
}

function toSeries(
  groups: Map<string, [number, number][]>,
  groupBy: string | undefined,
): MetricSeries[] {
  return [...groups].map(([g, points]) => ({
    labels: groupBy === undefined ? {} : { [groupBy]: g },
    points,
  }));
}

/** One metric as time series; an empty result (type '') when it has no points. */
export async function queryMetric(db: Database, query: MetricQuery): Promise<MetricResult> {
  const params = new SqlParams({ projectId: query.projectId });
  const where = metricWhereSql(query, params);
  const [meta] = (
    await db.query(
      `SELECT toString(metric_type) AS type, toString(any(unit)) AS unit FROM metrics
       WHERE ${where} GROUP BY type ORDER BY count() DESC, type LIMIT 1`,
      params.values,
    )
  ).map((r) => typeRow.parse(r));
  if (meta === undefined) {
    return { name: query.name, type: '', unit: '', series: [], truncated: false };
  }
  const group = query.groupBy === undefined ? "''" : metricAttributeSql(query.groupBy, params);
  const base = `${where} AND metric_type = ${params.bind('String', meta.type)}`;
  let groupFilter = '';
  let truncated = false;
  if (query.groupBy !== undefined) {
    const top = (
      await db.query(
        `SELECT ${group} AS g FROM metrics WHERE ${base}
         GROUP BY g ORDER BY count() DESC, g LIMIT ${MAX_GROUPS + 1}`,
        params.values,
      )
    ).map((r) => groupRow.parse(r).g);
    truncated = top.length > MAX_GROUPS;
    groupFilter = ` AND ${group} IN ${params.bind('Array(String)', top.slice(0, MAX_GROUPS))}`;
  }
  if (meta.type === 'summary') await checkSummaryQuantile(db, base, query.agg, params);
  const from = `fromUnixTimestamp64Nano(${params.bind('Int64', query.window.fromNs)}, 'UTC')`;
  const step = params.bind('Int64', BigInt(query.stepMs));
  const p = plan(meta.type, query.agg, from, params);
  const sql = `
SELECT g, t, ${p.buckets ? p.aggregate : `${p.aggregate} AS v`}
FROM (
  SELECT ${group} AS g, intDiv(toUnixTimestamp64Milli(time), ${step}) * ${step} AS t, ${p.point}
  FROM metrics
  WHERE ${base}${groupFilter}
  ${SERIES_WINDOW}
)
GROUP BY g, t
ORDER BY g, t`;
  const rows = await db.query(sql, params.values);
  const groups = new Map<string, [number, number][]>();
  const push = (g: string, t: number, v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    const points = groups.get(g) ?? [];
    points.push([t, v]);
    groups.set(g, points);
  };
  const q = QUANTILE[query.agg];
  for (const raw of rows) {
    if (p.buckets && q !== undefined) {
      const r = bucketRow.parse(raw);
      push(r.g, r.t, histogramQuantile(q, r.bounds, r.counts, { min: r.mn, max: r.mx }));
    } else {
      const r = valueRow.parse(raw);
      push(r.g, r.t, r.v);
    }
  }
  return {
    name: query.name,
    type: meta.type,
    unit: meta.unit,
    series: toSeries(groups, query.groupBy),
    truncated,
  };
}
