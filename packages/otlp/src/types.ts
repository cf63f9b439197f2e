/**
 * Decoded OTLP data, the same shape whether it came from protobuf or from OTLP/JSON.
 *
 * Conventions:
 * - trace and span ids are lowercase hex strings ('' when absent); their length is NOT
 *   validated here: the pipeline rejects bad ids through partial success.
 * - timestamps are unsigned 64-bit nanoseconds as `bigint` (0n when absent).
 * - attribute maps are null-prototype objects (a key such as `__proto__` is plain data);
 *   on duplicate keys the last one wins.
 */

/** An OTLP AnyValue. int64 is a `number` when it is a safe integer, else a `bigint`. */
export type AnyValue =
  string | boolean | number | bigint | Uint8Array | null | AnyValue[] | { [key: string]: AnyValue };

export type Attributes = Record<string, AnyValue>;

export interface Resource {
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

// ---------------------------------------------------------------- traces

/** opentelemetry.proto.trace.v1.Span.SpanKind */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

/** opentelemetry.proto.trace.v1.Status.StatusCode */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
}

export interface SpanStatus {
  code: number;
  message: string;
}

export interface Span {
  traceId: string;
  spanId: string;
  traceState: string;
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: SpanStatus;
}

export interface ScopeSpans {
  scope: InstrumentationScope;
  spans: Span[];
  schemaUrl: string;
}

export interface ResourceSpans {
  resource: Resource;
  scopeSpans: ScopeSpans[];
  schemaUrl: string;
}

export interface ExportTraceServiceRequest {
  resourceSpans: ResourceSpans[];
}

// ---------------------------------------------------------------- metrics

/** opentelemetry.proto.metrics.v1.AggregationTemporality */
export const AggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;

export interface Exemplar {
  filteredAttributes: Attributes;
  timeUnixNano: bigint;
  value: number;
  spanId: string;
  traceId: string;
}

export interface NumberDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** as_double, or as_int converted to a number; 0 when neither is set. */
  value: number;
  valueType: 'double' | 'int' | 'none';
  exemplars: Exemplar[];
  flags: number;
}

export interface HistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number | undefined;
  bucketCounts: number[];
  explicitBounds: number[];
  exemplars: Exemplar[];
  flags: number;
  min: number | undefined;
  max: number | undefined;
}

export interface ExponentialHistogramBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface ExponentialHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number | undefined;
  scale: number;
  zeroCount: number;
  positive: ExponentialHistogramBuckets;
  negative: ExponentialHistogramBuckets;
  flags: number;
  exemplars: Exemplar[];
  min: number | undefined;
  max: number | undefined;
  zeroThreshold: number;
}

export interface ValueAtQuantile {
  quantile: number;
  value: number;
}

export interface SummaryDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number;
  quantileValues: ValueAtQuantile[];
  flags: number;
}

export type MetricData =
  | { type: 'gauge'; dataPoints: NumberDataPoint[] }
  | {
      type: 'sum';
      dataPoints: NumberDataPoint[];
      aggregationTemporality: number;
      isMonotonic: boolean;
    }
  | { type: 'histogram'; dataPoints: HistogramDataPoint[]; aggregationTemporality: number }
  | {
      type: 'exponentialHistogram';
      dataPoints: ExponentialHistogramDataPoint[];
      aggregationTemporality: number;
    }
  | { type: 'summary'; dataPoints: SummaryDataPoint[] }
  | { type: 'empty' };

export interface Metric {
  name: string;
  description: string;
  unit: string;
  metadata: Attributes;
  data: MetricData;
}

export interface ScopeMetrics {
  scope: InstrumentationScope;
  metrics: Metric[];
  schemaUrl: string;
}

export interface ResourceMetrics {
  resource: Resource;
  scopeMetrics: ScopeMetrics[];
  schemaUrl: string;
}

export interface ExportMetricsServiceRequest {
  resourceMetrics: ResourceMetrics[];
}

// ---------------------------------------------------------------- logs

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  /** undefined when the record has no body. */
  body: AnyValue | undefined;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}

export interface ScopeLogs {
  scope: InstrumentationScope;
  logRecords: LogRecord[];
  schemaUrl: string;
}

export interface ResourceLogs {
  resource: Resource;
  scopeLogs: ScopeLogs[];
  schemaUrl: string;
}

export interface ExportLogsServiceRequest {
  resourceLogs: ResourceLogs[];
}

// ---------------------------------------------------------------- responses

export type SignalType = 'traces' | 'metrics' | 'logs';

/** ExportXServiceResponse.partial_success; rejected counts spans, data points or log records. */
export interface PartialSuccess {
  rejected: number;
  errorMessage: string;
}

/** Limits the decoders enforce so hostile input cannot hang or exhaust memory. */
export interface DecodeLimits {
  /** Maximum nesting of AnyValue arrays / kvlists. */
  maxDepth: number;
  /**
   * Protobuf only: a request may decode to at most one record (resource / scope block,
   * span, event, link, metric, data point, exemplar, log record, kvlist) per this many
   * bytes of input, plus a small allowance. Real requests carry 40+ bytes per record;
   * a request of empty messages (2 bytes each) would otherwise expand ~200-fold in memory.
   */
  bytesPerRecord: number;
}
