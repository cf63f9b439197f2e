import {
  attributesToJson,
  put,
  resourceToJson,
  scopeToJson,
  type Json,
} from './json-encode-common.ts';
import type { ExportTraceServiceRequest, Span } from './types.ts';

/**
 * The OTLP/JSON object of a trace export request (pass it to `JSON.stringify`).
 *
 * @example
 * const body = JSON.stringify(traceRequestToJson(decodeTraceRequest(bytes)));
 */
export function traceRequestToJson(req: ExportTraceServiceRequest): Json {
  return {
    resourceSpans: req.resourceSpans.map((rs) => {
      const out: Json = { resource: resourceToJson(rs.resource) };
      out.scopeSpans = rs.scopeSpans.map((ss) => {
        const s: Json = { scope: scopeToJson(ss.scope), spans: ss.spans.map(spanToJson) };
        put(s, 'schemaUrl', ss.schemaUrl);
        return s;
      });
      put(out, 'schemaUrl', rs.schemaUrl);
      return out;
    }),
  };
}

function spanToJson(span: Span): Json {
  const out: Json = {};
  put(out, 'traceId', span.traceId);
  put(out, 'spanId', span.spanId);
  put(out, 'traceState', span.traceState);
  put(out, 'parentSpanId', span.parentSpanId);
  put(out, 'flags', span.flags);
  put(out, 'name', span.name);
  put(out, 'kind', span.kind);
  put(out, 'startTimeUnixNano', span.startTimeUnixNano);
  put(out, 'endTimeUnixNano', span.endTimeUnixNano);
  put(out, 'attributes', attributesToJson(span.attributes));
  put(out, 'droppedAttributesCount', span.droppedAttributesCount);
  put(
    out,
    'events',
    span.events.map((e) => {
      const ev: Json = {};
      put(ev, 'timeUnixNano', e.timeUnixNano);
      put(ev, 'name', e.name);
      put(ev, 'attributes', attributesToJson(e.attributes));
      put(ev, 'droppedAttributesCount', e.droppedAttributesCount);
      return ev;
    }),
  );
  put(out, 'droppedEventsCount', span.droppedEventsCount);
  put(
    out,
    'links',
    span.links.map((l) => {
      const link: Json = {};
      put(link, 'traceId', l.traceId);
      put(link, 'spanId', l.spanId);
      put(link, 'traceState', l.traceState);
      put(link, 'attributes', attributesToJson(l.attributes));
      put(link, 'droppedAttributesCount', l.droppedAttributesCount);
      put(link, 'flags', l.flags);
      return link;
    }),
  );
  put(out, 'droppedLinksCount', span.droppedLinksCount);
  const status: Json = {};
  put(status, 'message', span.status.message);
  put(status, 'code', span.status.code);
  out.status = status;
  return out;
}
