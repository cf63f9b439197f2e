import { describe, expect, it } from 'vitest';
import { niceStep, ticks } from './ticks.ts';

describe('ruler ticks', () => {
  it('steps by 1, 2 or 5 times a power of ten, enough to stay under the label count', () => {
    expect(niceStep(1_000_000_000, 6)).toBe(200_000_000);
    expect(niceStep(420_000_000, 5)).toBe(100_000_000);
    expect(niceStep(7_300, 4)).toBe(2_000);
    expect(ticks(0, 1_000, 5)).toEqual([0, 200, 400, 600, 800, 1_000]);
  });

  it('never steps below a nanosecond, so a tiny timeline repeats no label', () => {
    // A zero-length trace's timeline is 1 ns wide; it used to get ticks 0.2 ns apart.
    expect(ticks(0, 1, 6)).toEqual([0, 1]);
    expect(ticks(0, 3, 6)).toEqual([0, 1, 2, 3]);
    const zoomed = ticks(1_000_000, 1_000_004, 6);
    expect(zoomed).toEqual([1_000_000, 1_000_001, 1_000_002, 1_000_003, 1_000_004]);
    expect(new Set(zoomed.map(Math.round)).size).toBe(zoomed.length);
  });

  it('starts at the first step inside the view', () => {
    expect(ticks(150, 1_150, 5)).toEqual([200, 400, 600, 800, 1_000]);
  });
});
