import { OtlpDecodeError } from './errors.ts';
import { decodeLogsRequestJson } from './json-decode-logs.ts';
import { decodeMetricsRequestJson } from './json-decode-metrics.ts';
import { decodeTraceRequestJson } from './json-decode-traces.ts';
import type { DecodeOptions } from './options.ts';
import type {
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
} from './types.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses OTLP/JSON text (a string or UTF-8 bytes).
 *
 * @throws OtlpDecodeError when the text is not UTF-8 or not JSON.
 */
export function parseOtlpJson(text: string | Uint8Array): unknown {
  let s: string;
  try {
    s = typeof text === 'string' ? text : utf8.decode(text);
  } catch (e) {
    throw new OtlpDecodeError('(root): body is not valid UTF-8', { path: '(root)' }, { cause: e });
  }
  try {
    return JSON.parse(s);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new OtlpDecodeError(`(root): invalid JSON: ${detail}`, { path: '(root)' }, { cause: e });
  }
}

/** `decodeTraceRequestJson(parseOtlpJson(text))`. @throws OtlpDecodeError */
export function decodeTraceRequestJsonText(
  text: string | Uint8Array,
  options?: DecodeOptions,
): ExportTraceServiceRequest {
  return decodeTraceRequestJson(parseOtlpJson(text), options);
}

/** `decodeMetricsRequestJson(parseOtlpJson(text))`. @throws OtlpDecodeError */
export function decodeMetricsRequestJsonText(
  text: string | Uint8Array,
  options?: DecodeOptions,
): ExportMetricsServiceRequest {
  return decodeMetricsRequestJson(parseOtlpJson(text), options);
}

/** `decodeLogsRequestJson(parseOtlpJson(text))`. @throws OtlpDecodeError */
export function decodeLogsRequestJsonText(
  text: string | Uint8Array,
  options?: DecodeOptions,
): ExportLogsServiceRequest {
  return decodeLogsRequestJson(parseOtlpJson(text), options);
}
