/** Round tick positions for a time ruler over [startNs, endNs]. */
const STEPS = [1, 2, 5];

/**
 * The ruler's step: 1, 2 or 5 times a power of ten, at least 1 ns. Times are whole
 * nanoseconds, so a finer step only repeats labels (a zero-length trace's 1 ns timeline read
 * "0 ns 0 ns 0 ns 1 ns 1 ns 1 ns").
 */
export function niceStep(spanNs: number, maxTicks: number): number {
  if (spanNs <= 0 || maxTicks <= 0) return 1;
  const raw = spanNs / maxTicks;
  if (raw <= 1) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const s of STEPS) if (s * pow >= raw) return s * pow;
  return 10 * pow;
}

export function ticks(startNs: number, endNs: number, maxTicks: number): number[] {
  const step = niceStep(endNs - startNs, maxTicks);
  const out: number[] = [];
  for (let t = Math.ceil(startNs / step) * step; t <= endNs + step * 1e-9; t += step) out.push(t);
  return out;
}
