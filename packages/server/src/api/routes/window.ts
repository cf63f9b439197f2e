import { PyflareError } from '../../errors.ts';
import type { ClosedWindow, TimeWindow } from '../../storage/queries/sql-params.ts';

/** The look-back when a request gives no start time. */
export const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

const NS_PER_MS = 1_000_000n;

export interface TimeBoundsMs {
  /** epoch ms, inclusive */
  from?: number;
  /** epoch ms, inclusive */
  to?: number;
}

/** 400 when a request's own `from` is after its `to`. */
export function assertOrdered({ from, to }: TimeBoundsMs): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new PyflareError('BAD_REQUEST', `'from' (${from}) is after 'to' (${to})`);
  }
}

/**
 * A window from inclusive epoch-ms bounds: without `from`, the 24 hours before `to` (or
 * before now); without `to`, open-ended (so spans from clocks running a little ahead are
 * not hidden). `to` covers its whole millisecond. Bounds that cross give an empty window.
 */
export function resolveWindow(bounds: TimeBoundsMs, now: number): TimeWindow {
  const { from, to } = bounds;
  const fromMs = from ?? (to ?? now) - DEFAULT_WINDOW_MS;
  return {
    fromNs: BigInt(fromMs) * NS_PER_MS,
    toNs: to === undefined ? undefined : BigInt(to) * NS_PER_MS + (NS_PER_MS - 1n),
  };
}

/** Both bounds, `to` defaulting to now (for metric series, which need an end). */
export function resolveClosedWindow(bounds: TimeBoundsMs, now: number): ClosedWindow {
  assertOrdered(bounds);
  const window = resolveWindow({ ...bounds, to: bounds.to ?? now }, now);
  return { fromNs: window.fromNs, toNs: window.toNs ?? BigInt(now) * NS_PER_MS };
}

/** The intersection of two sets of bounds (the later start, the earlier end). */
export function intersectBounds(a: TimeBoundsMs, b: TimeBoundsMs | undefined): TimeBoundsMs {
  if (b === undefined) return a;
  const pick = (x: number | undefined, y: number | undefined, f: (...v: number[]) => number) =>
    x === undefined ? y : y === undefined ? x : f(x, y);
  return { from: pick(a.from, b.from, Math.max), to: pick(a.to, b.to, Math.min) };
}
