import { PyflareError } from '../errors.ts';
import type { Database } from '../storage/database.ts';
import { INGEST_COLUMNS } from '../storage/row-binary.ts';
import type { Admission } from './admission.ts';

export interface BatchWriterOptions {
  table: 'spans' | 'metrics' | 'logs';
  db: Database;
  admission: Admission;
  /** Flush when the pending rows reach this many... */
  maxRows: number;
  /** ...or when the oldest pending row has waited this long. */
  maxDelayMs: number;
  onBatch?: (table: string, rows: number, seconds: number) => void;
  onError?: (error: unknown) => void;
  /** Work around each insert, in the same serialized turn (the duration index's upkeep). */
  hooks?: InsertHooks<unknown>;
}

/**
 * `before` runs alongside the insert, after every earlier batch's insert and `after` (so it
 * sees them; it may or may not see this batch's own rows). `after` runs once the rows are
 * durable and before they are acknowledged. Neither fails the batch (its rows are stored, or
 * not, by the insert alone): their failures go to `onError`, and `after` is skipped when
 * `before` failed, so a hook that must not miss a batch handles its own failures.
 */
export interface InsertHooks<T> {
  before(payloads: readonly Buffer[]): Promise<T>;
  after(state: T): Promise<void>;
}

/**
 * While no insert is in flight, this many pending rows are written at once instead of
 * waiting out `maxDelayMs`: a batch that size is worth an insert of its own (ClickHouse
 * advises inserts of a thousand rows or more), and waiting only adds latency. Clients that
 * wait for their acknowledgement (every OTLP exporter, with a few requests in flight) were
 * otherwise held up to 200 ms per round with the engine idle (measured: end to end 6% faster,
 * docs/architecture/ingest.md). Small requests still gather for up to `maxDelayMs`.
 */
export const IDLE_FLUSH_ROWS = 1000;

/**
 * After an insert, the writer waits up to this share of that insert's duration (and at most
 * `maxDelayMs`) for the clients it just acknowledged to send again, so that their next
 * requests join the pending ones in one insert. Each insert has a large fixed cost (a new
 * part per table and per materialized view, then merges): with 4 requests in flight, batches
 * otherwise settle into two alternating halves of the clients (docs/architecture/ingest.md,
 * "Gathering after an insert").
 */
export const GATHER_SHARE = 0.5;

interface Entry {
  payload: Buffer;
  rows: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Batches serialized rows by size and time into one insert per batch, and settles each
 * writer's promise only once its rows are durable (written by the engine). One insert is in
 * flight at a time per table; rows arriving meanwhile form the next batch, so batches grow
 * with load instead of piling up inserts (group commit). After an insert, the next batch
 * waits briefly for the clients just acknowledged (`GATHER_SHARE`).
 */
export function createBatchWriter(options: BatchWriterOptions) {
  const { table, db, admission, maxRows, maxDelayMs } = options;
  const columns = INGEST_COLUMNS[table];
  let entries: Entry[] = [];
  let pendingRows = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;
  /** While gathering after an insert: the pending requests that end the wait early. */
  let gatherEntries = 0;
  /** How long the last insert took, ms. */
  let lastInsertMs = 0;

  function schedule(): void {
    if (inFlight || entries.length === 0) return;
    if (gatherEntries > 0) {
      if (entries.length >= gatherEntries || pendingRows >= maxRows) startFlush();
    } else if (pendingRows >= Math.min(maxRows, IDLE_FLUSH_ROWS) || maxDelayMs === 0) {
      startFlush();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        startFlush();
      }, maxDelayMs);
    }
  }

  function startFlush(): void {
    if (inFlight || entries.length === 0) return;
    gatherEntries = 0;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    let take = 0;
    let rows = 0;
    while (take < entries.length && (take === 0 || rows + entries[take]!.rows <= maxRows)) {
      rows += entries[take]!.rows;
      take++;
    }
    const batch = entries.slice(0, take);
    entries = entries.slice(take);
    pendingRows -= rows;
    inFlight = writeBatch(batch, rows).finally(() => {
      inFlight = undefined;
      if (entries.length > 0) afterInsert(batch.length);
    });
  }

  /**
   * Rows that arrived during the insert have already waited. They are written at once when
   * they fill a batch or when the clients of the insert just done are unlikely to add to
   * them in time; otherwise the writer waits a little (GATHER_SHARE) for those clients'
   * next requests: until as many more requests are pending as that insert held.
   */
  function afterInsert(justWritten: number): void {
    const wait = Math.min(maxDelayMs, lastInsertMs * GATHER_SHARE);
    if (closed || pendingRows >= maxRows || wait < 1) {
      startFlush();
      return;
    }
    gatherEntries = entries.length + justWritten;
    timer = setTimeout(() => {
      timer = undefined;
      startFlush();
    }, wait);
  }

  async function writeBatch(batch: Entry[], rows: number): Promise<void> {
    // The payloads go to the engine as they are: one insert, no concatenated copy.
    const payloads = batch.map((e) => e.payload);
    let bytes = 0;
    for (const p of payloads) bytes += p.length;
    const started = process.hrtime.bigint();
    try {
      const hooks = options.hooks;
      // The lookup of `before` overlaps the insert: on two cores it takes the other one.
      const before = hooks?.before(payloads).then(
        (state) => ({ ok: true as const, state }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      await db.insertRows(table, payloads, columns);
      if (hooks && before) {
        const b = await before;
        try {
          if (!b.ok) throw b.error;
          await hooks.after(b.state);
        } catch (error) {
          options.onError?.(error);
        }
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      lastInsertMs = seconds * 1000;
      options.onBatch?.(table, rows, seconds);
      for (const e of batch) e.resolve();
    } catch (cause) {
      options.onError?.(cause);
      const error = new PyflareError('STORAGE_UNAVAILABLE', `could not write ${table}; retry`, {
        cause,
        retryAfter: 1,
      });
      for (const e of batch) e.reject(error);
    } finally {
      admission.release(rows, bytes);
    }
  }

  return {
    /**
     * Queues a payload of `rows` rows (from `createIngestEncoder(table)`); resolves once
     * durable. The caller must have acquired `rows` and `payload.length` from the admission
     * first.
     */
    write(payload: Buffer, rows: number): Promise<void> {
      if (closed) {
        admission.release(rows, payload.length);
        return Promise.reject(
          new PyflareError('SHUTTING_DOWN', 'server is shutting down', { retryAfter: 5 }),
        );
      }
      return new Promise<void>((resolve, reject) => {
        entries.push({ payload, rows, resolve, reject });
        pendingRows += rows;
        schedule();
      });
    },
    get pendingRows() {
      return pendingRows;
    },
    /** Writes everything pending and waits for it. */
    async flush(): Promise<void> {
      while (inFlight || entries.length > 0) {
        if (!inFlight) startFlush();
        await inFlight?.catch(() => undefined);
      }
    },
    /** Refuses new writes, then flushes what was accepted. */
    async close(): Promise<void> {
      closed = true;
      await this.flush();
    },
  };
}

export type BatchWriter = ReturnType<typeof createBatchWriter>;
