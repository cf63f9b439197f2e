import { writeEnum, writeString } from './encode-common.ts';
import { DEFAULT_LIMITS } from './options.ts';
import { Reader } from './reader.ts';
import type { PartialSuccess, SignalType } from './types.ts';
import { LEN, VARINT } from './wire.ts';
import { Writer } from './writer.ts';

/**
 * OTLP export responses and the google.rpc.Status error body.
 *
 * ExportTraceServiceResponse / ExportMetricsServiceResponse / ExportLogsServiceResponse:
 *   1 partial_success: Export{Trace,Metrics,Logs}PartialSuccess
 *       1 rejected_spans | rejected_data_points | rejected_log_records: int64
 *       2 error_message: string
 * As the OTLP spec asks, partial_success is left unset on full success (nothing rejected
 * and no message); a message with nothing rejected is a warning and is sent.
 */

const REJECTED_JSON_KEY = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
} as const satisfies Record<SignalType, string>;

const RESPONSE_NAME = {
  traces: 'ExportTraceServiceResponse',
  metrics: 'ExportMetricsServiceResponse',
  logs: 'ExportLogsServiceResponse',
} as const satisfies Record<SignalType, string>;

function isSet(partial: PartialSuccess | undefined): partial is PartialSuccess {
  return partial !== undefined && (partial.rejected !== 0 || partial.errorMessage !== '');
}

/**
 * The protobuf body of an Export*ServiceResponse (empty bytes on full success).
 * The signal only names the count; the wire layout is the same for all three.
 *
 * @example
 * reply.type('application/x-protobuf').send(encodeExportResponse({ rejected: 2, errorMessage: 'bad span id' }, 'traces'));
 */
export function encodeExportResponse(
  partial: PartialSuccess | undefined,
  _signal: SignalType,
): Uint8Array {
  const w = new Writer(64);
  if (isSet(partial)) {
    w.tag(1, LEN); // 1 partial_success
    const mark = w.fork();
    if (partial.rejected !== 0) {
      w.tag(1, VARINT); // 1 rejected_spans / rejected_data_points / rejected_log_records: int64
      w.int64(partial.rejected);
    }
    writeString(w, 2, partial.errorMessage); // 2 error_message: string
    w.join(mark);
  }
  return w.finish();
}

/** JSON form of an Export*ServiceResponse; int64 counts are strings, as proto3 JSON has them. */
export interface ExportResponseJson {
  partialSuccess?: {
    rejectedSpans?: string;
    rejectedDataPoints?: string;
    rejectedLogRecords?: string;
    errorMessage: string;
  };
}

/**
 * The OTLP/JSON body of an Export*ServiceResponse (`{}` on full success).
 *
 * @example
 * exportResponseToJson({ rejected: 2, errorMessage: 'bad span id' }, 'traces');
 * // → { partialSuccess: { rejectedSpans: '2', errorMessage: 'bad span id' } }
 */
export function exportResponseToJson(
  partial: PartialSuccess | undefined,
  signal: SignalType,
): ExportResponseJson {
  if (!isSet(partial)) return {};
  return {
    partialSuccess: {
      [REJECTED_JSON_KEY[signal]]: String(partial.rejected),
      errorMessage: partial.errorMessage,
    },
  };
}

/**
 * Decodes an Export*ServiceResponse (the client side; used by tests and the SDK).
 * Returns undefined when partial_success is unset.
 *
 * @throws OtlpDecodeError on malformed input.
 */
export function decodeExportResponse(
  bytes: Uint8Array,
  signal: SignalType,
): PartialSuccess | undefined {
  const r = new Reader(bytes, RESPONSE_NAME[signal], DEFAULT_LIMITS);
  let partial: PartialSuccess | undefined;
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag !== 10) {
      r.skip(tag);
      continue;
    }
    r.open('PartialSuccess'); // 1 partial_success
    partial = { rejected: 0, errorMessage: '' };
    while (r.pos < r.end) {
      const t = r.tag();
      if (t === 8)
        partial.rejected = Number(r.int64()); // 1 rejected_*: int64
      else if (t === 18)
        partial.errorMessage = r.string(); // 2 error_message: string
      else r.skip(t);
    }
    r.close();
  }
  return partial;
}

/**
 * google.rpc.Status, the OTLP/HTTP protobuf error body: 1 code: int32, 2 message: string.
 *
 * @example
 * reply.status(400).type('application/x-protobuf').send(encodeStatus(3, 'malformed OTLP protobuf'));
 */
export function encodeStatus(code: number, message: string): Uint8Array {
  const w = new Writer(64 + message.length * 3);
  writeEnum(w, 1, code); // 1 code: int32
  writeString(w, 2, message); // 2 message: string
  return w.finish();
}

/**
 * Decodes a google.rpc.Status (the `details` field 3 is skipped).
 *
 * @throws OtlpDecodeError on malformed input.
 */
export function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  const r = new Reader(bytes, 'google.rpc.Status', DEFAULT_LIMITS);
  let code = 0;
  let message = '';
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 8)
      code = r.varint32() | 0; // 1 code: int32
    else if (tag === 18)
      message = r.string(); // 2 message: string
    else r.skip(tag);
  }
  return { code, message };
}
