import { OtlpDecodeError, decodeTraceRequest } from '@pyflare/otlp';
import type { NormalizeContext, Rejected } from '../pipeline/context.ts';
import { normalizeTracesInto } from '../pipeline/normalize-spans.ts';
import { createIngestEncoder } from '../storage/row-binary.ts';

/** What the ingest path needs from an OTLP/protobuf trace request: its rows, serialized. */
export interface DecodedTraces {
  payload: Buffer;
  rows: number;
  rejected: number;
  errors: string[];
}

/**
 * Decode → normalize → serialize of one OTLP/protobuf trace request: the CPU-heavy part of
 * ingest, the same function on the event loop and in a decode worker (ingest/decode-pool.ts).
 * Throws `OtlpDecodeError` for a malformed request.
 */
export function decodeTraces(bytes: Uint8Array, ctx: NormalizeContext): DecodedTraces {
  const request = decodeTraceRequest(bytes);
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

export { OtlpDecodeError };
