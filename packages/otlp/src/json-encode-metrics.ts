import {
  attributesToJson,
  jsonDouble,
  put,
  resourceToJson,
  scopeToJson,
  type Json,
} from './json-encode-common.ts';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExportMetricsServiceRequest,
  Metric,
  MetricData,
  NumberDataPoint,
} from './types.ts';

/**
 * The OTLP/JSON object of a metrics export request (pass it to `JSON.stringify`).
 *
 * @example
 * const body = JSON.stringify(metricsRequestToJson(decodeMetricsRequest(bytes)));
 */
export function metricsRequestToJson(req: ExportMetricsServiceRequest): Json {
  return {
    resourceMetrics: req.resourceMetrics.map((rm) => {
      const out: Json = { resource: resourceToJson(rm.resource) };
      out.scopeMetrics = rm.scopeMetrics.map((sm) => {
        const s: Json = { scope: scopeToJson(sm.scope), metrics: sm.metrics.map(metricToJson) };
        put(s, 'schemaUrl', sm.schemaUrl);
        return s;
      });
      put(out, 'schemaUrl', rm.schemaUrl);
      return out;
    }),
  };
}

function metricToJson(m: Metric): Json {
  const out: Json = {};
  put(out, 'name', m.name);
  put(out, 'description', m.description);
  put(out, 'unit', m.unit);
  if (m.data.type !== 'empty') out[m.data.type] = dataToJson(m.data);
  put(out, 'metadata', attributesToJson(m.metadata));
  return out;
}

/** Sets an optional or oneof double, which is present even when 0. */
function putDouble(obj: Json, key: string, n: number | undefined): void {
  if (n !== undefined) obj[key] = jsonDouble(n);
}

/** A uint64 count as a decimal string, left out when 0. */
function putCount(obj: Json, key: string, n: number): void {
  if (n !== 0) obj[key] = String(n);
}

/** Timestamps, attributes, exemplars and flags, common to every data point. */
function pointToJson(p: {
  attributes: NumberDataPoint['attributes'];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
  exemplars?: Exemplar[];
}): Json {
  const out: Json = {};
  put(out, 'attributes', attributesToJson(p.attributes));
  put(out, 'startTimeUnixNano', p.startTimeUnixNano);
  put(out, 'timeUnixNano', p.timeUnixNano);
  if (p.exemplars) put(out, 'exemplars', p.exemplars.map(exemplarToJson));
  put(out, 'flags', p.flags);
  return out;
}

function numberPointToJson(p: NumberDataPoint): Json {
  const out = pointToJson(p);
  if (p.valueType === 'double') putDouble(out, 'asDouble', p.value);
  if (p.valueType === 'int') out.asInt = String(p.value);
  return out;
}

function bucketsToJson(b: ExponentialHistogramBuckets): Json {
  const out: Json = {};
  put(out, 'offset', b.offset);
  put(out, 'bucketCounts', b.bucketCounts.map(String));
  return out;
}

function dataToJson(data: Exclude<MetricData, { type: 'empty' }>): Json {
  const out: Json = {};
  switch (data.type) {
    case 'gauge':
      out.dataPoints = data.dataPoints.map(numberPointToJson);
      break;
    case 'sum':
      out.dataPoints = data.dataPoints.map(numberPointToJson);
      put(out, 'aggregationTemporality', data.aggregationTemporality);
      put(out, 'isMonotonic', data.isMonotonic);
      break;
    case 'histogram':
      out.dataPoints = data.dataPoints.map((p) => {
        const o = pointToJson(p);
        putCount(o, 'count', p.count);
        putDouble(o, 'sum', p.sum);
        put(o, 'bucketCounts', p.bucketCounts.map(String));
        put(o, 'explicitBounds', p.explicitBounds.map(jsonDouble));
        putDouble(o, 'min', p.min);
        putDouble(o, 'max', p.max);
        return o;
      });
      put(out, 'aggregationTemporality', data.aggregationTemporality);
      break;
    case 'exponentialHistogram':
      out.dataPoints = data.dataPoints.map((p) => {
        const o = pointToJson(p);
        putCount(o, 'count', p.count);
        putDouble(o, 'sum', p.sum);
        put(o, 'scale', p.scale);
        putCount(o, 'zeroCount', p.zeroCount);
        o.positive = bucketsToJson(p.positive);
        o.negative = bucketsToJson(p.negative);
        putDouble(o, 'min', p.min);
        putDouble(o, 'max', p.max);
        if (p.zeroThreshold !== 0) putDouble(o, 'zeroThreshold', p.zeroThreshold);
        return o;
      });
      put(out, 'aggregationTemporality', data.aggregationTemporality);
      break;
    case 'summary':
      out.dataPoints = data.dataPoints.map((p) => {
        const o = pointToJson(p);
        putCount(o, 'count', p.count);
        if (p.sum !== 0) putDouble(o, 'sum', p.sum);
        put(
          o,
          'quantileValues',
          p.quantileValues.map((q) => ({
            quantile: jsonDouble(q.quantile),
            value: jsonDouble(q.value),
          })),
        );
        return o;
      });
      break;
  }
  return out;
}

function exemplarToJson(e: Exemplar): Json {
  const out: Json = {};
  put(out, 'filteredAttributes', attributesToJson(e.filteredAttributes));
  put(out, 'timeUnixNano', e.timeUnixNano);
  if (Number.isSafeInteger(e.value) && !Object.is(e.value, -0)) out.asInt = String(e.value);
  else putDouble(out, 'asDouble', e.value);
  put(out, 'spanId', e.spanId);
  put(out, 'traceId', e.traceId);
  return out;
}
