import {
  writeAnyValueBody,
  writeEnum,
  writeFixed64,
  writeId,
  writeKeyValues,
  writeResource,
  writeScope,
  writeString,
  writeUint32,
} from './encode-common.ts';
import type { ExportLogsServiceRequest, LogRecord } from './types.ts';
import { I32, LEN } from './wire.ts';
import { Writer } from './writer.ts';

/**
 * Encodes an ExportLogsServiceRequest as OTLP/protobuf.
 *
 * @example
 * const body = encodeLogsRequest(decodeLogsRequestJson(JSON.parse(text)));
 */
export function encodeLogsRequest(req: ExportLogsServiceRequest): Uint8Array {
  const w = new Writer();
  for (const rl of req.resourceLogs) {
    w.tag(1, LEN); // 1 resource_logs: repeated ResourceLogs
    const mark = w.fork();
    writeResource(w, 1, rl.resource); // 1 resource: Resource
    for (const sl of rl.scopeLogs) {
      w.tag(2, LEN); // 2 scope_logs: repeated ScopeLogs
      const m = w.fork();
      writeScope(w, 1, sl.scope); // 1 scope: InstrumentationScope
      for (const record of sl.logRecords) writeLogRecord(w, record); // 2 log_records
      writeString(w, 3, sl.schemaUrl); // 3 schema_url: string
      w.join(m);
    }
    writeString(w, 3, rl.schemaUrl); // 3 schema_url: string
    w.join(mark);
  }
  return w.finish();
}

function writeLogRecord(w: Writer, r: LogRecord): void {
  w.tag(2, LEN);
  const mark = w.fork();
  writeFixed64(w, 1, r.timeUnixNano); // 1 time_unix_nano: fixed64
  writeEnum(w, 2, r.severityNumber); // 2 severity_number: SeverityNumber
  writeString(w, 3, r.severityText); // 3 severity_text: string
  if (r.body !== undefined) {
    w.tag(5, LEN); // 5 body: AnyValue
    const m = w.fork();
    writeAnyValueBody(w, r.body);
    w.join(m);
  }
  writeKeyValues(w, 6, r.attributes); // 6 attributes: repeated KeyValue
  writeUint32(w, 7, r.droppedAttributesCount); // 7 dropped_attributes_count: uint32
  if (r.flags !== 0) {
    w.tag(8, I32); // 8 flags: fixed32
    w.fixed32(r.flags);
  }
  writeId(w, 9, r.traceId); // 9 trace_id: bytes
  writeId(w, 10, r.spanId); // 10 span_id: bytes
  writeFixed64(w, 11, r.observedTimeUnixNano); // 11 observed_time_unix_nano: fixed64
  writeString(w, 12, r.eventName); // 12 event_name: string
  w.join(mark);
}
