import {
  decodeAnyValue,
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
  AnyValue,
  ExportLogsServiceRequest,
  InstrumentationScope,
  LogRecord,
  Resource,
  ResourceLogs,
  ScopeLogs,
} from './types.ts';

/**
 * Protobuf decoding of opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.
 * Case labels are whole tags, `(field_number << 3) | wire_type`; a known field with an
 * unexpected wire type is skipped like an unknown one.
 */

/**
 * Decodes an OTLP/protobuf logs export request.
 *
 * @throws OtlpDecodeError on malformed input (never anything else).
 * @example
 * const req = decodeLogsRequest(bytes, { maxDepth: 32 });
 * const first = req.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.body;
 */
export function decodeLogsRequest(
  bytes: Uint8Array,
  options?: DecodeOptions,
): ExportLogsServiceRequest {
  const r = new Reader(bytes, 'ExportLogsServiceRequest', resolveLimits(options));
  const resourceLogs: ResourceLogs[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      resourceLogs.push(decodeResourceLogs(r)); // 1 resource_logs: repeated ResourceLogs
    } else {
      r.skip(tag);
    }
  }
  return { resourceLogs };
}

function decodeResourceLogs(r: Reader): ResourceLogs {
  r.openRecord('ResourceLogs');
  let resource: Resource | undefined;
  const scopeLogs: ScopeLogs[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 resource: Resource
        resource = decodeResource(r);
        break;
      case 18: // 2 scope_logs: repeated ScopeLogs
        scopeLogs.push(decodeScopeLogs(r));
        break;
      case 26: // 3 schema_url: string
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { resource: resource ?? emptyResource(), scopeLogs, schemaUrl };
}

function decodeScopeLogs(r: Reader): ScopeLogs {
  r.openRecord('ScopeLogs');
  let scope: InstrumentationScope | undefined;
  const logRecords: LogRecord[] = [];
  let schemaUrl = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 scope: InstrumentationScope
        scope = decodeScope(r);
        break;
      case 18: // 2 log_records: repeated LogRecord
        logRecords.push(decodeLogRecord(r));
        break;
      case 26: // 3 schema_url: string
        schemaUrl = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { scope: scope ?? emptyScope(), logRecords, schemaUrl };
}

/** LogRecord (field 4 is reserved) */
function decodeLogRecord(r: Reader): LogRecord {
  r.openRecord('LogRecord');
  let timeUnixNano = 0n;
  let observedTimeUnixNano = 0n;
  let severityNumber = 0;
  let severityText = '';
  let body: AnyValue | undefined;
  const attributes = newAttributes();
  let droppedAttributesCount = 0;
  let flags = 0;
  let traceId = '';
  let spanId = '';
  let eventName = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 9: // 1 time_unix_nano: fixed64
        timeUnixNano = r.fixed64();
        break;
      case 16: // 2 severity_number: SeverityNumber (enum)
        severityNumber = r.varint32() | 0;
        break;
      case 26: // 3 severity_text: string
        severityText = r.string();
        break;
      case 42: // 5 body: AnyValue
        body = decodeAnyValue(r);
        break;
      case 50: // 6 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 56: // 7 dropped_attributes_count: uint32
        droppedAttributesCount = r.varint32();
        break;
      case 69: // 8 flags: fixed32
        flags = r.fixed32();
        break;
      case 74: // 9 trace_id: bytes
        traceId = r.id();
        break;
      case 82: // 10 span_id: bytes
        spanId = r.id();
        break;
      case 89: // 11 observed_time_unix_nano: fixed64
        observedTimeUnixNano = r.fixed64();
        break;
      case 98: // 12 event_name: string
        eventName = r.string();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return {
    timeUnixNano,
    observedTimeUnixNano,
    severityNumber,
    severityText,
    body,
    attributes,
    droppedAttributesCount,
    flags,
    traceId,
    spanId,
    eventName,
  };
}
