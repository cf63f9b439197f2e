import {
  anyValueFromJson,
  attributesFromJson,
  resourceFromJson,
  scopeFromJson,
} from './json-decode-common.ts';
import { SEVERITY_NUMBER_NAMES } from './json-enums.ts';
import { JsonReader, type JsonObject } from './json-reader.ts';
import { resolveLimits, type DecodeOptions } from './options.ts';
import type { ExportLogsServiceRequest, LogRecord, ResourceLogs, ScopeLogs } from './types.ts';

/**
 * Decodes an OTLP/JSON logs export request that has already been `JSON.parse`d.
 *
 * @throws OtlpDecodeError naming the JSON path of the offending value.
 * @example
 * const req = decodeLogsRequestJson(JSON.parse(body));
 */
export function decodeLogsRequestJson(
  value: unknown,
  options?: DecodeOptions,
): ExportLogsServiceRequest {
  const r = new JsonReader(resolveLimits(options).maxDepth, options?.wideJsonNumbers === 'refuse');
  const root = r.root(value);
  return { resourceLogs: r.list(root, 'resourceLogs', (o) => resourceLogs(r, o)) };
}

function resourceLogs(r: JsonReader, o: JsonObject): ResourceLogs {
  return {
    resource: resourceFromJson(r, r.object(o, 'resource')),
    scopeLogs: r.list(o, 'scopeLogs', (s) => scopeLogs(r, s)),
    schemaUrl: r.string(o, 'schemaUrl'),
  };
}

function scopeLogs(r: JsonReader, o: JsonObject): ScopeLogs {
  return {
    scope: scopeFromJson(r, r.object(o, 'scope')),
    logRecords: r.list(o, 'logRecords', (l) => logRecord(r, l)),
    schemaUrl: r.string(o, 'schemaUrl'),
  };
}

function logRecord(r: JsonReader, o: JsonObject): LogRecord {
  return {
    timeUnixNano: r.uint64(o, 'timeUnixNano'),
    observedTimeUnixNano: r.uint64(o, 'observedTimeUnixNano'),
    severityNumber: r.enumeration(o, 'severityNumber', SEVERITY_NUMBER_NAMES, 'SeverityNumber'),
    severityText: r.string(o, 'severityText'),
    body: o.body === undefined || o.body === null ? undefined : anyValueFromJson(r, o.body, 'body'),
    attributes: attributesFromJson(r, o, 'attributes'),
    droppedAttributesCount: r.int32(o, 'droppedAttributesCount', true),
    flags: r.int32(o, 'flags', true),
    traceId: r.id(o, 'traceId'),
    spanId: r.id(o, 'spanId'),
    eventName: r.string(o, 'eventName'),
  };
}
