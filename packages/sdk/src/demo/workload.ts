import type { Rand } from './data.ts';

/** What every demo workload gets, and what it reports. */

export interface WorkloadContext {
  /** Fake provider base URL (OpenAI: `${url}/v1`, Anthropic: `${url}`). */
  providerUrl: string;
  /** 0..1: how far through the run we are (the drift and cost episodes key off it). */
  progress(): number;
  /** True once the run's time is up. */
  done(): boolean;
  rand: Rand;
  /** Counts outcomes for the summary. */
  count(outcome: string): void;
}

export interface Workload {
  /** `service.name` of the process running it. */
  service: string;
  /** Share of the total request rate. */
  weight: number;
  /** One request of the workload: one trace. */
  request(ctx: WorkloadContext): Promise<void>;
  /** Called once when the run is over (e.g. labels that were still due). */
  finish?(ctx: WorkloadContext): Promise<void>;
}

/** Resolves after `ms`, or at once when `ms <= 0`. */
export function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));
}
