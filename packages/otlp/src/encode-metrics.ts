import {
  writeEnum,
  writeFixed64,
  writeId,
  writeKeyValues,
  writeResource,
  writeScope,
  writeString,
  writeUint32,
} from './encode-common.ts';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportMetricsServiceRequest,
  HistogramDataPoint,
  Metric,
  NumberDataPoint,
  SummaryDataPoint,
} from './types.ts';
import { I64, LEN, VARINT } from './wire.ts';
import { Writer } from './writer.ts';

/**
 * Encodes an ExportMetricsServiceRequest as OTLP/protobuf.
 *
 * @example
 * const body = encodeMetricsRequest(decodeMetricsRequestJson(JSON.parse(text)));
 */
export function encodeMetricsRequest(req: ExportMetricsServiceRequest): Uint8Array {
  const w = new Writer();
  for (const rm of req.resourceMetrics) {
    w.tag(1, LEN); // 1 resource_metrics: repeated ResourceMetrics
    const mark = w.fork();
    writeResource(w, 1, rm.resource); // 1 resource: Resource
    for (const sm of rm.scopeMetrics) {
      w.tag(2, LEN); // 2 scope_metrics: repeated ScopeMetrics
      const m = w.fork();
      writeScope(w, 1, sm.scope); // 1 scope: InstrumentationScope
      for (const metric of sm.metrics) writeMetric(w, metric); // 2 metrics: repeated Metric
      writeString(w, 3, sm.schemaUrl); // 3 schema_url: string
      w.join(m);
    }
    writeString(w, 3, rm.schemaUrl); // 3 schema_url: string
    w.join(mark);
  }
  return w.finish();
}

function writeMetric(w: Writer, metric: Metric): void {
  w.tag(2, LEN);
  const mark = w.fork();
  writeString(w, 1, metric.name); // 1 name: string
  writeString(w, 2, metric.description); // 2 description: string
  writeString(w, 3, metric.unit); // 3 unit: string
  const data = metric.data;
  if (data.type !== 'empty') {
    const field = { gauge: 5, sum: 7, histogram: 9, exponentialHistogram: 10, summary: 11 }[
      data.type
    ]; // 5 gauge, 7 sum, 9 histogram, 10 exponential_histogram, 11 summary
    w.tag(field, LEN);
    const m = w.fork();
    switch (data.type) {
      case 'gauge':
        for (const p of data.dataPoints) writeNumberDataPoint(w, p); // 1 data_points
        break;
      case 'sum':
        for (const p of data.dataPoints) writeNumberDataPoint(w, p); // 1 data_points
        writeEnum(w, 2, data.aggregationTemporality); // 2 aggregation_temporality
        if (data.isMonotonic) {
          w.tag(3, VARINT); // 3 is_monotonic: bool
          w.bool(true);
        }
        break;
      case 'histogram':
        for (const p of data.dataPoints) writeHistogramDataPoint(w, p); // 1 data_points
        writeEnum(w, 2, data.aggregationTemporality); // 2 aggregation_temporality
        break;
      case 'exponentialHistogram':
        for (const p of data.dataPoints) writeExponentialDataPoint(w, p); // 1 data_points
        writeEnum(w, 2, data.aggregationTemporality); // 2 aggregation_temporality
        break;
      case 'summary':
        for (const p of data.dataPoints) writeSummaryDataPoint(w, p); // 1 data_points
        break;
    }
    w.join(m);
  }
  writeKeyValues(w, 12, metric.metadata); // 12 metadata: repeated KeyValue
  w.join(mark);
}

function writeDouble(w: Writer, field: number, n: number | undefined): void {
  if (n === undefined) return;
  w.tag(field, I64);
  w.double(n);
}

function writeCount(w: Writer, field: number, n: number): void {
  if (n === 0) return;
  w.tag(field, I64);
  w.fixed64Number(n);
}

function writeNumberDataPoint(w: Writer, p: NumberDataPoint): void {
  w.tag(1, LEN);
  const mark = w.fork();
  writeFixed64(w, 2, p.startTimeUnixNano); // 2 start_time_unix_nano: fixed64
  writeFixed64(w, 3, p.timeUnixNano); // 3 time_unix_nano: fixed64
  if (p.valueType === 'double') writeDouble(w, 4, p.value); // 4 as_double: double
  for (const e of p.exemplars) writeExemplar(w, 5, e); // 5 exemplars: repeated Exemplar
  if (p.valueType === 'int') {
    w.tag(6, I64); // 6 as_int: sfixed64
    w.sfixed64Number(p.value);
  }
  writeKeyValues(w, 7, p.attributes); // 7 attributes: repeated KeyValue
  writeUint32(w, 8, p.flags); // 8 flags: uint32
  w.join(mark);
}

function writeHistogramDataPoint(w: Writer, p: HistogramDataPoint): void {
  w.tag(1, LEN);
  const mark = w.fork();
  writeFixed64(w, 2, p.startTimeUnixNano); // 2 start_time_unix_nano: fixed64
  writeFixed64(w, 3, p.timeUnixNano); // 3 time_unix_nano: fixed64
  writeCount(w, 4, p.count); // 4 count: fixed64
  writeDouble(w, 5, p.sum); // 5 sum: optional double
  if (p.bucketCounts.length > 0) {
    w.tag(6, LEN); // 6 bucket_counts: repeated fixed64 (packed)
    w.varint(p.bucketCounts.length * 8);
    for (const c of p.bucketCounts) w.fixed64Number(c);
  }
  if (p.explicitBounds.length > 0) {
    w.tag(7, LEN); // 7 explicit_bounds: repeated double (packed)
    w.varint(p.explicitBounds.length * 8);
    for (const b of p.explicitBounds) w.double(b);
  }
  for (const e of p.exemplars) writeExemplar(w, 8, e); // 8 exemplars: repeated Exemplar
  writeKeyValues(w, 9, p.attributes); // 9 attributes: repeated KeyValue
  writeUint32(w, 10, p.flags); // 10 flags: uint32
  writeDouble(w, 11, p.min); // 11 min: optional double
  writeDouble(w, 12, p.max); // 12 max: optional double
  w.join(mark);
}

function writeExponentialDataPoint(w: Writer, p: ExponentialHistogramDataPoint): void {
  w.tag(1, LEN);
  const mark = w.fork();
  writeKeyValues(w, 1, p.attributes); // 1 attributes: repeated KeyValue
  writeFixed64(w, 2, p.startTimeUnixNano); // 2 start_time_unix_nano: fixed64
  writeFixed64(w, 3, p.timeUnixNano); // 3 time_unix_nano: fixed64
  writeCount(w, 4, p.count); // 4 count: fixed64
  writeDouble(w, 5, p.sum); // 5 sum: optional double
  if (p.scale !== 0) {
    w.tag(6, VARINT); // 6 scale: sint32
    w.sint32(p.scale);
  }
  writeCount(w, 7, p.zeroCount); // 7 zero_count: fixed64
  writeBuckets(w, 8, p.positive); // 8 positive: Buckets
  writeBuckets(w, 9, p.negative); // 9 negative: Buckets
  writeUint32(w, 10, p.flags); // 10 flags: uint32
  for (const e of p.exemplars) writeExemplar(w, 11, e); // 11 exemplars: repeated Exemplar
  writeDouble(w, 12, p.min); // 12 min: optional double
  writeDouble(w, 13, p.max); // 13 max: optional double
  if (p.zeroThreshold !== 0) writeDouble(w, 14, p.zeroThreshold); // 14 zero_threshold: double
  w.join(mark);
}

function writeBuckets(w: Writer, field: number, b: ExponentialHistogramBuckets): void {
  if (b.offset === 0 && b.bucketCounts.length === 0) return;
  w.tag(field, LEN);
  const mark = w.fork();
  if (b.offset !== 0) {
    w.tag(1, VARINT); // 1 offset: sint32
    w.sint32(b.offset);
  }
  if (b.bucketCounts.length > 0) {
    w.tag(2, LEN); // 2 bucket_counts: repeated uint64 (packed)
    const m = w.fork();
    for (const c of b.bucketCounts) w.varint(c);
    w.join(m);
  }
  w.join(mark);
}

function writeSummaryDataPoint(w: Writer, p: SummaryDataPoint): void {
  w.tag(1, LEN);
  const mark = w.fork();
  writeFixed64(w, 2, p.startTimeUnixNano); // 2 start_time_unix_nano: fixed64
  writeFixed64(w, 3, p.timeUnixNano); // 3 time_unix_nano: fixed64
  writeCount(w, 4, p.count); // 4 count: fixed64
  if (p.sum !== 0) writeDouble(w, 5, p.sum); // 5 sum: double
  for (const q of p.quantileValues) {
    w.tag(6, LEN); // 6 quantile_values: repeated ValueAtQuantile
    const m = w.fork();
    if (q.quantile !== 0) writeDouble(w, 1, q.quantile); // 1 quantile: double
    if (q.value !== 0) writeDouble(w, 2, q.value); // 2 value: double
    w.join(m);
  }
  writeKeyValues(w, 7, p.attributes); // 7 attributes: repeated KeyValue
  writeUint32(w, 8, p.flags); // 8 flags: uint32
  w.join(mark);
}

/** Exemplars carry no int/double marker in our model: integers go as as_int. */
function writeExemplar(w: Writer, field: number, e: Exemplar): void {
  w.tag(field, LEN);
  const mark = w.fork();
  writeFixed64(w, 2, e.timeUnixNano); // 2 time_unix_nano: fixed64
  if (Number.isSafeInteger(e.value) && !Object.is(e.value, -0)) {
    w.tag(6, I64); // 6 as_int: sfixed64
    w.sfixed64Number(e.value);
  } else {
    writeDouble(w, 3, e.value); // 3 as_double: double
  }
  writeId(w, 4, e.spanId); // 4 span_id: bytes
  writeId(w, 5, e.traceId); // 5 trace_id: bytes
  writeKeyValues(w, 7, e.filteredAttributes); // 7 filtered_attributes: repeated KeyValue
  w.join(mark);
}
