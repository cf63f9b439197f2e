import { decodeKeyValue, newAttributes } from './decode-common.ts';
import type { Reader } from './reader.ts';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
  ValueAtQuantile,
} from './types.ts';

/**
 * Protobuf decoding of the data points of opentelemetry/proto/metrics/v1/metrics.proto.
 * Case labels are whole tags, `(field_number << 3) | wire_type`. Repeated numeric fields
 * are accepted packed or unpacked, as protobuf parsers must.
 */

export function decodeNumberDataPoint(r: Reader): NumberDataPoint {
  r.openRecord('NumberDataPoint');
  const attributes = newAttributes();
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let value = 0;
  let valueType: NumberDataPoint['valueType'] = 'none';
  const exemplars: Exemplar[] = [];
  let flags = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: // 2 start_time_unix_nano: fixed64
        startTimeUnixNano = r.fixed64();
        break;
      case 25: // 3 time_unix_nano: fixed64
        timeUnixNano = r.fixed64();
        break;
      case 33: // 4 as_double: double
        value = r.double();
        valueType = 'double';
        break;
      case 42: // 5 exemplars: repeated Exemplar
        exemplars.push(decodeExemplar(r));
        break;
      case 49: // 6 as_int: sfixed64
        value = r.sfixed64Number();
        valueType = 'int';
        break;
      case 58: // 7 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 64: // 8 flags: uint32
        flags = r.varint32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { attributes, startTimeUnixNano, timeUnixNano, value, valueType, exemplars, flags };
}

export function decodeHistogramDataPoint(r: Reader): HistogramDataPoint {
  r.openRecord('HistogramDataPoint');
  const attributes = newAttributes();
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0;
  let sum: number | undefined;
  const bucketCounts: number[] = [];
  const explicitBounds: number[] = [];
  const exemplars: Exemplar[] = [];
  let flags = 0;
  let min: number | undefined;
  let max: number | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: // 2 start_time_unix_nano: fixed64
        startTimeUnixNano = r.fixed64();
        break;
      case 25: // 3 time_unix_nano: fixed64
        timeUnixNano = r.fixed64();
        break;
      case 33: // 4 count: fixed64
        count = r.fixed64Number();
        break;
      case 41: // 5 sum: optional double
        sum = r.double();
        break;
      case 49: // 6 bucket_counts: repeated fixed64 (unpacked)
      case 50: // 6 bucket_counts: repeated fixed64 (packed)
        r.repeated64(tag, bucketCounts, 'fixed64');
        break;
      case 57: // 7 explicit_bounds: repeated double (unpacked)
      case 58: // 7 explicit_bounds: repeated double (packed)
        r.repeated64(tag, explicitBounds, 'double');
        break;
      case 66: // 8 exemplars: repeated Exemplar
        exemplars.push(decodeExemplar(r));
        break;
      case 74: // 9 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 80: // 10 flags: uint32
        flags = r.varint32();
        break;
      case 89: // 11 min: optional double
        min = r.double();
        break;
      case 97: // 12 max: optional double
        max = r.double();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return {
    attributes,
    startTimeUnixNano,
    timeUnixNano,
    count,
    sum,
    bucketCounts,
    explicitBounds,
    exemplars,
    flags,
    min,
    max,
  };
}

export function decodeExponentialHistogramDataPoint(r: Reader): ExponentialHistogramDataPoint {
  r.openRecord('ExponentialHistogramDataPoint');
  const attributes = newAttributes();
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0;
  let sum: number | undefined;
  let scale = 0;
  let zeroCount = 0;
  let positive: ExponentialHistogramBuckets | undefined;
  let negative: ExponentialHistogramBuckets | undefined;
  let flags = 0;
  const exemplars: Exemplar[] = [];
  let min: number | undefined;
  let max: number | undefined;
  let zeroThreshold = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 17: // 2 start_time_unix_nano: fixed64
        startTimeUnixNano = r.fixed64();
        break;
      case 25: // 3 time_unix_nano: fixed64
        timeUnixNano = r.fixed64();
        break;
      case 33: // 4 count: fixed64
        count = r.fixed64Number();
        break;
      case 41: // 5 sum: optional double
        sum = r.double();
        break;
      case 48: // 6 scale: sint32
        scale = r.sint32();
        break;
      case 57: // 7 zero_count: fixed64
        zeroCount = r.fixed64Number();
        break;
      case 66: // 8 positive: Buckets
        positive = decodeBuckets(r);
        break;
      case 74: // 9 negative: Buckets
        negative = decodeBuckets(r);
        break;
      case 80: // 10 flags: uint32
        flags = r.varint32();
        break;
      case 90: // 11 exemplars: repeated Exemplar
        exemplars.push(decodeExemplar(r));
        break;
      case 97: // 12 min: optional double
        min = r.double();
        break;
      case 105: // 13 max: optional double
        max = r.double();
        break;
      case 113: // 14 zero_threshold: double
        zeroThreshold = r.double();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return {
    attributes,
    startTimeUnixNano,
    timeUnixNano,
    count,
    sum,
    scale,
    zeroCount,
    positive: positive ?? { offset: 0, bucketCounts: [] },
    negative: negative ?? { offset: 0, bucketCounts: [] },
    flags,
    exemplars,
    min,
    max,
    zeroThreshold,
  };
}

/** ExponentialHistogramDataPoint.Buckets */
function decodeBuckets(r: Reader): ExponentialHistogramBuckets {
  r.openRecord('ExponentialHistogramDataPoint.Buckets');
  let offset = 0;
  const bucketCounts: number[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 8: // 1 offset: sint32
        offset = r.sint32();
        break;
      case 16: // 2 bucket_counts: repeated uint64 (unpacked)
      case 18: // 2 bucket_counts: repeated uint64 (packed)
        r.repeatedVarint(tag, bucketCounts);
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { offset, bucketCounts };
}

export function decodeSummaryDataPoint(r: Reader): SummaryDataPoint {
  r.openRecord('SummaryDataPoint');
  const attributes = newAttributes();
  let startTimeUnixNano = 0n;
  let timeUnixNano = 0n;
  let count = 0;
  let sum = 0;
  const quantileValues: ValueAtQuantile[] = [];
  let flags = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: // 2 start_time_unix_nano: fixed64
        startTimeUnixNano = r.fixed64();
        break;
      case 25: // 3 time_unix_nano: fixed64
        timeUnixNano = r.fixed64();
        break;
      case 33: // 4 count: fixed64
        count = r.fixed64Number();
        break;
      case 41: // 5 sum: double
        sum = r.double();
        break;
      case 50: // 6 quantile_values: repeated ValueAtQuantile
        quantileValues.push(decodeValueAtQuantile(r));
        break;
      case 58: // 7 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 64: // 8 flags: uint32
        flags = r.varint32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { attributes, startTimeUnixNano, timeUnixNano, count, sum, quantileValues, flags };
}

/** SummaryDataPoint.ValueAtQuantile */
function decodeValueAtQuantile(r: Reader): ValueAtQuantile {
  r.openRecord('SummaryDataPoint.ValueAtQuantile');
  let quantile = 0;
  let value = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: // 1 quantile: double
        quantile = r.double();
        break;
      case 17: // 2 value: double
        value = r.double();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { quantile, value };
}

export function decodeExemplar(r: Reader): Exemplar {
  r.openRecord('Exemplar');
  const filteredAttributes = newAttributes();
  let timeUnixNano = 0n;
  let value = 0;
  let spanId = '';
  let traceId = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 17: // 2 time_unix_nano: fixed64
        timeUnixNano = r.fixed64();
        break;
      case 25: // 3 as_double: double
        value = r.double();
        break;
      case 34: // 4 span_id: bytes
        spanId = r.id();
        break;
      case 42: // 5 trace_id: bytes
        traceId = r.id();
        break;
      case 49: // 6 as_int: sfixed64
        value = r.sfixed64Number();
        break;
      case 58: // 7 filtered_attributes: repeated KeyValue
        decodeKeyValue(r, filteredAttributes);
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { filteredAttributes, timeUnixNano, value, spanId, traceId };
}
