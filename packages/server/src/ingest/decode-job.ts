import {
  OtlpDecodeError,
  decodeJsonText,
  decodeTraceRequest,
  decodeTraceRequestJson,
  type DecodeOptions,
} from '@pyflare/otlp';
import type { NormalizeContext, Rejected } from '../pipeline/context.ts';
import { normalizeTracesInto } from '../pipeline/normalize-spans.ts';
import { createIngestEncoder } from '../storage/row-binary.ts';

export type PayloadFormat = 'protobuf' | 'json';

/** What the ingest path needs from an OTLP trace request: its rows, serialized. */
export interface DecodedTraces {
  payload: Buffer;
  rows: number;
  rejected: number;
  errors: string[];
}

/** A request that is not OTLP; `message` is the whole answer ("malformed OTLP …: …"). */
export class MalformedRequestError extends Error {}

/**
 * An OTLP/JSON body decoded by `decode` (one of `@pyflare/otlp`'s `decode*RequestJson`), 64-bit
 * integers sent as JSON numbers kept exact (`decodeJsonText`); malformed JSON is a
 * `MalformedRequestError` naming the problem.
 */
export function decodeJsonBody<T>(
  raw: Uint8Array,
  decode: (value: unknown, options: DecodeOptions) => T,
): T {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  return decodeJsonText(text, parseJson, decode);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new MalformedRequestError(`malformed OTLP JSON: ${(cause as Error).message}`, { cause });
  }
}

/** The decoder's refusal as the answer to the client; anything else is rethrown. */
export function malformedError(format: PayloadFormat, e: unknown): unknown {
  if (e instanceof OtlpDecodeError) {
    return new MalformedRequestError(`malformed OTLP ${format}: ${e.message}`, { cause: e });
  }
  return e;
}

/**
 * Decode → normalize → serialize of one OTLP trace request (protobuf bytes or a JSON body):
 * the CPU-heavy part of ingest, the same function on the event loop and in a decode worker
 * (ingest/decode-pool.ts). Throws `MalformedRequestError` for a malformed request.
 */
export function decodeTraces(
  body: Uint8Array,
  ctx: NormalizeContext,
  format: PayloadFormat = 'protobuf',
): DecodedTraces {
  let request: ReturnType<typeof decodeTraceRequest>;
  try {
    request =
      format === 'protobuf'
        ? decodeTraceRequest(body)
        : decodeJsonBody(body, decodeTraceRequestJson);
  } catch (e) {
    throw malformedError(format, e);
  }
  const encoder = createIngestEncoder('spans');
  let result: Rejected;
  let payload: Buffer;
  try {
    result = normalizeTracesInto(request, ctx, encoder);
  } finally {
    // finish() in every case: it hands the encoder's scratch buffer back for reuse.
    payload = encoder.finish();
  }
  return { payload, rows: encoder.rows, rejected: result.rejected, errors: result.errors };
}
