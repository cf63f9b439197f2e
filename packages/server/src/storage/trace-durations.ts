import { durableTraceIds } from '../ws/durable-trace-ids.ts';
import type { InsertHooks } from '../transport/batch-writer.ts';
import type { Database } from './database.ts';
import { traceKeys } from './queries/trace-key.ts';

/**
 * Keeps `trace_durations` (migration 0009) holding, for every trace, one row with the trace's
 * whole bounds (its current row), which the duration sort reads (queries/duration-walk.ts).
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
 * between 2 and 3 leaves a trace without a current row; `repair` (run at start-up) writes one
 * for every trace whose rows do not include one. A failed step 3 is retried with the next
 * batch's and by the next start-up's repair.
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

/** Inserts each trace's union of the rows of `from` (grouped by project and trace). */
const INSERT_UNION = (from: string) => `
INSERT INTO trace_durations
SELECT
    project_id,
    toStartOfTenMinutes(toDateTime(min(start_time), 'UTC')) AS start_bucket,
    trace_id,
    min(start_time) AS trace_start,
    max(end_time) AS trace_end,
    max(retention_days) AS trace_retention_days
FROM ${from}`;

/** A current row per listed trace, from `trace_index`. */
const CURRENT_ROWS_SQL = `${INSERT_UNION('trace_index')}
WHERE project_id = {projectId:String} AND trace_id IN ${traceKeys('{ids:Array(String)}')}
GROUP BY project_id, trace_id`;

/**
 * Traces with several rows none of which spans all the others: every insert of spans wrote a
 * partial row through the view, so the union of a trace's rows is its bounds. Most traces have
 * one row; those with several are found first by a count per id alone (a fixed 16-byte key:
 * 130 ms at 1M traces, against 400 ms grouped by project and id, 1.1 s with the rows' bounds
 * gathered), then only their rows are gathered and checked.
 */
const REPAIR_SQL = `${INSERT_UNION('trace_durations')}
WHERE trace_id IN (SELECT trace_id FROM trace_durations GROUP BY trace_id HAVING count() > 1)
GROUP BY project_id, trace_id
HAVING NOT has(groupArray((start_time, end_time)), (min(start_time), max(end_time)))`;

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
