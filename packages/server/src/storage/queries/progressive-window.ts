import type { TimeWindow } from './sql-params.ts';

/** The first slice tried: the newest (desc) or oldest (asc) 1/64 of the window. */
const FIRST_FRACTION = 1 / 64;
/** A slice grows at most this much from one try to the next. */
const MAX_GROWTH = 64;
/** Growth after a slice with no result at all (the newest data may just be older). */
const EMPTY_GROWTH = 8;
/** Past this fraction the next try is the whole window. */
const WHOLE_FROM = 0.4;

/**
 * The newest (desc) or oldest (asc) `fraction` of a window; the whole window when the
 * fraction reaches 1. An open end is anchored at `nowNs` and kept open.
 */
export function sliceOf(
  window: TimeWindow,
  order: 'asc' | 'desc',
  nowNs: bigint,
  fraction: number,
): TimeWindow {
  if (fraction >= 1) return window;
  const end = window.toNs ?? (nowNs > window.fromNs ? nowNs : window.fromNs);
  const length = end - window.fromNs;
  const part = BigInt(Math.floor(Number(length) * fraction));
  if (length <= 0n || part <= 0n) return window;
  return order === 'desc'
    ? { fromNs: end - part, toNs: window.toNs }
    : { fromNs: window.fromNs, toNs: window.fromNs + part };
}

/**
 * The fraction to try after a slice of `fraction` found `found` of the `wanted` results:
 * grown to where, at the density seen, twice the results wanted should lie (at most 64
 * times; 8 times when nothing was found), so at least double, as fewer than `wanted` were
 * found; 1 (the whole window) past 40%.
 */
export function nextFraction(fraction: number, found: number, wanted: number): number {
  const growth = found <= 0 ? EMPTY_GROWTH : Math.min(MAX_GROWTH, Math.ceil((2 * wanted) / found));
  const next = fraction * growth;
  return next >= WHOLE_FROM ? 1 : next;
}

/**
 * Runs a time-sorted search in growing slices of its window: results starting in a slice
 * rank before every result outside it, so a slice holding more than `limit` results gives
 * exactly the page the whole window would, while reading a fraction of it. The slices grow
 * with the density of results seen (see nextFraction), so a rare filter reaches the whole
 * window in two or three tries and a common one stops at the first. `run` learns which
 * fraction of the window its slice is (1 for the whole). Of a slice's result that does not
 * exceed `limit` only the length counts (it decides how much the next slice grows), so `run`
 * may return an upper bound of the results there instead (trace search: unchecked candidates).
 */
export async function searchInSlices<T>(
  window: TimeWindow,
  order: 'asc' | 'desc',
  nowNs: bigint,
  limit: number,
  run: (slice: TimeWindow, fraction: number) => Promise<T[]>,
): Promise<T[]> {
  let fraction = FIRST_FRACTION;
  for (;;) {
    const slice = sliceOf(window, order, nowNs, fraction);
    const rows = await run(slice, slice === window ? 1 : fraction);
    if (rows.length > limit || slice === window) return rows;
    fraction = nextFraction(fraction, rows.length, limit + 1);
  }
}
