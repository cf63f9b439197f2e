import { parentPort } from 'node:worker_threads';
import type { NormalizeContext } from '../pipeline/context.ts';
import { MalformedRequestError, decodeTraces, type PayloadFormat } from './decode-job.ts';

/** A job: one OTLP trace request (protobuf, or a JSON body) and the context of its project. */
export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  format: PayloadFormat;
  ctx: NormalizeContext;
}

export type DecodeResponse =
  | { id: number; ok: true; payload: Uint8Array; rows: number; rejected: number; errors: string[] }
  | { id: number; ok: false; malformed: boolean; message: string };

/** The decode worker's loop (started by decode-worker-entry.js, see ingest/decode-pool.ts). */
const port = parentPort;
if (!port) throw new Error('decode-worker runs as a worker thread');
port.on('message', (job: DecodeRequest) => {
  let response: DecodeResponse;
  const transfer: ArrayBuffer[] = [];
  try {
    const r = decodeTraces(job.bytes, job.ctx, job.format);
    // The payload is a fresh buffer of its own (RowEncoder.finish) unless it is small enough
    // for Node's shared pool: then it is copied, so that the transfer detaches nothing else.
    const own = r.payload.byteOffset === 0 && r.payload.buffer.byteLength === r.payload.length;
    const payload = own ? r.payload : Uint8Array.prototype.slice.call(r.payload);
    transfer.push(payload.buffer as ArrayBuffer);
    response = {
      id: job.id,
      ok: true,
      payload,
      rows: r.rows,
      rejected: r.rejected,
      errors: r.errors,
    };
  } catch (e) {
    response = {
      id: job.id,
      ok: false,
      malformed: e instanceof MalformedRequestError,
      message: e instanceof Error ? e.message : String(e),
    };
  }
  port.postMessage(response, transfer);
});
