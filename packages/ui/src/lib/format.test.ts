import { describe, expect, it } from 'vitest';
import {
  formatAgo,
  formatCount,
  formatDeltaNs,
  formatNs,
  formatTime,
  fromZonedInput,
  isTimeZone,
  toZonedInput,
  nsToMs,
} from './format.ts';

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
  it('formats times in a chosen IANA zone, in UTC, or locally for an unknown zone', () => {
    const t = Date.UTC(2026, 10, 1, 23, 4, 5, 123);
    expect(formatTime(t, { utc: true })).toBe('2026-11-01 23:04:05.123');
    expect(formatTime(t, { timeZone: 'UTC' })).toBe('2026-11-01 23:04:05.123');
    expect(formatTime(t, { timeZone: 'Asia/Tokyo' })).toBe('2026-11-02 08:04:05.123');
    expect(formatTime(t, { timeZone: 'America/New_York', millis: false })).toBe(
      '2026-11-01 18:04:05',
    );
    expect(formatTime(Date.UTC(2026, 0, 1, 0, 0, 0), { timeZone: 'UTC' })).toBe(
      '2026-01-01 00:00:00.000',
    );
    expect(isTimeZone('Not/AZone')).toBe(false);
    expect(formatTime(t, { timeZone: 'Not/AZone' })).toBe(formatTime(t));
  });
  it('reads and writes datetime-local values as wall time in a zone', () => {
    const t = Date.UTC(2026, 6, 1, 12, 30);
    expect(toZonedInput(t, 'UTC')).toBe('2026-07-01T12:30');
    expect(toZonedInput(t, 'America/New_York')).toBe('2026-07-01T08:30');
    expect(fromZonedInput('2026-07-01T08:30', 'America/New_York')).toBe(t);
    expect(fromZonedInput('2026-01-15T08:30', 'Europe/Berlin')).toBe(Date.UTC(2026, 0, 15, 7, 30));
    expect(fromZonedInput('2026-07-01T12:30', 'UTC')).toBe(t);
  });
});
