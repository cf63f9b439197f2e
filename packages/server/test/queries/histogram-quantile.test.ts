import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../src/storage/queries/histogram-quantile.ts';

// Buckets (-inf,1] (1,2] (2,4] (4,+inf) holding 2, 2, 4, 0 values: 8 in all.
const bounds = [1, 2, 4];
const counts = [2, 2, 4, 0];

describe('histogramQuantile', () => {
  it.each([
    // rank 4 → the end of (1,2]
    [0.5, 2],
    // rank 2 → the end of the first bucket, which starts at 0
    [0.25, 1],
    // rank 1 → half of the first bucket [0,1]
    [0.125, 0.5],
    // rank 7.2 → (2,4], 3.2 of its 4 values: 2 + 2 × 0.8
    [0.9, 3.6],
    // rank 7.92 → 2 + 2 × 3.92/4
    [0.99, 3.96],
    // rank 8 → the end of the last non-empty bucket
    [1, 4],
    // rank 0 → the start of the first non-empty bucket
    [0, 0],
  ])('q=%f of a plain histogram is %f', (q, expected) => {
    expect(histogramQuantile(q, bounds, counts)).toBeCloseTo(expected, 12);
  });

  it('uses the recorded min for the first bucket and clamps to it', () => {
    // rank 0.8 → [0.5, 1] × 0.8/2 = 0.5 + 0.5 × 0.4
    expect(histogramQuantile(0.1, bounds, counts, { min: 0.5 })).toBeCloseTo(0.7, 12);
  });

  it('interpolates into the overflow bucket up to the recorded max', () => {
    // (1,+inf) with max 3: rank 1.5 → 1 + 2 × 0.5
    expect(histogramQuantile(0.75, [1], [1, 1], { max: 3 })).toBeCloseTo(2, 12);
    // Without a max, the overflow bucket answers its lower bound.
    expect(histogramQuantile(0.75, [1], [1, 1])).toBe(1);
  });

  it('clamps the last bucket to the recorded max', () => {
    // (2,4] but nothing above 3: rank 6 → 2 + (3 - 2) × 2/4
    expect(histogramQuantile(0.75, bounds, counts, { max: 3 })).toBeCloseTo(2.5, 12);
  });

  it('handles negative bounds (no zero floor)', () => {
    // (-inf,-1] with 4 values and min -3: rank 2 → -3 + 2 × 2/4
    expect(histogramQuantile(0.5, [-1, 0], [4, 0, 0], { min: -3 })).toBeCloseTo(-2, 12);
    // Without a min the first bucket collapses to its bound.
    expect(histogramQuantile(0.5, [-1, 0], [4, 0, 0])).toBe(-1);
  });

  it('answers undefined for an empty histogram or a bad q', () => {
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0])).toBeUndefined();
    expect(histogramQuantile(1.5, bounds, counts)).toBeUndefined();
    expect(histogramQuantile(Number.NaN, bounds, counts)).toBeUndefined();
    // A single bucket with no bounds needs min and max.
    expect(histogramQuantile(0.5, [], [3])).toBeUndefined();
    expect(histogramQuantile(0.5, [], [4], { min: 0, max: 8 })).toBeCloseTo(4, 12);
  });
});
