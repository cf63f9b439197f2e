import {
  decodeKeyValue,
  decodeResource,
  decodeScope,
  emptyResource,
  emptyScope,
  newAttributes,
} from './decode-common.ts';
import {
  decodeExponentialHistogramDataPoint,
  decodeHistogramDataPoint,
  decodeNumberDataPoint,
  decodeSummaryDataPoint,
} from './decode-data-points.ts';
import { resolveLimits, type DecodeOptions } from './options.ts';
import { Reader } from './reader.ts';
import type {
  ExportMetricsServiceRequest,
  InstrumentationScope,
  Metric,
  MetricData,
  Resource,
  ResourceMetrics,
  ScopeMetrics,
} from './types.ts';

/**
 * Protobuf decoding of opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.
 * Case labels are whole tags, `(field_number << 3) | wire_type`; a known field with an
 * unexpected wire type is skipped like an unknown one. Data points: decode-data-points.ts.
 */

/**
 * Decodes an OTLP/protobuf metrics export request.
 *
 * @throws OtlpDecodeError on malformed input (never anything else).
 * @example
 * const req = decodeMetricsRequest(bytes);
 * const names = req.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)));
 */
export function decodeMetricsRequest(
  bytes: Uint8Array,
  options?: DecodeOptions,
): ExportMetricsServiceRequest {
  const r = new Reader(bytes, 'ExportMetricsServiceRequest', resolveLimits(options));
  const resourceMetrics: ResourceMetrics[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      resourceMetrics.push(decodeResourceMetrics(r)); // 1 resource_metrics: repeated ResourceMetrics
    } else {
      r.skip(tag);
    }
  }
  return { resourceMetrics };
}

function decodeResourceMetrics(r: Reader): ResourceMetrics {
  r.openRecord('ResourceMetrics');
  let resource: Resource | undefined;
  const scopeMetrics: ScopeMetrics[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 resource: Resource
        resource = decodeResource(r);
        break;
      case 18: // 2 scope_metrics: repeated ScopeMetrics
        scopeMetrics.push(decodeScopeMetrics(r));
        break;
      case 26: // 3 schema_url: string
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { resource: resource ?? emptyResource(), scopeMetrics, schemaUrl };
}

function decodeScopeMetrics(r: Reader): ScopeMetrics {
  r.openRecord('ScopeMetrics');
  let scope: InstrumentationScope | undefined;
  const metrics: Metric[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 scope: InstrumentationScope
        scope = decodeScope(r);
        break;
      case 18: // 2 metrics: repeated Metric
        metrics.push(decodeMetric(r));
        break;
      case 26: // 3 schema_url: string
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { scope: scope ?? emptyScope(), metrics, schemaUrl };
}

function decodeMetric(r: Reader): Metric {
  r.openRecord('Metric');
  let name = '';
  let description = '';
  let unit = '';
  const metadata = newAttributes();
  let data: MetricData = { type: 'empty' };
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 name: string
        name = r.string();
        break;
      case 18: // 2 description: string
        description = r.string();
        break;
      case 26: // 3 unit: string
        unit = r.string();
        break;
      case 42: // 5 gauge: Gauge
        data = decodeGauge(r);
        break;
      case 58: // 7 sum: Sum
        data = decodeSum(r);
        break;
      case 74: // 9 histogram: Histogram
        data = decodeHistogram(r);
        break;
      case 82: // 10 exponential_histogram: ExponentialHistogram
        data = decodeExponentialHistogram(r);
        break;
      case 90: // 11 summary: Summary
        data = decodeSummary(r);
        break;
      case 98: // 12 metadata: repeated KeyValue
        decodeKeyValue(r, metadata);
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { name, description, unit, metadata, data };
}

function decodeGauge(r: Reader): MetricData {
  r.open('Gauge');
  const dataPoints = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      dataPoints.push(decodeNumberDataPoint(r)); // 1 data_points: repeated NumberDataPoint
    } else {
      r.skip(tag);
    }
  }
  r.close();
  return { type: 'gauge', dataPoints };
}

function decodeSum(r: Reader): MetricData {
  r.open('Sum');
  const dataPoints = [];
  let aggregationTemporality = 0;
  let isMonotonic = false;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 data_points: repeated NumberDataPoint
        dataPoints.push(decodeNumberDataPoint(r));
        break;
      case 16: // 2 aggregation_temporality: AggregationTemporality (enum)
        aggregationTemporality = r.varint32() | 0;
        break;
      case 24: // 3 is_monotonic: bool
        isMonotonic = r.bool();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { type: 'sum', dataPoints, aggregationTemporality, isMonotonic };
}

function decodeHistogram(r: Reader): MetricData {
  r.open('Histogram');
  const dataPoints = [];
  let aggregationTemporality = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 data_points: repeated HistogramDataPoint
        dataPoints.push(decodeHistogramDataPoint(r));
        break;
      case 16: // 2 aggregation_temporality: AggregationTemporality (enum)
        aggregationTemporality = r.varint32() | 0;
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { type: 'histogram', dataPoints, aggregationTemporality };
}

function decodeExponentialHistogram(r: Reader): MetricData {
  r.open('ExponentialHistogram');
  const dataPoints = [];
  let aggregationTemporality = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 data_points: repeated ExponentialHistogramDataPoint
        dataPoints.push(decodeExponentialHistogramDataPoint(r));
        break;
      case 16: // 2 aggregation_temporality: AggregationTemporality (enum)
        aggregationTemporality = r.varint32() | 0;
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { type: 'exponentialHistogram', dataPoints, aggregationTemporality };
}

function decodeSummary(r: Reader): MetricData {
  r.open('Summary');
  const dataPoints = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      dataPoints.push(decodeSummaryDataPoint(r)); // 1 data_points: repeated SummaryDataPoint
    } else {
      r.skip(tag);
    }
  }
  r.close();
  return { type: 'summary', dataPoints };
}
