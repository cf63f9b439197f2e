/**
 * Row shapes written to storage, one field per column of `migrations/0001_init.sql`.
 * They are serialized as JSONEachRow, so names are the column names. Timestamps are
 * unsigned nanoseconds as decimal strings (ClickHouse parses them into DateTime64(9)),
 * zero-padded to 19 digits: ClickHouse reads a digit string by its length (10 = s, 13 = ms,
 * 16 = µs, 19 = ns) and fails the insert on other lengths (see pipeline/context.ts nsString).
 */

/** Canonical operation kinds (ARCHITECTURE.md, "Canonical model"). '' when not AI/ML. */
export const OPERATIONS = [
  'llm',
  'chat',
  'embedding',
  'retrieval',
  'tool',
  'agent',
  'chain',
  'reranker',
  'guardrail',
  'evaluator',
  'ml.inference',
  'training',
] as const;
export type Operation = (typeof OPERATIONS)[number] | '';

export type SpanKindName =
  'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCodeName = 'unset' | 'ok' | 'error';

/** One chat message in the canonical form used for transcripts. */
export interface ChatMessage {
  role: string;
  content: string;
  name?: string;
  toolCalls?: { id?: string; name: string; arguments: string }[];
  toolCallId?: string;
}

/** A retrieved document in the canonical form. */
export interface RetrievalDocument {
  id?: string;
  content?: string;
  score?: number;
  metadata?: unknown;
}

export interface SpanRow {
  project_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  trace_state: string;
  flags: number;
  name: string;
  kind: SpanKindName;
  service_name: string;
  environment: string;
  scope_name: string;
  scope_version: string;
  /** ns since epoch, decimal string */
  start_time: string;
  /** ns since epoch, decimal string */
  end_time: string;
  duration_ns: number;
  status_code: StatusCodeName;
  status_message: string;
  operation: Operation;
  provider: string;
  request_model: string;
  response_model: string;
  input_tokens: number;
  output_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  user_id: string;
  session_id: string;
  tags: string[];
  /** Prompt content as plain text (for display and full-text search). */
  input_text: string;
  /** Completion content as plain text. */
  output_text: string;
  /** JSON array of ChatMessage, or '' */
  input_messages: string;
  /** JSON array of ChatMessage, or '' */
  output_messages: string;
  /** JSON array of RetrievalDocument, or '' */
  retrieval_documents: string;
  inference_id: string;
  /** JSON object of feature name → value, or '' */
  ml_features: string;
  ml_prediction: string;
  ml_label: string;
  embedding: number[];
  /** Every span attribute flattened to a string, for filters and facets. */
  attributes: Record<string, string>;
  /** The span attributes with their types kept (see `attributesToJson`). */
  attributes_json: string;
  resource_attributes: Record<string, string>;
  resource_json: string;
  /** JSON array of { timeUnixNano: string, name, attributes, droppedAttributesCount } */
  events_json: string;
  /** JSON array of { traceId, spanId, traceState, attributes, droppedAttributesCount, flags } */
  links_json: string;
  dropped_attributes_count: number;
  dropped_events_count: number;
  dropped_links_count: number;
  retention_days: number;
  /** ms since epoch */
  ingested_at: number;
}

export type MetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

export interface MetricRow {
  project_id: string;
  metric_name: string;
  metric_type: MetricType;
  description: string;
  unit: string;
  service_name: string;
  scope_name: string;
  scope_version: string;
  resource_attributes: Record<string, string>;
  attributes: Record<string, string>;
  attributes_json: string;
  start_time: string;
  time: string;
  value: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  bucket_counts: number[];
  explicit_bounds: number[];
  exp_scale: number;
  exp_zero_count: number;
  exp_positive_offset: number;
  exp_positive_counts: number[];
  exp_negative_offset: number;
  exp_negative_counts: number[];
  quantiles: number[];
  quantile_values: number[];
  temporality: 'unspecified' | 'delta' | 'cumulative';
  is_monotonic: 0 | 1;
  flags: number;
  exemplars_json: string;
  retention_days: number;
  ingested_at: number;
}

export interface LogRow {
  project_id: string;
  time: string;
  observed_time: string;
  severity_number: number;
  severity_text: string;
  /** The body as text (strings verbatim, other values as JSON). */
  body: string;
  /** The body with its type kept, as JSON; '' when there is no body. */
  body_json: string;
  trace_id: string;
  span_id: string;
  flags: number;
  event_name: string;
  service_name: string;
  scope_name: string;
  scope_version: string;
  resource_attributes: Record<string, string>;
  attributes: Record<string, string>;
  attributes_json: string;
  retention_days: number;
  ingested_at: number;
}
