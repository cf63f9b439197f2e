import type { ExportTraceServiceRequest, Span, SpanEvent, SpanLink } from '@pyflare/otlp';
import type { SpanKindName, SpanRow, StatusCodeName } from '../storage/rows.ts';
import { attributesToJson, flattenAttributes } from './attributes.ts';
import { fillCanonical } from './canonical.ts';
import {
  nsString,
  timeProblem,
  timeWindow,
  type NormalizeContext,
  type NormalizeResult,
  type Rejected,
  type RowSink,
  type TimeWindow,
} from './context.ts';
import { CONTENT_EVENTS, hasRelevantEvents, scanKeys } from './conventions/keys.ts';
import { SPAN_ID_HEX, TRACE_ID_HEX, isAbsentId, normalizeId } from './ids.ts';
import { MAX_ATTRIBUTE_CHARS, MAX_NAME_CHARS, clip, truncate } from './limits.ts';
import { createRejections, quoteScope } from './rejections.ts';
import { resourceInfo, type ResourceInfo } from './resource.ts';

export type { NormalizeContext, NormalizeResult } from './context.ts';

const KINDS: readonly SpanKindName[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const STATUSES: readonly StatusCodeName[] = ['unset', 'ok', 'error'];

interface Scope {
  name: string;
  version: string;
  resource: ResourceInfo;
}

/**
 * Decoded OTLP spans → rows of the `spans` table, one per valid span. Invalid spans are
 * counted and described (OTLP partial success); the others are stored. Hot path: a few µs
 * per span (see time-normalize.ts).
 */
export function normalizeTraces(
  req: ExportTraceServiceRequest,
  ctx: NormalizeContext,
): NormalizeResult<SpanRow> {
  const rows: SpanRow[] = [];
  return { rows, ...normalizeTracesInto(req, ctx, rows) };
}

/** `normalizeTraces`, each row handed to `sink` as soon as it is built. */
export function normalizeTracesInto(
  req: ExportTraceServiceRequest,
  ctx: NormalizeContext,
  sink: RowSink<SpanRow>,
): Rejected {
  const rejections = createRejections();
  const window = timeWindow(ctx);
  for (const rs of req.resourceSpans) {
    let resource: ResourceInfo | undefined;
    for (const ss of rs.scopeSpans) {
      const spans = ss.spans;
      let scope: Scope | undefined;
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i]!;
        const problem = spanProblem(span, window);
        if (problem !== undefined) {
          rejections.add(`span ${i} of scope ${quoteScope(ss.scope.name)}`, problem);
          continue;
        }
        resource ??= resourceInfo(rs.resource);
        scope ??= { name: clip(ss.scope.name), version: clip(ss.scope.version), resource };
        sink.push(spanRow(span, scope, ctx));
      }
    }
  }
  return { rejected: rejections.count, errors: rejections.examples };
}

/** Why a span cannot be stored, or undefined. */
export function spanProblem(span: Span, window: TimeWindow): string | undefined {
  if (normalizeId(span.traceId, TRACE_ID_HEX) === undefined) {
    return 'invalid trace_id (must be 16 bytes, not all zero)';
  }
  if (normalizeId(span.spanId, SPAN_ID_HEX) === undefined) {
    return 'invalid span_id (must be 8 bytes, not all zero)';
  }
  if (
    !isAbsentId(span.parentSpanId, SPAN_ID_HEX) &&
    normalizeId(span.parentSpanId, SPAN_ID_HEX) === undefined
  ) {
    return 'invalid parent_span_id (must be empty or 8 bytes)';
  }
  const start = span.startTimeUnixNano;
  const end = span.endTimeUnixNano;
  if (start <= 0n) return 'missing start_time_unix_nano';
  if (end <= 0n) return 'missing end_time_unix_nano';
  if (end < start) return 'end_time_unix_nano is before start_time_unix_nano';
  return (
    timeProblem('end_time_unix_nano', end, window) ??
    timeProblem('start_time_unix_nano', start, window)
  );
}

function spanRow(span: Span, scope: Scope, ctx: NormalizeContext): SpanRow {
  const capture = ctx.captureContent;
  const scan = scanKeys(span.attributes, !capture);
  const flat = flattenAttributes(
    span.attributes,
    capture ? undefined : scan.contentKeys,
    scan.keys,
  );
  const parent = isAbsentId(span.parentSpanId, SPAN_ID_HEX)
    ? ''
    : normalizeId(span.parentSpanId, SPAN_ID_HEX)!;
  const row: SpanRow = {
    project_id: ctx.projectId,
    trace_id: normalizeId(span.traceId, TRACE_ID_HEX)!,
    span_id: normalizeId(span.spanId, SPAN_ID_HEX)!,
    parent_span_id: parent,
    trace_state: truncate(span.traceState, MAX_ATTRIBUTE_CHARS),
    flags: span.flags >>> 0,
    name: clip(span.name, MAX_NAME_CHARS),
    kind: KINDS[span.kind] ?? 'unspecified',
    service_name: scope.resource.serviceName,
    environment: scope.resource.environment,
    scope_name: scope.name,
    scope_version: scope.version,
    start_time: nsString(span.startTimeUnixNano),
    end_time: nsString(span.endTimeUnixNano),
    duration_ns: Number(span.endTimeUnixNano - span.startTimeUnixNano),
    status_code: STATUSES[span.status.code] ?? 'unset',
    status_message: truncate(span.status.message, MAX_ATTRIBUTE_CHARS),
    operation: '',
    provider: '',
    request_model: '',
    response_model: '',
    input_tokens: 0,
    output_tokens: 0,
    cached_tokens: 0,
    total_tokens: 0,
    user_id: '',
    session_id: '',
    tags: [],
    input_text: '',
    output_text: '',
    input_messages: '',
    output_messages: '',
    retrieval_documents: '',
    inference_id: '',
    ml_features: '',
    ml_prediction: '',
    ml_label: '',
    embedding: [],
    attributes: flat.map,
    attributes_json: flat.json,
    resource_attributes: scope.resource.map,
    resource_json: scope.resource.json,
    events_json: eventsJson(span.events, capture),
    links_json: linksJson(span.links),
    dropped_attributes_count: span.droppedAttributesCount >>> 0,
    dropped_events_count: span.droppedEventsCount >>> 0,
    dropped_links_count: span.droppedLinksCount >>> 0,
    retention_days: ctx.retentionDays,
    ingested_at: ctx.nowMs,
  };
  if (scan.relevant || hasRelevantEvents(span.events)) {
    fillCanonical(
      row,
      { attrs: span.attributes, events: span.events, buckets: scan.buckets },
      capture,
    );
  }
  return row;
}

/**
 * Events as a JSON array of { timeUnixNano (decimal string), name, attributes,
 * droppedAttributesCount }. Without content capture, the GenAI message events are left out.
 */
export function eventsJson(events: readonly SpanEvent[], captureContent: boolean): string {
  if (events.length === 0) return '[]';
  let s = '[';
  for (const e of events) {
    if (!captureContent && CONTENT_EVENTS.has(e.name)) continue;
    if (s.length > 1) s += ',';
    s +=
      '{"timeUnixNano":"' +
      e.timeUnixNano.toString() +
      '","name":' +
      JSON.stringify(clip(e.name, MAX_NAME_CHARS)) +
      ',"attributes":' +
      attributesToJson(e.attributes) +
      ',"droppedAttributesCount":' +
      (e.droppedAttributesCount >>> 0) +
      '}';
  }
  return s + ']';
}

/** Links as a JSON array of { traceId, spanId, traceState, attributes, droppedAttributesCount, flags }. */
export function linksJson(links: readonly SpanLink[]): string {
  if (links.length === 0) return '[]';
  let s = '[';
  for (const l of links) {
    if (s.length > 1) s += ',';
    s +=
      '{"traceId":' +
      JSON.stringify(clip(l.traceId, 64)) +
      ',"spanId":' +
      JSON.stringify(clip(l.spanId, 64)) +
      ',"traceState":' +
      JSON.stringify(truncate(l.traceState, MAX_ATTRIBUTE_CHARS)) +
      ',"attributes":' +
      attributesToJson(l.attributes) +
      ',"droppedAttributesCount":' +
      (l.droppedAttributesCount >>> 0) +
      ',"flags":' +
      (l.flags >>> 0) +
      '}';
  }
  return s + ']';
}
