import { attributesFromJson, resourceFromJson, scopeFromJson } from './json-decode-common.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from './json-enums.ts';
import { JsonReader, type JsonObject } from './json-reader.ts';
import { resolveLimits, type DecodeOptions } from './options.ts';
import type {
  ExportTraceServiceRequest,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  SpanStatus,
} from './types.ts';

/**
 * Decodes an OTLP/JSON trace export request that has already been `JSON.parse`d.
 * Ids are lowercased but not validated (the pipeline rejects bad ones per span).
 *
 * @throws OtlpDecodeError naming the JSON path, e.g.
 *   `resourceSpans[0].scopeSpans[1].spans[3].startTimeUnixNano: expected an unsigned integer`.
 * @example
 * const req = decodeTraceRequestJson(JSON.parse(body));
 */
export function decodeTraceRequestJson(
  value: unknown,
  options?: DecodeOptions,
): ExportTraceServiceRequest {
  const r = new JsonReader(resolveLimits(options).maxDepth, options?.wideJsonNumbers === 'refuse');
  const root = r.root(value);
  return { resourceSpans: r.list(root, 'resourceSpans', (o) => resourceSpans(r, o)) };
}

function resourceSpans(r: JsonReader, o: JsonObject): ResourceSpans {
  return {
    resource: resourceFromJson(r, r.object(o, 'resource')),
    scopeSpans: r.list(o, 'scopeSpans', (s) => scopeSpans(r, s)),
    schemaUrl: r.string(o, 'schemaUrl'),
  };
}

function scopeSpans(r: JsonReader, o: JsonObject): ScopeSpans {
  return {
    scope: scopeFromJson(r, r.object(o, 'scope')),
    spans: r.list(o, 'spans', (s) => span(r, s)),
    schemaUrl: r.string(o, 'schemaUrl'),
  };
}

function span(r: JsonReader, o: JsonObject): Span {
  return {
    traceId: r.id(o, 'traceId'),
    spanId: r.id(o, 'spanId'),
    traceState: r.string(o, 'traceState'),
    parentSpanId: r.id(o, 'parentSpanId'),
    flags: r.int32(o, 'flags', true),
    name: r.string(o, 'name'),
    kind: r.enumeration(o, 'kind', SPAN_KIND_NAMES, 'SpanKind'),
    startTimeUnixNano: r.uint64(o, 'startTimeUnixNano'),
    endTimeUnixNano: r.uint64(o, 'endTimeUnixNano'),
    attributes: attributesFromJson(r, o, 'attributes'),
    droppedAttributesCount: r.int32(o, 'droppedAttributesCount', true),
    events: r.list(o, 'events', (e) => event(r, e)),
    droppedEventsCount: r.int32(o, 'droppedEventsCount', true),
    links: r.list(o, 'links', (l) => link(r, l)),
    droppedLinksCount: r.int32(o, 'droppedLinksCount', true),
    status: status(r, r.object(o, 'status')),
  };
}

function event(r: JsonReader, o: JsonObject): SpanEvent {
  return {
    timeUnixNano: r.uint64(o, 'timeUnixNano'),
    name: r.string(o, 'name'),
    attributes: attributesFromJson(r, o, 'attributes'),
    droppedAttributesCount: r.int32(o, 'droppedAttributesCount', true),
  };
}

function link(r: JsonReader, o: JsonObject): SpanLink {
  return {
    traceId: r.id(o, 'traceId'),
    spanId: r.id(o, 'spanId'),
    traceState: r.string(o, 'traceState'),
    attributes: attributesFromJson(r, o, 'attributes'),
    droppedAttributesCount: r.int32(o, 'droppedAttributesCount', true),
    flags: r.int32(o, 'flags', true),
  };
}

function status(r: JsonReader, o: JsonObject | undefined): SpanStatus {
  if (o === undefined) return { code: 0, message: '' };
  r.push('status');
  const result = {
    code: r.enumeration(o, 'code', STATUS_CODE_NAMES, 'StatusCode'),
    message: r.string(o, 'message'),
  };
  r.pop();
  return result;
}
