import { attributesFromJson, resourceFromJson, scopeFromJson } from './json-decode-common.ts';
import { AGGREGATION_TEMPORALITY_NAMES } from './json-enums.ts';
import { JsonReader, type JsonObject } from './json-reader.ts';
import { resolveLimits, type DecodeOptions } from './options.ts';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  MetricData,
  NumberDataPoint,
  ResourceMetrics,
  ScopeMetrics,
  SummaryDataPoint,
} from './types.ts';

/**
 * Decodes an OTLP/JSON metrics export request that has already been `JSON.parse`d.
 *
 * @throws OtlpDecodeError naming the JSON path of the offending value.
 * @example
 * const req = decodeMetricsRequestJson(JSON.parse(body));
 */
export function decodeMetricsRequestJson(
  value: unknown,
  options?: DecodeOptions,
): ExportMetricsServiceRequest {
  const r = new JsonReader(resolveLimits(options).maxDepth, options?.wideJsonNumbers === 'refuse');
  const root = r.root(value);
  return { resourceMetrics: r.list(root, 'resourceMetrics', (o) => resourceMetrics(r, o)) };
}

function resourceMetrics(r: JsonReader, o: JsonObject): ResourceMetrics {
  return {
    resource: resourceFromJson(r, r.object(o, 'resource')),
    scopeMetrics: r.list(o, 'scopeMetrics', (s) => scopeMetrics(r, s)),
    schemaUrl: r.string(o, 'schemaUrl'),
  };
}

function scopeMetrics(r: JsonReader, o: JsonObject): ScopeMetrics {
  return {
    scope: scopeFromJson(r, r.object(o, 'scope')),
    metrics: r.list(o, 'metrics', (m) => metric(r, m)),
    schemaUrl: r.string(o, 'schemaUrl'),
  };
}

const DATA_KEYS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

function metric(r: JsonReader, o: JsonObject): Metric {
  let data: MetricData = { type: 'empty' };
  for (const key of DATA_KEYS) {
    const d = r.object(o, key);
    if (d === undefined) continue;
    if (data.type !== 'empty') r.fail(`Metric has both ${data.type} and ${key} set`);
    r.push(key);
    data = metricData(r, key, d);
    r.pop();
  }
  return {
    name: r.string(o, 'name'),
    description: r.string(o, 'description'),
    unit: r.string(o, 'unit'),
    metadata: attributesFromJson(r, o, 'metadata'),
    data,
  };
}

function metricData(r: JsonReader, type: (typeof DATA_KEYS)[number], d: JsonObject): MetricData {
  const temporality = (): number =>
    r.enumeration(
      d,
      'aggregationTemporality',
      AGGREGATION_TEMPORALITY_NAMES,
      'AggregationTemporality',
    );
  switch (type) {
    case 'gauge':
      return { type, dataPoints: r.list(d, 'dataPoints', (p) => numberPoint(r, p)) };
    case 'sum':
      return {
        type,
        dataPoints: r.list(d, 'dataPoints', (p) => numberPoint(r, p)),
        aggregationTemporality: temporality(),
        isMonotonic: r.bool(d, 'isMonotonic'),
      };
    case 'histogram':
      return {
        type,
        dataPoints: r.list(d, 'dataPoints', (p) => histogramPoint(r, p)),
        aggregationTemporality: temporality(),
      };
    case 'exponentialHistogram':
      return {
        type,
        dataPoints: r.list(d, 'dataPoints', (p) => exponentialPoint(r, p)),
        aggregationTemporality: temporality(),
      };
    case 'summary':
      return { type, dataPoints: r.list(d, 'dataPoints', (p) => summaryPoint(r, p)) };
  }
}

/** The as_double / as_int oneof of NumberDataPoint and Exemplar. */
function numberValue(
  r: JsonReader,
  o: JsonObject,
): { value: number; valueType: NumberDataPoint['valueType'] } {
  const asDouble = o.asDouble;
  const asInt = o.asInt;
  const hasDouble = asDouble !== undefined && asDouble !== null;
  const hasInt = asInt !== undefined && asInt !== null;
  if (hasDouble && hasInt) r.fail('both asDouble and asInt are set');
  if (hasDouble) return { value: r.doubleValue(asDouble, 'asDouble'), valueType: 'double' };
  if (hasInt) return { value: Number(r.int64(asInt, 'asInt')), valueType: 'int' };
  return { value: 0, valueType: 'none' };
}

function numberPoint(r: JsonReader, o: JsonObject): NumberDataPoint {
  const { value, valueType } = numberValue(r, o);
  return {
    attributes: attributesFromJson(r, o, 'attributes'),
    startTimeUnixNano: r.uint64(o, 'startTimeUnixNano'),
    timeUnixNano: r.uint64(o, 'timeUnixNano'),
    value,
    valueType,
    exemplars: r.list(o, 'exemplars', (e) => exemplar(r, e)),
    flags: r.int32(o, 'flags', true),
  };
}

function histogramPoint(r: JsonReader, o: JsonObject): HistogramDataPoint {
  return {
    attributes: attributesFromJson(r, o, 'attributes'),
    startTimeUnixNano: r.uint64(o, 'startTimeUnixNano'),
    timeUnixNano: r.uint64(o, 'timeUnixNano'),
    count: r.uint64Number(o, 'count'),
    sum: r.optionalDouble(o, 'sum'),
    bucketCounts: r.scalars(o, 'bucketCounts', (v, i) => r.countValue(v, i)),
    explicitBounds: r.scalars(o, 'explicitBounds', (v, i) => r.doubleValue(v, i)),
    exemplars: r.list(o, 'exemplars', (e) => exemplar(r, e)),
    flags: r.int32(o, 'flags', true),
    min: r.optionalDouble(o, 'min'),
    max: r.optionalDouble(o, 'max'),
  };
}

function exponentialPoint(r: JsonReader, o: JsonObject): ExponentialHistogramDataPoint {
  return {
    attributes: attributesFromJson(r, o, 'attributes'),
    startTimeUnixNano: r.uint64(o, 'startTimeUnixNano'),
    timeUnixNano: r.uint64(o, 'timeUnixNano'),
    count: r.uint64Number(o, 'count'),
    sum: r.optionalDouble(o, 'sum'),
    scale: r.int32(o, 'scale', false),
    zeroCount: r.uint64Number(o, 'zeroCount'),
    positive: buckets(r, o, 'positive'),
    negative: buckets(r, o, 'negative'),
    flags: r.int32(o, 'flags', true),
    exemplars: r.list(o, 'exemplars', (e) => exemplar(r, e)),
    min: r.optionalDouble(o, 'min'),
    max: r.optionalDouble(o, 'max'),
    zeroThreshold: r.double(o, 'zeroThreshold'),
  };
}

function buckets(r: JsonReader, o: JsonObject, key: string): ExponentialHistogramBuckets {
  const b = r.object(o, key);
  if (b === undefined) return { offset: 0, bucketCounts: [] };
  r.push(key);
  const result = {
    offset: r.int32(b, 'offset', false),
    bucketCounts: r.scalars(b, 'bucketCounts', (v, i) => r.countValue(v, i)),
  };
  r.pop();
  return result;
}

function summaryPoint(r: JsonReader, o: JsonObject): SummaryDataPoint {
  return {
    attributes: attributesFromJson(r, o, 'attributes'),
    startTimeUnixNano: r.uint64(o, 'startTimeUnixNano'),
    timeUnixNano: r.uint64(o, 'timeUnixNano'),
    count: r.uint64Number(o, 'count'),
    sum: r.double(o, 'sum'),
    quantileValues: r.list(o, 'quantileValues', (q) => ({
      quantile: r.double(q, 'quantile'),
      value: r.double(q, 'value'),
    })),
    flags: r.int32(o, 'flags', true),
  };
}

function exemplar(r: JsonReader, o: JsonObject): Exemplar {
  return {
    filteredAttributes: attributesFromJson(r, o, 'filteredAttributes'),
    timeUnixNano: r.uint64(o, 'timeUnixNano'),
    value: numberValue(r, o).value,
    spanId: r.id(o, 'spanId'),
    traceId: r.id(o, 'traceId'),
  };
}
