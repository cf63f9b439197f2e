import { Worker } from 'node:worker_threads';
import { PyflareError } from '../errors.ts';
import type { NormalizeContext } from '../pipeline/context.ts';
import { MalformedRequestError, type DecodedTraces, type PayloadFormat } from './decode-job.ts';
import type { DecodeRequest, DecodeResponse } from './decode-worker.ts';

const ENTRY = new URL('./decode-worker-entry.js', import.meta.url);

export interface DecodePoolOptions {
  /** Worker threads (at least 1). */
  size: number;
  /** Jobs queued or running at once over all workers; beyond it `decode` refuses (429). */
  maxPending?: number;
  /**
   * Request bytes queued or running at once (each is copied to its worker); a job that would
   * cross it is refused (429) unless the pool is idle. Default 256 MiB.
   */
  maxPendingBytes?: number;
  /** A worker failed (crashed or exited): logged by the caller; the pool replaces it. */
  onError?: (error: unknown) => void;
}

interface Job {
  bytes: number;
  resolve: (r: DecodedTraces) => void;
  reject: (e: unknown) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  dead: boolean;
}

/**
 * OTLP trace requests (protobuf, or JSON bodies) decoded, normalized and serialized on worker threads
 * (decode-job.ts), so that the event loop stays free for the network, the batch writer and
 * the acknowledgements. On the event loop a 1,500-span request held it for ~30 ms; every
 * step of an insert (spool, engine call, hooks, acknowledgement) waited behind such requests
 * (docs/architecture/ingest.md, "Decode workers"). Workers start on first use; a job goes to
 * the worker with the fewest jobs; a crashed worker's jobs fail with 503 (clients retry) and
 * it is replaced on the next job.
 */
export function createDecodePool(options: DecodePoolOptions) {
  const size = Math.max(1, Math.floor(options.size));
  const maxPending = options.maxPending ?? 256;
  const maxPendingBytes = options.maxPendingBytes ?? 256 * 1024 * 1024;
  const slots: (Slot | undefined)[] = new Array<Slot | undefined>(size).fill(undefined);
  let nextId = 0;
  let pending = 0;
  let pendingBytes = 0;
  let closed = false;
  /** Resolves `close()`'s wait once the last job is settled. */
  let drained: (() => void) | undefined;

  const shuttingDown = () =>
    new PyflareError('SHUTTING_DOWN', 'server is shutting down', { retryAfter: 5 });

  function settled(job: Job): void {
    pending--;
    pendingBytes -= job.bytes;
    if (pending === 0) drained?.();
  }

  /** A worker crashed or exited ('error' then 'exit' for a crash: handled once). */
  function fail(slot: Slot, error: unknown): void {
    if (slot.dead) return;
    slot.dead = true;
    const i = slots.indexOf(slot);
    if (i !== -1) slots[i] = undefined;
    const jobs = [...slot.jobs.values()];
    slot.jobs.clear();
    for (const job of jobs) settled(job);
    if (!closed) options.onError?.(error);
    const e = closed
      ? shuttingDown()
      : new PyflareError('INGEST_UNAVAILABLE', 'the request could not be decoded; retry', {
          cause: error,
          retryAfter: 1,
        });
    for (const job of jobs) job.reject(e);
  }

  function spawn(i: number): Slot {
    const worker = new Worker(ENTRY);
    // A pool that is not closed must not keep the process alive on its own.
    worker.unref();
    const slot: Slot = { worker, jobs: new Map(), dead: false };
    worker.on('message', (m: DecodeResponse) => {
      const job = slot.jobs.get(m.id);
      if (!job) return;
      slot.jobs.delete(m.id);
      settled(job);
      if (m.ok) {
        const payload = Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength);
        job.resolve({ payload, rows: m.rows, rejected: m.rejected, errors: m.errors });
      } else if (m.malformed) {
        job.reject(new MalformedRequestError(m.message));
      } else {
        job.reject(new PyflareError('INTERNAL', `decode worker: ${m.message}`));
      }
    });
    worker.on('error', (error) => fail(slot, error));
    worker.on('exit', (code) => fail(slot, new Error(`decode worker exited with code ${code}`)));
    slots[i] = slot;
    return slot;
  }

  /** The slot with the fewest jobs, starting a worker where there is none yet. */
  function pick(): Slot {
    let best: Slot | undefined;
    for (let i = 0; i < size; i++) {
      const slot = slots[i] ?? spawn(i);
      if (slot.jobs.size === 0) return slot;
      if (!best || slot.jobs.size < best.jobs.size) best = slot;
    }
    return best!;
  }

  return {
    /** Jobs queued or running. */
    get pending(): number {
      return pending;
    },
    /** Whether a new job would be refused. */
    full(): boolean {
      return pending >= maxPending || pendingBytes >= maxPendingBytes;
    },
    /**
     * Decodes, normalizes and serializes one trace request on a worker. Rejects with
     * `MalformedRequestError` for a malformed request, with a PyflareError otherwise.
     */
    decode(
      bytes: Uint8Array,
      ctx: NormalizeContext,
      format: PayloadFormat = 'protobuf',
    ): Promise<DecodedTraces> {
      if (closed) return Promise.reject(shuttingDown());
      if (
        pending >= maxPending ||
        (pending > 0 && pendingBytes + bytes.byteLength > maxPendingBytes)
      ) {
        return Promise.reject(
          new PyflareError('OVERLOADED', 'ingest queue is full; retry later', { retryAfter: 1 }),
        );
      }
      const slot = pick();
      const id = ++nextId;
      pending++;
      pendingBytes += bytes.byteLength;
      return new Promise<DecodedTraces>((resolve, reject) => {
        slot.jobs.set(id, { bytes: bytes.byteLength, resolve, reject });
        // The request's bytes are copied to the worker (structured clone): the body buffer
        // may share memory with other requests, so it is not transferred.
        const job: DecodeRequest = { id, bytes, format, ctx };
        slot.worker.postMessage(job);
      });
    },
    /**
     * Stops every worker at once, as a crash would: their jobs fail with 503 (the clients
     * retry) and the next jobs start new workers.
     */
    async recycle(): Promise<void> {
      await Promise.all(slots.map((slot) => slot?.worker.terminate()));
    },
    /** Waits for the jobs in progress, then stops the workers. */
    async close(): Promise<void> {
      closed = true;
      if (pending > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          drained = resolve;
          timer = setTimeout(resolve, 10_000);
        });
        clearTimeout(timer);
      }
      await Promise.all(slots.map((slot) => slot?.worker.terminate()));
    },
  };
}

export type DecodePool = ReturnType<typeof createDecodePool>;
