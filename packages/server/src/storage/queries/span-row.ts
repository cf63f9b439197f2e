/** Reading spans: the columns selected and the converter from a row to the API's Span. */
import { z } from 'zod';
import { jsonOf, typedAttributes } from './json-columns.ts';
import {
  chatMessageSchema,
  retrievalDocumentSchema,
  spanEventSchema,
  spanLinkSchema,
  type ChatMessageOut,
  type RetrievalDocumentOut,
  type SpanEvent,
  type SpanLink,
} from './span-shapes.ts';

/** The fields every span listing carries (span search rows). */
export interface SpanSummary {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  environment: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNs: number;
  status: { code: string; message: string };
  attributes: Record<string, unknown>;
  operation: string;
  provider: string;
  requestModel: string;
  responseModel: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  totalTokens: number;
  userId: string;
  sessionId: string;
  tags: string[];
}

/** A span with everything stored about it (trace detail). */
export interface Span extends SpanSummary {
  traceState: string;
  flags: number;
  events: SpanEvent[];
  links: SpanLink[];
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
  inputText: string;
  outputText: string;
  inputMessages: ChatMessageOut[] | null;
  outputMessages: ChatMessageOut[] | null;
  retrievalDocuments: RetrievalDocumentOut[] | null;
  inferenceId: string;
  mlFeatures: Record<string, unknown> | null;
  mlPrediction: string;
  mlLabel: string;
  /** Length of the stored embedding vector (0 when none); the vector itself is not sent. */
  embeddingDimensions: number;
  dropped: { attributes: number; events: number; links: number };
}

export const SPAN_SUMMARY_COLUMNS = `
  trace_id, span_id, parent_span_id, name, kind, service_name, environment,
  toString(toUnixTimestamp64Nano(start_time)) AS start_ns,
  toString(toUnixTimestamp64Nano(end_time)) AS end_ns,
  duration_ns, status_code, status_message, attributes, attributes_json,
  operation, provider, request_model, response_model,
  input_tokens, output_tokens, cached_tokens, total_tokens, user_id, session_id, tags`;

export const SPAN_COLUMNS = `${SPAN_SUMMARY_COLUMNS},
  trace_state, flags, events_json, links_json, resource_attributes, resource_json,
  scope_name, scope_version, input_text, output_text, input_messages, output_messages,
  retrieval_documents, inference_id, ml_features, ml_prediction, ml_label,
  length(embedding) AS embedding_dimensions,
  dropped_attributes_count, dropped_events_count, dropped_links_count`;

const stringMap = z.record(z.string(), z.string());

const summaryRow = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  parent_span_id: z.string(),
  name: z.string(),
  kind: z.string(),
  service_name: z.string(),
  environment: z.string(),
  start_ns: z.string(),
  end_ns: z.string(),
  duration_ns: z.number(),
  status_code: z.string(),
  status_message: z.string(),
  attributes: stringMap,
  attributes_json: z.string(),
  operation: z.string(),
  provider: z.string(),
  request_model: z.string(),
  response_model: z.string(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_tokens: z.number(),
  total_tokens: z.number(),
  user_id: z.string(),
  session_id: z.string(),
  tags: z.array(z.string()),
});

const fullRow = summaryRow.extend({
  trace_state: z.string(),
  flags: z.number(),
  events_json: z.string(),
  links_json: z.string(),
  resource_attributes: stringMap,
  resource_json: z.string(),
  scope_name: z.string(),
  scope_version: z.string(),
  input_text: z.string(),
  output_text: z.string(),
  input_messages: z.string(),
  output_messages: z.string(),
  retrieval_documents: z.string(),
  inference_id: z.string(),
  ml_features: z.string(),
  ml_prediction: z.string(),
  ml_label: z.string(),
  embedding_dimensions: z.number(),
  dropped_attributes_count: z.number(),
  dropped_events_count: z.number(),
  dropped_links_count: z.number(),
});

function summaryOf(row: z.output<typeof summaryRow>): SpanSummary {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: row.kind,
    serviceName: row.service_name,
    environment: row.environment,
    startTimeUnixNano: row.start_ns,
    endTimeUnixNano: row.end_ns,
    durationNs: row.duration_ns,
    status: { code: row.status_code, message: row.status_message },
    attributes: typedAttributes(row.attributes, row.attributes_json),
    operation: row.operation,
    provider: row.provider,
    requestModel: row.request_model,
    responseModel: row.response_model,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedTokens: row.cached_tokens,
    totalTokens: row.total_tokens,
    userId: row.user_id,
    sessionId: row.session_id,
    tags: row.tags,
  };
}

export function toSpanSummary(raw: unknown): SpanSummary {
  return summaryOf(summaryRow.parse(raw));
}

const events = z.array(spanEventSchema);
const links = z.array(spanLinkSchema);
const messages = z.array(chatMessageSchema);
const documents = z.array(retrievalDocumentSchema);
const features = z.record(z.string(), z.unknown());

export function toSpan(raw: unknown): Span {
  const row = fullRow.parse(raw);
  return {
    ...summaryOf(row),
    traceState: row.trace_state,
    flags: row.flags,
    events: jsonOf(row.events_json, events) ?? [],
    links: jsonOf(row.links_json, links) ?? [],
    resource: typedAttributes(row.resource_attributes, row.resource_json),
    scope: { name: row.scope_name, version: row.scope_version },
    inputText: row.input_text,
    outputText: row.output_text,
    inputMessages: jsonOf(row.input_messages, messages),
    outputMessages: jsonOf(row.output_messages, messages),
    retrievalDocuments: jsonOf(row.retrieval_documents, documents),
    inferenceId: row.inference_id,
    mlFeatures: jsonOf(row.ml_features, features),
    mlPrediction: row.ml_prediction,
    mlLabel: row.ml_label,
    embeddingDimensions: row.embedding_dimensions,
    dropped: {
      attributes: row.dropped_attributes_count,
      events: row.dropped_events_count,
      links: row.dropped_links_count,
    },
  };
}
