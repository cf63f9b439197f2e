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
import { I32, LEN } from './wire.ts';
import { Writer } from './writer.ts';
import type { ExportTraceServiceRequest, Span, SpanEvent, SpanLink } from './types.ts';

/**
 * Encodes an ExportTraceServiceRequest as OTLP/protobuf.
 *
 * @throws RangeError when an id is not hex (ids from OTLP/JSON are passed through unchecked).
 * @example
 * const body = encodeTraceRequest(decodeTraceRequestJson(JSON.parse(text)));
 */
export function encodeTraceRequest(req: ExportTraceServiceRequest): Uint8Array {
  const w = new Writer();
  for (const rs of req.resourceSpans) {
    w.tag(1, LEN); // 1 resource_spans: repeated ResourceSpans
    const mark = w.fork();
    writeResource(w, 1, rs.resource); // 1 resource: Resource
    for (const ss of rs.scopeSpans) {
      w.tag(2, LEN); // 2 scope_spans: repeated ScopeSpans
      const m = w.fork();
      writeScope(w, 1, ss.scope); // 1 scope: InstrumentationScope
      for (const span of ss.spans) writeSpan(w, span); // 2 spans: repeated Span
      writeString(w, 3, ss.schemaUrl); // 3 schema_url: string
      w.join(m);
    }
    writeString(w, 3, rs.schemaUrl); // 3 schema_url: string
    w.join(mark);
  }
  return w.finish();
}

function writeSpan(w: Writer, s: Span): void {
  w.tag(2, LEN);
  const mark = w.fork();
  writeId(w, 1, s.traceId); // 1 trace_id: bytes
  writeId(w, 2, s.spanId); // 2 span_id: bytes
  writeString(w, 3, s.traceState); // 3 trace_state: string
  writeId(w, 4, s.parentSpanId); // 4 parent_span_id: bytes
  writeString(w, 5, s.name); // 5 name: string
  writeEnum(w, 6, s.kind); // 6 kind: SpanKind
  writeFixed64(w, 7, s.startTimeUnixNano); // 7 start_time_unix_nano: fixed64
  writeFixed64(w, 8, s.endTimeUnixNano); // 8 end_time_unix_nano: fixed64
  writeKeyValues(w, 9, s.attributes); // 9 attributes: repeated KeyValue
  writeUint32(w, 10, s.droppedAttributesCount); // 10 dropped_attributes_count: uint32
  for (const e of s.events) writeEvent(w, e); // 11 events: repeated Event
  writeUint32(w, 12, s.droppedEventsCount); // 12 dropped_events_count: uint32
  for (const l of s.links) writeLink(w, l); // 13 links: repeated Link
  writeUint32(w, 14, s.droppedLinksCount); // 14 dropped_links_count: uint32
  if (s.status.code !== 0 || s.status.message !== '') {
    w.tag(15, LEN); // 15 status: Status
    const m = w.fork();
    writeString(w, 2, s.status.message); // 2 message: string
    writeEnum(w, 3, s.status.code); // 3 code: StatusCode
    w.join(m);
  }
  if (s.flags !== 0) {
    w.tag(16, I32); // 16 flags: fixed32
    w.fixed32(s.flags);
  }
  w.join(mark);
}

function writeEvent(w: Writer, e: SpanEvent): void {
  w.tag(11, LEN);
  const mark = w.fork();
  writeFixed64(w, 1, e.timeUnixNano); // 1 time_unix_nano: fixed64
  writeString(w, 2, e.name); // 2 name: string
  writeKeyValues(w, 3, e.attributes); // 3 attributes: repeated KeyValue
  writeUint32(w, 4, e.droppedAttributesCount); // 4 dropped_attributes_count: uint32
  w.join(mark);
}

function writeLink(w: Writer, l: SpanLink): void {
  w.tag(13, LEN);
  const mark = w.fork();
  writeId(w, 1, l.traceId); // 1 trace_id: bytes
  writeId(w, 2, l.spanId); // 2 span_id: bytes
  writeString(w, 3, l.traceState); // 3 trace_state: string
  writeKeyValues(w, 4, l.attributes); // 4 attributes: repeated KeyValue
  writeUint32(w, 5, l.droppedAttributesCount); // 5 dropped_attributes_count: uint32
  if (l.flags !== 0) {
    w.tag(6, I32); // 6 flags: fixed32
    w.fixed32(l.flags);
  }
  w.join(mark);
}
