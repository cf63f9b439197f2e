import type { TimeWindow } from './sql-params.ts';

/** Each slice is this many times longer than the one before. */
const GROWTH = 8n;
/** Slices tried before the whole window: 1/64, then 1/8. */
const SLICES = 2;

/**
 * Slices of a window to search in turn when results are sorted by start time: the newest
 * (desc) or oldest (asc) 1/64 of the window, then 1/8, then all of it. Results starting in
 * a slice rank before every result outside it, so a slice that yields a full page gives
 * exactly the page the whole window would, while reading a fraction of it. An open end is
 * anchored at `nowNs`.
 */
export function progressiveWindows(
  window: TimeWindow,
  order: 'asc' | 'desc',
  nowNs: bigint,
): TimeWindow[] {
  const end = window.toNs ?? (nowNs > window.fromNs ? nowNs : window.fromNs);
  const length = end - window.fromNs;
  if (length <= 0n) return [window];
  const slices: TimeWindow[] = [];
  for (let i = SLICES; i >= 1; i--) {
    const part = length / GROWTH ** BigInt(i);
    if (part <= 0n) continue;
    slices.push(
      order === 'desc'
        ? { fromNs: end - part, toNs: window.toNs }
        : { fromNs: window.fromNs, toNs: window.fromNs + part },
    );
  }
  slices.push(window);
  return slices;
}
