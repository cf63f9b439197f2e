import { PyflareError } from '../errors.ts';

export interface AdmissionOptions {
  maxRows: number;
  maxBytes: number;
  /** Told of every change, e.g. to update gauges. */
  onChange?: (rows: number, bytes: number) => void;
}

/**
 * The bound on data accepted but not yet durable, shared by every signal. A request that
 * would cross it is refused whole (429 / RESOURCE_EXHAUSTED with a retry hint) before any
 * of it is queued: nothing is dropped silently and memory stays bounded.
 */
export function createAdmission(options: AdmissionOptions) {
  let rows = 0;
  let bytes = 0;
  const changed = () => options.onChange?.(rows, bytes);
  return {
    get rows() {
      return rows;
    },
    get bytes() {
      return bytes;
    },
    /** True when nothing more fits; a cheap check before decoding a request. */
    full(): boolean {
      return rows >= options.maxRows || bytes >= options.maxBytes;
    },
    /** Reserves room or throws OVERLOADED. An empty queue always admits one request. */
    acquire(r: number, b: number): void {
      const empty = rows === 0 && bytes === 0;
      if (!empty && (rows + r > options.maxRows || bytes + b > options.maxBytes)) {
        throw new PyflareError('OVERLOADED', 'ingest queue is full; retry later', {
          retryAfter: 1,
        });
      }
      rows += r;
      bytes += b;
      changed();
    },
    release(r: number, b: number): void {
      rows -= r;
      bytes -= b;
      changed();
    },
  };
}

export type Admission = ReturnType<typeof createAdmission>;
