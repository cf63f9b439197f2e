import { PyflareError } from '../../errors.ts';
import { parseDurationNs } from './params.ts';

/** Most points one series may have; a smaller step is refused. */
export const MAX_POINTS = 10_000;
/** About this many points when the request gives no step. */
export const TARGET_POINTS = 100;
export const MIN_STEP_MS = 1000;

const S = 1000;
const NICE_STEPS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
].map((s) => s * S);

/** The smallest "round" step giving at most TARGET_POINTS points over the range. */
export function defaultStepMs(rangeMs: number): number {
  const wanted = rangeMs / TARGET_POINTS;
  const nice = NICE_STEPS_MS.find((s) => s >= wanted);
  if (nice !== undefined) return nice;
  const day = 86_400 * S;
  return Math.ceil(wanted / day) * day;
}

/** `step`: a duration with a unit (`30s`, `5m`) or a bare number of seconds → ms. */
export function parseStepMs(text: string): number | undefined {
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * S);
  const ns = parseDurationNs(text);
  return ns === undefined ? undefined : Math.round(ns / 1e6);
}

/** The step to use: the requested one (checked) or a default for the range. */
export function resolveStepMs(step: string | undefined, rangeMs: number): number {
  if (step === undefined) return Math.max(MIN_STEP_MS, defaultStepMs(rangeMs));
  const ms = parseStepMs(step);
  if (ms === undefined) {
    throw new PyflareError(
      'BAD_REQUEST',
      `invalid step '${step}' (use e.g. 30s, 5m, 1h, or seconds)`,
    );
  }
  if (ms < MIN_STEP_MS) throw new PyflareError('BAD_REQUEST', `step must be at least 1s`);
  const points = Math.ceil(rangeMs / ms) + 1;
  if (points > MAX_POINTS) {
    throw new PyflareError(
      'BAD_REQUEST',
      `step ${step} gives ${points} points over the range; at most ${MAX_POINTS} are allowed`,
    );
  }
  return ms;
}
