import { MAX_FUTURE_MS } from './limits.ts';

/** What the pipeline knows about the request being normalized. */
export interface NormalizeContext {
  projectId: string;
  /** The project's retention, stamped on every row (drives the storage TTL). */
  retentionDays: number;
  /** Whether prompts, completions and documents may be stored for this project. */
  captureContent: boolean;
  /** The server clock when the request arrived, ms since epoch. */
  nowMs: number;
}

/** The count of rejected items and up to five example reasons. */
export interface Rejected {
  rejected: number;
  errors: string[];
}

/** Rows to store, plus the count of rejected items and up to five example reasons. */
export interface NormalizeResult<Row> extends Rejected {
  rows: Row[];
}

/**
 * Where the `normalize*Into` functions put each row as soon as it is built: an array, or
 * the storage encoder (`createIngestEncoder`), which serializes it at once so that it never
 * outlives the young generation (docs/architecture/ingest.md, "Streaming rows").
 */
export interface RowSink<Row> {
  push(row: Row): unknown;
}

const NS_PER_MS = 1_000_000n;
const NS_PER_DAY = 86_400_000_000_000n;

/** Accepted time window, in ns since epoch: [oldest, newest]. */
export interface TimeWindow {
  nowNs: bigint;
  /** Older items would be deleted by the retention TTL as soon as written; 0n = no bound. */
  oldestNs: bigint;
  newestNs: bigint;
}

export function timeWindow(ctx: NormalizeContext): TimeWindow {
  const nowNs = BigInt(Math.trunc(ctx.nowMs)) * NS_PER_MS;
  const days = Math.trunc(ctx.retentionDays);
  const oldestNs = days > 0 ? nowNs - BigInt(days) * NS_PER_DAY : 0n;
  return {
    nowNs,
    oldestNs: oldestNs > 0n ? oldestNs : 0n,
    newestNs: nowNs + BigInt(MAX_FUTURE_MS) * NS_PER_MS,
  };
}

/** Why `ns` falls outside the window, or undefined when it is inside. */
export function timeProblem(field: string, ns: bigint, window: TimeWindow): string | undefined {
  if (ns > window.newestNs) return `${field} is more than 24 h ahead of the server clock`;
  if (ns < window.oldestNs) return `${field} is older than the project's retention`;
  return undefined;
}

const NS_DIGITS = 19;
/** DateTime64(9) holds up to 2^63 - 1 ns (2262-04-11). */
export const MAX_STORABLE_NS = 2n ** 63n - 1n;

/**
 * A timestamp for a DateTime64(9) column: decimal ns, zero-padded to 19 digits. ClickHouse
 * reads a string of digits by its length (10 = s, 13 = ms, 16 = µs, 19 = ns) and rejects
 * other lengths, so an unpadded time before 2001-09-09 would fail the whole insert.
 * `ns` must be within [0, MAX_STORABLE_NS].
 */
export function nsString(ns: bigint): string {
  const s = ns.toString();
  return s.length >= NS_DIGITS ? s : '0'.repeat(NS_DIGITS - s.length) + s;
}
