import { describe, expect, it } from 'vitest';
import { formatAgo, formatCount, formatDeltaNs, formatNs, nsToMs } from './format.ts';

describe('format', () => {
  it('formats durations in the largest readable unit', () => {
    expect(formatNs(500)).toBe('500 ns');
    expect(formatNs(1_500)).toBe('1.50 µs');
    expect(formatNs(12_300_000)).toBe('12.3 ms');
    expect(formatNs(1_250_000_000)).toBe('1.25 s');
    expect(formatNs(185_000_000_000)).toBe('3m 05s');
    expect(formatNs(-1)).toBe('–');
  });
  it('converts ns strings to ms without losing the millisecond part', () => {
    expect(nsToMs('1795331748531456789')).toBeCloseTo(1795331748531.4568, 3);
    expect(nsToMs('1500000')).toBe(1.5);
  });
  it('formats counts and deltas', () => {
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(2_500_000)).toBe('2.5M');
    expect(formatDeltaNs(2_000_000)).toBe('+2.00 ms');
    expect(formatDeltaNs(-2_000_000)).toBe('−2.00 ms');
    expect(formatAgo(1000, 1000 + 42_000)).toBe('42s ago');
  });
});
