import { durableTraceIds } from '../ws/durable-trace-ids.ts';
import type { InsertHooks } from '../transport/batch-writer.ts';
import type { Database } from './database.ts';
import { traceKeys } from './queries/trace-key.ts';

/**
 * Keeps `trace_durations` (migrations 0009, 0012) holding, for every trace, one row with the
 * trace's whole bounds and total tokens (its current row), which the duration and token sorts
 * read (queries/duration-walk.ts).
 * The materialized view writes each insert's part of each trace; that part is the whole trace
 * unless the trace had spans stored already. So around each span insert:
 *
 * 1. `before`, alongside the insert: which of the batch's traces already have spans (a
 *    primary-key lookup in `trace_index`, which is ordered by trace id);
 * 2. the insert (the views write its partial rows);
 * 3. `after`: for those traces, a current row computed from `trace_index`, which now holds
 *    the insert's spans too.
 *
 * The batch writer serializes batches, so step 1 of a batch sees every earlier batch. It may
 * also see some of the batch's own rows, as it runs during the insert: a trace new in the batch
 * then gets a current row it did not need, equal to its partial row, which merges fold. A crash
 * between 2 and 3 leaves a trace without a current row; `repair` (run at start-up unless the
 * last stop was clean, storage/clean-shutdown.ts) writes one for every trace whose rows do not
 * include one. A failed step 3 is retried with the next batch's and by the next start-up's
 * repair (a stop after a failed upkeep is not clean).
 */
export interface TraceDurationIndex {
  /** Of the traces about to get spans, those that have some already. */
  before(traces: TraceIds): Promise<TraceIds>;
  /** Writes the current rows of the traces `before` returned, once their spans are stored. */
  after(continued: TraceIds): Promise<void>;
  /** Writes the missing current rows. */
  repair(): Promise<void>;
}

/** Hex trace ids by project. */
export type TraceIds = Map<string, Set<string>>;

/** At most this many ids per lookup statement (its parameter stays under a few hundred kB). */
const IDS_PER_STATEMENT = 5000;

/**
 * The listed traces that have rows in `trace_index`. A granule per id, read by one thread with
 * plain `pread`: about 13 ms for 400 ids at 1M traces, 15% less than with the thread pool.
 */
const LOOKUP_SQL = `
SELECT lower(hex(trace_id)) AS id FROM trace_index
WHERE project_id = {projectId:String} AND trace_id IN ${traceKeys('{ids:Array(String)}')}
SETTINGS max_threads = 1, local_filesystem_read_method = 'pread'`;

/** A current row per listed trace: its bounds and total tokens in `trace_index`. */
const CURRENT_ROWS_SQL = `
INSERT INTO trace_durations
    (project_id, start_bucket, trace_id, start_time, end_time, retention_days, total_tokens)
SELECT
    project_id,
    toStartOfTenMinutes(toDateTime(min(start_time), 'UTC')) AS start_bucket,
    trace_id,
    min(start_time) AS trace_start,
    max(end_time) AS trace_end,
    max(retention_days) AS trace_retention_days,
    sum(total_tokens) AS trace_tokens
FROM trace_index
WHERE project_id = {projectId:String} AND trace_id IN ${traceKeys('{ids:Array(String)}')}
GROUP BY project_id, trace_id`;

/**
 * A current row for every trace none of whose rows in `trace_durations` holds its bounds and
 * total from `trace_index`. Every row is compared, not only traces with several rows: a
 * trace's partial rows in one bucket merge into one row holding the union of their bounds but
 * the largest partial total, not the sum (migration 0012). The rows are compared by a 64-bit
 * hash, so the set stays 8 bytes per row (a false match, a trace left without its current
 * row, has a chance of about one in 2^64 / rows). About 0.5 s at 1M traces (10M spans),
 * once per start after an unclean stop.
 */
const REPAIR_SQL = `
INSERT INTO trace_durations
    (project_id, start_bucket, trace_id, start_time, end_time, retention_days, total_tokens)
SELECT
    project_id,
    toStartOfTenMinutes(toDateTime(trace_start, 'UTC')) AS start_bucket,
    trace_id,
    trace_start,
    trace_end,
    trace_retention_days,
    trace_tokens
FROM
(
    SELECT
        project_id, trace_id,
        min(start_time) AS trace_start,
        max(end_time) AS trace_end,
        max(retention_days) AS trace_retention_days,
        sum(total_tokens) AS trace_tokens
    FROM trace_index
    GROUP BY project_id, trace_id
)
WHERE cityHash64(project_id, trace_id, trace_start, trace_end, trace_tokens) NOT IN (
    SELECT cityHash64(project_id, trace_id, start_time, end_time, total_tokens) FROM trace_durations
)`;

function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    out.push(ids.slice(i, i + IDS_PER_STATEMENT));
  }
  return out;
}

function addAll(into: TraceIds, from: ReadonlyMap<string, ReadonlySet<string>>): void {
  for (const [projectId, ids] of from) {
    let set = into.get(projectId);
    if (!set) into.set(projectId, (set = new Set()));
    for (const id of ids) set.add(id);
  }
}

export function createTraceDurationIndex(db: Database): TraceDurationIndex {
  /** Traces whose current row could not be written yet (a failed `after`). */
  let owed: TraceIds = new Map();

  return {
    async before(traces) {
      const continued: TraceIds = new Map();
      for (const [projectId, ids] of traces) {
        const found = new Set<string>();
        for (const part of chunks([...ids])) {
          const rows = await db.query<{ id: string }>(LOOKUP_SQL, { projectId, ids: part });
          for (const r of rows) found.add(r.id);
        }
        if (found.size > 0) continued.set(projectId, found);
      }
      return continued;
    },

    async after(continued) {
      const todo = owed;
      owed = new Map();
      addAll(todo, continued);
      try {
        for (const [projectId, ids] of todo) {
          for (const part of chunks([...ids])) {
            await db.command(CURRENT_ROWS_SQL, { projectId, ids: part });
          }
        }
      } catch (error) {
        // Owed to the next batch (and the next start-up's repair); the spans are stored, and a
        // current row written twice is merged away.
        addAll(owed, todo);
        throw error;
      }
    },

    async repair() {
      await db.command(REPAIR_SQL);
    },
  };
}

/**
 * The index's upkeep around the batch writer's inserts of RowBinary span payloads. Failures go
 * to `onError`: after a failed lookup every trace of the batch gets a current row, and the rows
 * a failed `after` owes are written with the next batch.
 */
export function spanInsertHooks(
  index: TraceDurationIndex,
  onError: (error: unknown) => void,
): InsertHooks<TraceIds> {
  return {
    async before(payloads) {
      const traces: TraceIds = new Map();
      for (const payload of payloads) addAll(traces, durableTraceIds(payload));
      try {
        return await index.before(traces);
      } catch (error) {
        // Not known which traces continue: all of them get a current row (always right).
        onError(error);
        return traces;
      }
    },
    async after(continued) {
      try {
        await index.after(continued);
      } catch (error) {
        onError(error);
      }
    },
  };
}
