/**
 * @pyflare/otlp — the OTLP codec: protobuf and OTLP/JSON decoding and encoding of the
 * trace, metrics and logs export requests, and the export responses. Pure: no I/O, no
 * Node-only APIs; runs in browsers too.
 */

export { OtlpDecodeError, WideJsonNumberError } from './errors.ts';
export { DEFAULT_LIMITS, type DecodeOptions } from './options.ts';

// protobuf decoding (the ingest hot path)
export { decodeTraceRequest } from './decode-traces.ts';
export { decodeMetricsRequest } from './decode-metrics.ts';
export { decodeLogsRequest } from './decode-logs.ts';

// OTLP/JSON decoding
export { decodeTraceRequestJson } from './json-decode-traces.ts';
export { decodeMetricsRequestJson } from './json-decode-metrics.ts';
export { decodeLogsRequestJson } from './json-decode-logs.ts';
export {
  parseOtlpJson,
  decodeTraceRequestJsonText,
  decodeMetricsRequestJsonText,
  decodeLogsRequestJsonText,
} from './json-text.ts';
export { decodeJsonText } from './json-integers.ts';

// protobuf encoding
export { encodeTraceRequest } from './encode-traces.ts';
export { encodeMetricsRequest } from './encode-metrics.ts';
export { encodeLogsRequest } from './encode-logs.ts';

// OTLP/JSON encoding
export { traceRequestToJson } from './json-encode-traces.ts';
export { metricsRequestToJson } from './json-encode-metrics.ts';
export { logsRequestToJson } from './json-encode-logs.ts';

// responses
export {
  encodeExportResponse,
  exportResponseToJson,
  decodeExportResponse,
  encodeStatus,
  decodeStatus,
  type ExportResponseJson,
} from './responses.ts';

// helpers
export { bytesToHex, hexToBytes } from './hex.ts';
export { encodeBase64, decodeBase64 } from './base64.ts';

export {
  SpanKind,
  StatusCode,
  AggregationTemporality,
  type AnyValue,
  type Attributes,
  type Resource,
  type InstrumentationScope,
  type SpanEvent,
  type SpanLink,
  type SpanStatus,
  type Span,
  type ScopeSpans,
  type ResourceSpans,
  type ExportTraceServiceRequest,
  type Exemplar,
  type NumberDataPoint,
  type HistogramDataPoint,
  type ExponentialHistogramBuckets,
  type ExponentialHistogramDataPoint,
  type ValueAtQuantile,
  type SummaryDataPoint,
  type MetricData,
  type Metric,
  type ScopeMetrics,
  type ResourceMetrics,
  type ExportMetricsServiceRequest,
  type LogRecord,
  type ScopeLogs,
  type ResourceLogs,
  type ExportLogsServiceRequest,
  type SignalType,
  type PartialSuccess,
  type DecodeLimits,
} from './types.ts';
