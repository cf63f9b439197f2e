import {
  anyValueToJson,
  attributesToJson,
  put,
  resourceToJson,
  scopeToJson,
  type Json,
} from './json-encode-common.ts';
import type { ExportLogsServiceRequest, LogRecord } from './types.ts';

/**
 * The OTLP/JSON object of a logs export request (pass it to `JSON.stringify`).
 *
 * @example
 * const body = JSON.stringify(logsRequestToJson(decodeLogsRequest(bytes)));
 */
export function logsRequestToJson(req: ExportLogsServiceRequest): Json {
  return {
    resourceLogs: req.resourceLogs.map((rl) => {
      const out: Json = { resource: resourceToJson(rl.resource) };
      out.scopeLogs = rl.scopeLogs.map((sl) => {
        const s: Json = { scope: scopeToJson(sl.scope), logRecords: sl.logRecords.map(logToJson) };
        put(s, 'schemaUrl', sl.schemaUrl);
        return s;
      });
      put(out, 'schemaUrl', rl.schemaUrl);
      return out;
    }),
  };
}

function logToJson(r: LogRecord): Json {
  const out: Json = {};
  put(out, 'timeUnixNano', r.timeUnixNano);
  put(out, 'observedTimeUnixNano', r.observedTimeUnixNano);
  put(out, 'severityNumber', r.severityNumber);
  put(out, 'severityText', r.severityText);
  if (r.body !== undefined) out.body = anyValueToJson(r.body);
  put(out, 'attributes', attributesToJson(r.attributes));
  put(out, 'droppedAttributesCount', r.droppedAttributesCount);
  put(out, 'flags', r.flags);
  put(out, 'traceId', r.traceId);
  put(out, 'spanId', r.spanId);
  put(out, 'eventName', r.eventName);
  return out;
}
