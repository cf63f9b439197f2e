import type { LogRow, MetricRow, SpanRow } from './rows.ts';

/**
 * The column order of each table's insert payload (JSONCompactEachRow: one JSON array per
 * row, values in this order). The span list starts with `project_id`, `trace_id`: the live
 * updates read those two from the payload (ws/durable-trace-ids.ts). Each list ends with the
 * columns that every row of one resource and scope shares, the same values for a run of
 * rows (`sharedTail`): the encoder writes their JSON once per run (storage/compact-rows.ts).
 */
export const SPAN_COLUMNS = [
  'project_id',
  'trace_id',
  'span_id',
  'parent_span_id',
  'trace_state',
  'flags',
  'name',
  'kind',
  'start_time',
  'end_time',
  'duration_ns',
  'status_code',
  'status_message',
  'operation',
  'provider',
  'request_model',
  'response_model',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'total_tokens',
  'user_id',
  'session_id',
  'tags',
  'input_text',
  'output_text',
  'input_messages',
  'output_messages',
  'retrieval_documents',
  'inference_id',
  'ml_features',
  'ml_prediction',
  'ml_label',
  'embedding',
  'attributes',
  'attributes_json',
  'events_json',
  'links_json',
  'dropped_attributes_count',
  'dropped_events_count',
  'dropped_links_count',
  'service_name',
  'environment',
  'scope_name',
  'scope_version',
  'resource_attributes',
  'resource_json',
  'retention_days',
  'ingested_at',
] as const satisfies readonly (keyof SpanRow)[];

export const METRIC_COLUMNS = [
  'project_id',
  'metric_name',
  'metric_type',
  'description',
  'unit',
  'attributes',
  'attributes_json',
  'start_time',
  'time',
  'value',
  'count',
  'sum',
  'min',
  'max',
  'bucket_counts',
  'explicit_bounds',
  'exp_scale',
  'exp_zero_count',
  'exp_positive_offset',
  'exp_positive_counts',
  'exp_negative_offset',
  'exp_negative_counts',
  'quantiles',
  'quantile_values',
  'temporality',
  'is_monotonic',
  'flags',
  'exemplars_json',
  'service_name',
  'scope_name',
  'scope_version',
  'resource_attributes',
  'retention_days',
  'ingested_at',
] as const satisfies readonly (keyof MetricRow)[];

export const LOG_COLUMNS = [
  'project_id',
  'time',
  'observed_time',
  'severity_number',
  'severity_text',
  'body',
  'body_json',
  'trace_id',
  'span_id',
  'flags',
  'event_name',
  'attributes',
  'attributes_json',
  'service_name',
  'scope_name',
  'scope_version',
  'resource_attributes',
  'retention_days',
  'ingested_at',
] as const satisfies readonly (keyof LogRow)[];

// Every field of a row type is a column: adding a field without its column fails here.
type Missing<Row, Columns extends readonly string[]> = Exclude<keyof Row, Columns[number]>;
const complete: [
  Missing<SpanRow, typeof SPAN_COLUMNS>,
  Missing<MetricRow, typeof METRIC_COLUMNS>,
  Missing<LogRow, typeof LOG_COLUMNS>,
] extends [never, never, never]
  ? true
  : false = true;
void complete;

export type RowTable = 'spans' | 'metrics' | 'logs';

export const TABLE_COLUMNS: Record<RowTable, readonly string[]> = {
  spans: SPAN_COLUMNS,
  metrics: METRIC_COLUMNS,
  logs: LOG_COLUMNS,
};

/** How many of each list's last columns hold values shared by every row of one resource and scope. */
const SHARED_TAIL = new Map<readonly string[], number>([
  [SPAN_COLUMNS, 8],
  [METRIC_COLUMNS, 6],
  [LOG_COLUMNS, 6],
]);

/**
 * The number of trailing `columns` whose values runs of consecutive rows share (0 for a
 * list not defined here). Only a speed hint: the encoder still compares every value.
 */
export function sharedTail(columns: readonly string[]): number {
  return SHARED_TAIL.get(columns) ?? 0;
}
