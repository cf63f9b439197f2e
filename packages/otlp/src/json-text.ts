import { OtlpDecodeError } from './errors.ts';
import { decodeJsonText } from './json-integers.ts';
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
 * Parses OTLP/JSON text (a string or UTF-8 bytes). Numbers are `JSON.parse`'s doubles; the
 * `decode*RequestJsonText` functions keep 64-bit integers sent as numbers exact.
 *
 * @throws OtlpDecodeError when the text is not UTF-8 or not JSON.
 */
export function parseOtlpJson(text: string | Uint8Array): unknown {
  return parseText(textOf(text));
}

function textOf(text: string | Uint8Array): string {
  try {
    return typeof text === 'string' ? text : utf8.decode(text);
  } catch (e) {
    throw new OtlpDecodeError('(root): body is not valid UTF-8', { path: '(root)' }, { cause: e });
  }
}

function parseText(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new OtlpDecodeError(`(root): invalid JSON: ${detail}`, { path: '(root)' }, { cause: e });
  }
}

/**
 * `decodeTraceRequestJson(parseOtlpJson(text))`, 64-bit integers sent as JSON numbers kept exact
 * (json-integers.ts). @throws OtlpDecodeError
 */
export function decodeTraceRequestJsonText(
  text: string | Uint8Array,
  options?: DecodeOptions,
): ExportTraceServiceRequest {
  return decodeJsonText(textOf(text), parseText, decodeTraceRequestJson, options);
}

/** `decodeMetricsRequestJson(parseOtlpJson(text))`, as exact. @throws OtlpDecodeError */
export function decodeMetricsRequestJsonText(
  text: string | Uint8Array,
  options?: DecodeOptions,
): ExportMetricsServiceRequest {
  return decodeJsonText(textOf(text), parseText, decodeMetricsRequestJson, options);
}

/** `decodeLogsRequestJson(parseOtlpJson(text))`, as exact. @throws OtlpDecodeError */
export function decodeLogsRequestJsonText(
  text: string | Uint8Array,
  options?: DecodeOptions,
): ExportLogsServiceRequest {
  return decodeJsonText(textOf(text), parseText, decodeLogsRequestJson, options);
}
