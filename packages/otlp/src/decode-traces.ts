import {
  decodeKeyValue,
  decodeResource,
  decodeScope,
  emptyResource,
  emptyScope,
  newAttributes,
} from './decode-common.ts';
import { resolveLimits, type DecodeOptions } from './options.ts';
import { Reader } from './reader.ts';
import type {
  ExportTraceServiceRequest,
  InstrumentationScope,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  SpanStatus,
} from './types.ts';

/**
 * Protobuf decoding of opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest,
 * straight from the bytes into the shapes of types.ts. Case labels are whole tags,
 * `(field_number << 3) | wire_type`; a known field with an unexpected wire type is
 * skipped like an unknown one.
 */

/**
 * Decodes an OTLP/protobuf trace export request.
 *
 * @throws OtlpDecodeError on malformed input (never anything else).
 * @example
 * const req = decodeTraceRequest(new Uint8Array(await request.arrayBuffer()));
 * for (const rs of req.resourceSpans) for (const ss of rs.scopeSpans) console.log(ss.spans.length);
 */
export function decodeTraceRequest(
  bytes: Uint8Array,
  options?: DecodeOptions,
): ExportTraceServiceRequest {
  const r = new Reader(bytes, 'ExportTraceServiceRequest', resolveLimits(options));
  const resourceSpans: ResourceSpans[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      resourceSpans.push(decodeResourceSpans(r)); // 1 resource_spans: repeated ResourceSpans
    } else {
      r.skip(tag);
    }
  }
  return { resourceSpans };
}

function decodeResourceSpans(r: Reader): ResourceSpans {
  r.openRecord('ResourceSpans');
  let resource: Resource | undefined;
  const scopeSpans: ScopeSpans[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 resource: Resource
        resource = decodeResource(r);
        break;
      case 18: // 2 scope_spans: repeated ScopeSpans
        scopeSpans.push(decodeScopeSpans(r));
        break;
      case 26: // 3 schema_url: string
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { resource: resource ?? emptyResource(), scopeSpans, schemaUrl };
}

function decodeScopeSpans(r: Reader): ScopeSpans {
  r.openRecord('ScopeSpans');
  let scope: InstrumentationScope | undefined;
  const spans: Span[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 scope: InstrumentationScope
        scope = decodeScope(r);
        break;
      case 18: // 2 spans: repeated Span
        spans.push(decodeSpan(r));
        break;
      case 26: // 3 schema_url: string
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { scope: scope ?? emptyScope(), spans, schemaUrl };
}

function decodeSpan(r: Reader): Span {
  r.openRecord('Span');
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let parentSpanId = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes = newAttributes();
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  let status: SpanStatus | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 trace_id: bytes
        traceId = r.id();
        break;
      case 18: // 2 span_id: bytes
        spanId = r.id();
        break;
      case 26: // 3 trace_state: string
        traceState = r.string();
        break;
      case 34: // 4 parent_span_id: bytes
        parentSpanId = r.id();
        break;
      case 42: // 5 name: string
        name = r.string();
        break;
      case 48: // 6 kind: SpanKind (enum)
        kind = r.varint32() | 0;
        break;
      case 57: // 7 start_time_unix_nano: fixed64
        startTimeUnixNano = r.fixed64();
        break;
      case 65: // 8 end_time_unix_nano: fixed64
        endTimeUnixNano = r.fixed64();
        break;
      case 74: // 9 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 80: // 10 dropped_attributes_count: uint32
        droppedAttributesCount = r.varint32();
        break;
      case 90: // 11 events: repeated Event
        events.push(decodeEvent(r));
        break;
      case 96: // 12 dropped_events_count: uint32
        droppedEventsCount = r.varint32();
        break;
      case 106: // 13 links: repeated Link
        links.push(decodeLink(r));
        break;
      case 112: // 14 dropped_links_count: uint32
        droppedLinksCount = r.varint32();
        break;
      case 122: // 15 status: Status
        status = decodeStatus(r);
        break;
      case 133: // 16 flags: fixed32
        flags = r.fixed32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return {
    traceId,
    spanId,
    traceState,
    parentSpanId,
    flags,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    status: status ?? { code: 0, message: '' },
  };
}

/** Span.Event */
function decodeEvent(r: Reader): SpanEvent {
  r.openRecord('Span.Event');
  let timeUnixNano = 0n;
  let name = '';
  const attributes = newAttributes();
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: // 1 time_unix_nano: fixed64
        timeUnixNano = r.fixed64();
        break;
      case 18: // 2 name: string
        name = r.string();
        break;
      case 26: // 3 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 32: // 4 dropped_attributes_count: uint32
        droppedAttributesCount = r.varint32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { timeUnixNano, name, attributes, droppedAttributesCount };
}

/** Span.Link */
function decodeLink(r: Reader): SpanLink {
  r.openRecord('Span.Link');
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes = newAttributes();
  let droppedAttributesCount = 0;
  let flags = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 trace_id: bytes
        traceId = r.id();
        break;
      case 18: // 2 span_id: bytes
        spanId = r.id();
        break;
      case 26: // 3 trace_state: string
        traceState = r.string();
        break;
      case 34: // 4 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 40: // 5 dropped_attributes_count: uint32
        droppedAttributesCount = r.varint32();
        break;
      case 53: // 6 flags: fixed32
        flags = r.fixed32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { traceId, spanId, traceState, attributes, droppedAttributesCount, flags };
}

/** Status (field 1 is reserved) */
function decodeStatus(r: Reader): SpanStatus {
  r.open('Status');
  let message = '';
  let code = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 18: // 2 message: string
        message = r.string();
        break;
      case 24: // 3 code: StatusCode (enum)
        code = r.varint32() | 0;
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { code, message };
}
