import type {
  Exemplar,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  SummaryDataPoint,
} from '@pyflare/otlp';
import type { MetricRow, MetricType } from '../storage/rows.ts';
import { attributesToJson, flattenAttributes, toPlain } from './attributes.ts';
import {
  nsString,
  timeProblem,
  timeWindow,
  type NormalizeContext,
  type NormalizeResult,
  type Rejected,
  type RowSink,
} from './context.ts';
import { MAX_ATTRIBUTE_CHARS, MAX_NAME_CHARS, clip, truncate } from './limits.ts';
import { createRejections, quoteScope, type Rejections } from './rejections.ts';
import { resourceInfo, type ResourceInfo } from './resource.ts';

const TEMPORALITIES: readonly MetricRow['temporality'][] = ['unspecified', 'delta', 'cumulative'];
const STATS_PROBLEM = 'sum is NaN or infinite, or count is not a count';
/** DataPointFlags.FLAG_NO_RECORDED_VALUE: a staleness marker, stored even without a value. */
const NO_RECORDED_VALUE = 1;

interface Shared {
  ctx: NormalizeContext;
  metric: Metric;
  type: MetricType;
  temporality: MetricRow['temporality'];
  isMonotonic: 0 | 1;
  resource: ResourceInfo;
  scopeName: string;
  scopeVersion: string;
}

/** Anything with the fields every data point kind shares. */
interface PointBase {
  attributes: NumberDataPoint['attributes'];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
  exemplars?: Exemplar[];
}

/**
 * Decoded OTLP metrics → rows of the `metrics` table, one per data point of every kind.
 * `value` is the number of a gauge or sum point and the mean (sum / count, 0 when count is 0)
 * of a histogram, exponential histogram or summary point. Points without a time, of a metric
 * without a name, or with a NaN / infinite value or sum are rejected (JSON cannot carry them
 * and a 0 in their place would be a lie); a NaN min / max is stored as null.
 */
export function normalizeMetrics(
  req: ExportMetricsServiceRequest,
  ctx: NormalizeContext,
): NormalizeResult<MetricRow> {
  const rows: MetricRow[] = [];
  return { rows, ...normalizeMetricsInto(req, ctx, rows) };
}

/** `normalizeMetrics`, each row handed to `sink` as soon as it is built. */
export function normalizeMetricsInto(
  req: ExportMetricsServiceRequest,
  ctx: NormalizeContext,
  sink: RowSink<MetricRow>,
): Rejected {
  const rejections = createRejections();
  const window = timeWindow(ctx);
  for (const rm of req.resourceMetrics) {
    let resource: ResourceInfo | undefined;
    for (const sm of rm.scopeMetrics) {
      const scopeName = clip(sm.scope.name);
      const scopeVersion = clip(sm.scope.version);
      for (let m = 0; m < sm.metrics.length; m++) {
        const metric = sm.metrics[m]!;
        const where = `metric ${m} of scope ${quoteScope(sm.scope.name)}`;
        const data = metric.data;
        if (data.type === 'empty') {
          rejections.add(where, 'metric has no data (gauge, sum, histogram, ...)');
          continue;
        }
        if (metric.name === '') {
          const n = Math.max(1, data.dataPoints.length);
          for (let i = 0; i < n; i++) rejections.add(where, 'metric name is empty');
          continue;
        }
        resource ??= resourceInfo(rm.resource);
        const shared: Shared = {
          ctx,
          metric,
          type: data.type === 'exponentialHistogram' ? 'exponential_histogram' : data.type,
          temporality:
            'aggregationTemporality' in data
              ? (TEMPORALITIES[data.aggregationTemporality] ?? 'unspecified')
              : 'unspecified',
          isMonotonic: data.type === 'sum' && data.isMonotonic ? 1 : 0,
          resource,
          scopeName,
          scopeVersion,
        };
        const points = data.dataPoints;
        for (let i = 0; i < points.length; i++) {
          const p = points[i]!;
          const at = `data point ${i} of ${where} '${clip(metric.name, 64)}'`;
          const problem =
            p.timeUnixNano <= 0n
              ? 'missing time_unix_nano'
              : p.startTimeUnixNano > p.timeUnixNano
                ? 'start_time_unix_nano is after time_unix_nano'
                : timeProblem('time_unix_nano', p.timeUnixNano, window);
          if (problem !== undefined) {
            rejections.add(at, problem);
            continue;
          }
          const row = pointRow(shared, data.type, p, at, rejections);
          if (row) sink.push(row);
        }
      }
    }
  }
  return { rejected: rejections.count, errors: rejections.examples };
}

function pointRow(
  s: Shared,
  kind: Exclude<Metric['data']['type'], 'empty'>,
  p: NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint | SummaryDataPoint,
  at: string,
  rejections: Rejections,
): MetricRow | undefined {
  const row = baseRow(s, p);
  switch (kind) {
    case 'gauge':
    case 'sum': {
      const n = p as NumberDataPoint;
      if (n.valueType === 'none' && (n.flags & NO_RECORDED_VALUE) === 0) {
        return reject(rejections, at, 'number data point has no value');
      }
      if (!Number.isFinite(n.value)) return reject(rejections, at, 'value is NaN or infinite');
      row.value = n.value;
      return row;
    }
    case 'histogram': {
      const h = p as HistogramDataPoint;
      if (!setStats(row, h.count, h.sum, h.min, h.max)) {
        return reject(rejections, at, STATS_PROBLEM);
      }
      if (!allFinite(h.explicitBounds) || !allCounts(h.bucketCounts)) {
        return reject(
          rejections,
          at,
          'bucket bounds are not finite or bucket counts are not counts',
        );
      }
      row.bucket_counts = h.bucketCounts;
      row.explicit_bounds = h.explicitBounds;
      return row;
    }
    case 'exponentialHistogram': {
      const e = p as ExponentialHistogramDataPoint;
      if (!setStats(row, e.count, e.sum, e.min, e.max)) {
        return reject(rejections, at, STATS_PROBLEM);
      }
      if (
        !isCount(e.zeroCount) ||
        !allCounts(e.positive.bucketCounts) ||
        !allCounts(e.negative.bucketCounts)
      ) {
        return reject(rejections, at, 'zero or bucket counts are not counts');
      }
      row.exp_scale = e.scale | 0;
      row.exp_zero_count = e.zeroCount;
      row.exp_positive_offset = e.positive.offset | 0;
      row.exp_positive_counts = e.positive.bucketCounts;
      row.exp_negative_offset = e.negative.offset | 0;
      row.exp_negative_counts = e.negative.bucketCounts;
      return row;
    }
    case 'summary': {
      const q = p as SummaryDataPoint;
      if (!setStats(row, q.count, q.sum, undefined, undefined)) {
        return reject(rejections, at, STATS_PROBLEM);
      }
      const quantiles: number[] = [];
      const values: number[] = [];
      for (const v of q.quantileValues) {
        if (!Number.isFinite(v.quantile) || !Number.isFinite(v.value)) {
          return reject(rejections, at, 'a quantile or its value is NaN or infinite');
        }
        quantiles.push(v.quantile);
        values.push(v.value);
      }
      row.quantiles = quantiles;
      row.quantile_values = values;
      return row;
    }
  }
}

function reject(rejections: Rejections, at: string, reason: string): undefined {
  rejections.add(at, reason);
  return undefined;
}

function baseRow(s: Shared, p: PointBase): MetricRow {
  const flat = flattenAttributes(p.attributes);
  return {
    project_id: s.ctx.projectId,
    metric_name: clip(s.metric.name, MAX_NAME_CHARS),
    metric_type: s.type,
    description: truncate(s.metric.description, MAX_ATTRIBUTE_CHARS),
    unit: clip(s.metric.unit, MAX_NAME_CHARS),
    service_name: s.resource.serviceName,
    scope_name: s.scopeName,
    scope_version: s.scopeVersion,
    resource_attributes: s.resource.map,
    attributes: flat.map,
    attributes_json: flat.json,
    start_time: nsString(p.startTimeUnixNano),
    time: nsString(p.timeUnixNano),
    value: 0,
    count: 0,
    sum: 0,
    min: null,
    max: null,
    bucket_counts: [],
    explicit_bounds: [],
    exp_scale: 0,
    exp_zero_count: 0,
    exp_positive_offset: 0,
    exp_positive_counts: [],
    exp_negative_offset: 0,
    exp_negative_counts: [],
    quantiles: [],
    quantile_values: [],
    temporality: s.temporality,
    is_monotonic: s.isMonotonic,
    flags: p.flags >>> 0,
    exemplars_json: p.exemplars ? exemplarsJson(p.exemplars) : '[]',
    retention_days: s.ctx.retentionDays,
    ingested_at: s.ctx.nowMs,
  };
}

/** count, sum, min, max and the mean as `value`; false when sum or count is unusable. */
function setStats(
  row: MetricRow,
  count: number,
  sum: number | undefined,
  min: number | undefined,
  max: number | undefined,
): boolean {
  if (sum !== undefined && !Number.isFinite(sum)) return false;
  if (!isCount(count)) return false;
  row.count = count;
  row.sum = sum ?? 0;
  row.value = row.count > 0 ? row.sum / row.count : 0;
  row.min = min !== undefined && Number.isFinite(min) ? min : null;
  row.max = max !== undefined && Number.isFinite(max) ? max : null;
  return true;
}

/** A UInt64 column silently wraps numbers beyond 2^64, so counts must be safe integers. */
function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function allFinite(xs: readonly number[]): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}

function allCounts(xs: readonly number[]): boolean {
  for (let i = 0; i < xs.length; i++) if (!isCount(xs[i]!)) return false;
  return true;
}

/**
 * Exemplars as a JSON array of { timeUnixNano (decimal string), value, spanId, traceId,
 * filteredAttributes }; a non-finite value is written as a string, like attribute values.
 */
export function exemplarsJson(exemplars: readonly Exemplar[]): string {
  if (exemplars.length === 0) return '[]';
  let s = '[';
  for (const e of exemplars) {
    if (s.length > 1) s += ',';
    s +=
      '{"timeUnixNano":"' +
      e.timeUnixNano.toString() +
      '","value":' +
      JSON.stringify(toPlain(e.value)) +
      ',"spanId":' +
      JSON.stringify(clip(e.spanId, 64)) +
      ',"traceId":' +
      JSON.stringify(clip(e.traceId, 64)) +
      ',"filteredAttributes":' +
      attributesToJson(e.filteredAttributes) +
      '}';
  }
  return s + ']';
}
