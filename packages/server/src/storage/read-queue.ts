/**
 * The order in which statements reach the engine's read connection.
 *
 * The connection runs one statement at a time (measured: two concurrent scans on it take as
 * long as the two one after the other), so statements queue either way. Left to the engine,
 * they queue in arrival order on libuv's thread pool, where each waiting one also holds a
 * pool thread that gunzip, file writes and scrypt need. Here they queue in JavaScript
 * instead, with two lanes: `interactive` statements (a trace by id, a list page, a session
 * lookup: what a user waits for) start before `bulk` ones (facet counts, dashboard
 * aggregates: whole-window scans). A statement that has started is never interrupted, so a
 * trace opened while the facets load waits for at most one of their statements instead of
 * all of them (docs/architecture/storage.md, "Read lanes").
 *
 * Bulk work is not starved: after `fairness` interactive starts in a row while bulk
 * statements wait, one bulk statement starts.
 */
export type ReadLane = 'interactive' | 'bulk';

interface Waiting {
  start: () => void;
}

export class ReadQueue {
  readonly #lanes: Record<ReadLane, Waiting[]> = { interactive: [], bulk: [] };
  #running = false;
  #handoff = false;
  #interactiveInARow = 0;

  constructor(private readonly fairness = 8) {}

  /** Runs `fn` when the connection is free and it is this statement's turn. */
  run<T>(lane: ReadLane, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#lanes[lane].push({
        start: () => {
          let done: Promise<T>;
          try {
            done = fn();
          } catch (err) {
            done = Promise.reject(err);
          }
          done.then(resolve, reject).finally(() => {
            this.#running = false;
            // The next pick waits for the callers' continuations (promise jobs, which run
            // before setImmediate): a request reading a trace in two statements queues its
            // second one before a scan queued in the meantime can take the connection.
            this.#handoff = true;
            setImmediate(() => {
              this.#handoff = false;
              this.#next();
            });
          });
        },
      });
      this.#next();
    });
  }

  /** Statements waiting (not counting the one running), by lane. */
  get waiting(): Record<ReadLane, number> {
    return { interactive: this.#lanes.interactive.length, bulk: this.#lanes.bulk.length };
  }

  #next(): void {
    if (this.#running || this.#handoff) return;
    const { interactive, bulk } = this.#lanes;
    const bulkTurn =
      bulk.length > 0 && (interactive.length === 0 || this.#interactiveInARow >= this.fairness);
    const item = bulkTurn ? bulk.shift() : interactive.shift();
    if (item === undefined) return;
    // Counts interactive starts that passed a waiting bulk statement.
    this.#interactiveInARow = bulkTurn || bulk.length === 0 ? 0 : this.#interactiveInARow + 1;
    this.#running = true;
    item.start();
  }
}
