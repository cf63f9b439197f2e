import type { TraceFilter } from '@pyflare/query';
import type { Database } from '../storage/database.ts';
import { getTraceSummaries, type TraceSummary } from '../storage/queries/trace-summary.ts';
import { matchTraces, traceStarts } from './match-traces.ts';

export interface LiveTracesOptions {
  db: Database;
  /** Events are coalesced: each subscription gets a batch at most this often. */
  flushMs?: number;
  /** Trace ids waiting per project; beyond it the oldest are forgotten (memory stays bounded). */
  maxPendingPerProject?: number;
  /** Events one subscription gets per flush at most (the newest traces win). */
  maxEventsPerFlush?: number;
  /** Subscriptions in all; more are refused. */
  maxSubscriptions?: number;
  onError?: (error: unknown) => void;
}

export interface TraceSubscription {
  projectId: string;
  filter: TraceFilter;
  /** Subscriptions with the same key share one match query (the normalized q). */
  key: string;
  send: (summary: TraceSummary) => void;
}

/**
 * The `traces` channel: told of traces whose spans became durable, it finds, every
 * `flushMs`, which of them match each subscription's filter (one query per distinct filter
 * and project, with the trace search's own SQL) and sends their summaries. Nothing is
 * queried while nobody listens.
 */
export class LiveTraces {
  readonly #db: Database;
  readonly #flushMs: number;
  readonly #maxPending: number;
  readonly #maxEvents: number;
  readonly #maxSubs: number;
  readonly #onError: (error: unknown) => void;
  readonly #subs = new Set<TraceSubscription>();
  #pending = new Map<string, Set<string>>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #closed = false;
  /** Trace ids forgotten because a project's pending set was full. */
  dropped = 0;

  constructor(options: LiveTracesOptions) {
    this.#db = options.db;
    this.#flushMs = options.flushMs ?? 250;
    this.#maxPending = options.maxPendingPerProject ?? 2000;
    this.#maxEvents = options.maxEventsPerFlush ?? 200;
    this.#maxSubs = options.maxSubscriptions ?? 10_000;
    this.#onError = options.onError ?? (() => undefined);
  }

  get subscriptions(): number {
    return this.#subs.size;
  }

  /** Adds a subscription; returns the function that removes it, or undefined when full. */
  subscribe(sub: TraceSubscription): (() => void) | undefined {
    if (this.#subs.size >= this.#maxSubs) return undefined;
    this.#subs.add(sub);
    return () => {
      this.#subs.delete(sub);
    };
  }

  /** True when someone listens to the project (or, without one, to any project). */
  wants(projectId?: string): boolean {
    if (projectId === undefined) return this.#subs.size > 0;
    for (const s of this.#subs) if (s.projectId === projectId) return true;
    return false;
  }

  /** Traces of a project whose spans are now durable. */
  offer(projectId: string, traceIds: Iterable<string>): void {
    if (this.#closed || !this.wants(projectId)) return;
    let pending = this.#pending.get(projectId);
    if (!pending) this.#pending.set(projectId, (pending = new Set()));
    for (const id of traceIds) {
      pending.delete(id);
      pending.add(id);
    }
    while (pending.size > this.#maxPending) {
      const oldest = pending.values().next().value as string;
      pending.delete(oldest);
      this.dropped++;
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#flushing) {
        // One flush at a time; what arrives meanwhile goes in the next one.
        void this.#flushing.then(() => this.#schedule());
        return;
      }
      this.#flushing = this.flush()
        .catch(this.#onError)
        .finally(() => {
          this.#flushing = undefined;
        });
    }, this.#flushMs);
    this.#timer.unref();
  }

  /** Matches and sends what is pending now. */
  async flush(): Promise<void> {
    const pending = this.#pending;
    this.#pending = new Map();
    for (const [projectId, ids] of pending) {
      const subs = [...this.#subs].filter((s) => s.projectId === projectId);
      if (subs.length === 0) continue;
      await this.#flushProject(projectId, [...ids].slice(-this.#maxEvents), subs);
    }
  }

  async #flushProject(projectId: string, ids: string[], subs: TraceSubscription[]) {
    const candidates = await traceStarts(this.#db, projectId, ids);
    if (candidates.length === 0) return;
    const byKey = new Map<string, TraceSubscription[]>();
    for (const s of subs) {
      const list = byKey.get(s.key);
      if (list) list.push(s);
      else byKey.set(s.key, [s]);
    }
    const matchedByKey = new Map<string, string[]>();
    const all = new Set<string>();
    for (const [key, group] of byKey) {
      const matched = await matchTraces(this.#db, projectId, group[0]!.filter, candidates);
      matchedByKey.set(key, matched);
      for (const id of matched) all.add(id);
    }
    if (all.size === 0) return;
    const summaries = new Map(
      (await getTraceSummaries(this.#db, projectId, [...all])).map((t) => [t.traceId, t]),
    );
    // Oldest first, so a client that prepends shows the newest on top.
    const order = new Map(candidates.map((c, i) => [c.traceId, i]));
    for (const [key, matched] of matchedByKey) {
      const events = matched
        .flatMap((id) => summaries.get(id) ?? [])
        .sort((a, b) => order.get(a.traceId)! - order.get(b.traceId)!);
      for (const sub of byKey.get(key)!) {
        if (!this.#subs.has(sub)) continue;
        for (const summary of events) sub.send(summary);
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#subs.clear();
    this.#pending.clear();
    await this.#flushing;
  }
}
