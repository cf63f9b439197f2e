/**
 * The SDK's own problems: counted, and logged at most once per kind per interval, never thrown.
 * A telemetry failure must not become the application's failure, nor flood its logs.
 */

/** Counters of what the SDK dropped or could not do. Read them with `stats()`. */
export interface TelemetryStats {
  /** Spans handed to the exporter and acknowledged by the server. */
  exportedSpans: number;
  /** Spans lost: export failed (server down, slow, refusing) or the queue was full. */
  droppedSpans: number;
  /** Export requests that failed. */
  failedExports: number;
  /** Spans dropped because the in-memory queue was full. */
  queueFullDrops: number;
  /** Errors inside the SDK's instrumentation code (caught; the host call went on). */
  instrumentationErrors: number;
}

const counters: TelemetryStats = {
  exportedSpans: 0,
  droppedSpans: 0,
  failedExports: 0,
  queueFullDrops: 0,
  instrumentationErrors: 0,
};

/** A snapshot of the SDK's counters. */
export function stats(): TelemetryStats {
  return { ...counters };
}

export function count(name: keyof TelemetryStats, n = 1): void {
  counters[name] += n;
}

/** For tests. */
export function resetStats(): void {
  for (const k of Object.keys(counters) as (keyof TelemetryStats)[]) counters[k] = 0;
}

const LOG_INTERVAL_MS = 60_000;
const lastLogged = new Map<string, number>();
let sink: (message: string) => void = (message) => console.warn(message);

export function setLogger(logger: ((message: string) => void) | undefined): void {
  sink = logger ?? ((message) => console.warn(message));
}

/** Logs `message` unless a message of the same `kind` was logged in the last minute. */
export function warnOnce(kind: string, message: string): void {
  const now = Date.now();
  const last = lastLogged.get(kind);
  if (last !== undefined && now - last < LOG_INTERVAL_MS) return;
  lastLogged.set(kind, now);
  try {
    sink(`[pyflare] ${message}`);
  } catch {
    // a logger that throws is not our caller's problem either
  }
}

/** Records an error of the SDK's own code, which was caught so the host call could go on. */
export function internalError(where: string, error: unknown): void {
  counters.instrumentationErrors++;
  warnOnce(
    `internal:${where}`,
    `instrumentation error in ${where} (the call itself was not affected): ${describe(error)}`,
  );
}

export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'unknown error';
  }
}

/** For tests: forget the rate limiting. */
export function resetLogLimits(): void {
  lastLogged.clear();
}
