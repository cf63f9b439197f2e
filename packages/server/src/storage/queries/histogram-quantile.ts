/**
 * The q-quantile of an explicit-bucket histogram (OTLP): bucket i counts the values in
 * (bounds[i-1], bounds[i]], the first bucket (-inf, bounds[0]], the last (bounds[n-1], +inf).
 * The value is interpolated linearly inside the bucket that holds rank q × total, as
 * Prometheus' histogram_quantile does. The open ends use the recorded min and max when
 * known; otherwise the first bucket starts at 0 (when its bound is positive) and the
 * overflow bucket answers its lower bound. min and max also clamp the result.
 *
 * @example
 * histogramQuantile(0.5, [1, 2, 4], [2, 2, 4, 0]); // 2
 * histogramQuantile(0.9, [1, 2, 4], [2, 2, 4, 0]); // 3.6
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: readonly number[],
  range: { min?: number | null; max?: number | null } = {},
): number | undefined {
  if (!(q >= 0 && q <= 1)) return undefined;
  const total = counts.reduce((a, c) => a + Math.max(0, c), 0);
  if (total <= 0) return undefined;
  const min = range.min ?? undefined;
  const max = range.max ?? undefined;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = Math.max(0, counts[i] ?? 0);
    if (count === 0 || below + count < rank) {
      below += count;
      continue;
    }
    let upper = i < bounds.length ? bounds[i] : undefined;
    let lower = i > 0 ? bounds[i - 1] : undefined;
    if (lower === undefined) lower = min ?? (upper !== undefined && upper > 0 ? 0 : upper);
    if (upper === undefined) upper = max ?? lower;
    if (lower === undefined || upper === undefined) return undefined;
    if (min !== undefined && min > lower) lower = Math.min(min, upper);
    if (max !== undefined && max < upper) upper = Math.max(max, lower);
    return lower + ((upper - lower) * (rank - below)) / count;
  }
  return undefined;
}
