import { describe, expect, it } from 'vitest';
import { formatTimestamp, readRelativeTime, readTimestamp } from './time.ts';

const NOW = Date.UTC(2026, 10, 5, 12, 0, 0);
const DAY = 86_400_000;

describe('readTimestamp', () => {
  it('reads a date as its whole UTC day', () => {
    expect(readTimestamp('2026-11-01')).toEqual({
      ok: true,
      bounds: { start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 10, 2) - 1 },
    });
  });

  it('reads a date-time as one millisecond', () => {
    const t = Date.UTC(2026, 10, 1, 10, 30, 15);
    expect(readTimestamp('2026-11-01T10:30:15Z')).toEqual({
      ok: true,
      bounds: { start: t, end: t },
    });
    expect(readTimestamp('2026-11-01t10:30:15z')).toEqual({
      ok: true,
      bounds: { start: t, end: t },
    });
  });

  it('accepts minutes only, fractional seconds (truncated to ms) and offsets', () => {
    const at = (text: string): number | undefined => {
      const result = readTimestamp(text);
      return result.ok ? result.bounds.start : undefined;
    };
    expect(at('2026-11-01T10:30')).toBe(Date.UTC(2026, 10, 1, 10, 30));
    expect(at('2026-11-01T10:30:15.5Z')).toBe(Date.UTC(2026, 10, 1, 10, 30, 15, 500));
    expect(at('2026-11-01T10:30:15.123999Z')).toBe(Date.UTC(2026, 10, 1, 10, 30, 15, 123));
    expect(at('2026-11-01T10:00:00+02:00')).toBe(Date.UTC(2026, 10, 1, 8));
    expect(at('2026-11-01T10:00:00-0530')).toBe(Date.UTC(2026, 10, 1, 15, 30));
  });

  it('reads dates and zone-less times at the given UTC offset', () => {
    expect(readTimestamp('2026-11-01', 120)).toEqual({
      ok: true,
      bounds: { start: Date.UTC(2026, 9, 31, 22), end: Date.UTC(2026, 10, 1, 22) - 1 },
    });
    const result = readTimestamp('2026-11-01T10:00', -60);
    expect(result.ok && result.bounds.start).toBe(Date.UTC(2026, 10, 1, 11));
    const zoned = readTimestamp('2026-11-01T10:00Z', -60);
    expect(zoned.ok && zoned.bounds.start).toBe(Date.UTC(2026, 10, 1, 10));
  });

  it('handles leap years and early years exactly', () => {
    expect(readTimestamp('2024-02-29').ok).toBe(true);
    expect(readTimestamp('2026-02-29')).toEqual({
      ok: false,
      message: "invalid date '2026-02-29' (no such day)",
    });
    const early = readTimestamp('0050-03-01T00:00:00Z');
    expect(early.ok && early.bounds.start).toBe(new Date('0050-03-01T00:00:00Z').getTime());
  });

  it.each(['2026-13-01', '2026-11-31', '2026-00-10'])('rejects the impossible date %s', (text) => {
    expect(readTimestamp(text)).toEqual({
      ok: false,
      message: `invalid date '${text}' (no such day)`,
    });
  });

  it.each([
    '2026-11-01T24:00Z',
    '2026-11-01T10:60Z',
    '2026-11-01T10:00:60Z',
    '2026-11-01T10:00+24:00',
  ])('rejects the impossible time %s', (text) => {
    expect(readTimestamp(text)).toEqual({
      ok: false,
      message: `invalid time of day in '${text}'`,
    });
  });

  it.each(['soon', '2026-11', '26-11-01', '2026-11-01T10', '2026-11-01 10:00', '1730000000000'])(
    'rejects %j with a hint',
    (text) => {
      expect(readTimestamp(text)).toEqual({
        ok: false,
        message: `invalid time '${text}' (use e.g. last-1h, today, 2026-11-01, 2026-11-01T10:00:00Z or A..B)`,
      });
    },
  );
});

describe('readRelativeTime', () => {
  it.each([
    ['last-30s', 30_000],
    ['last-15m', 900_000],
    ['last-1h', 3_600_000],
    ['last-7d', 7 * DAY],
    ['last-1.5h', 5_400_000],
    ['LAST-1H', 3_600_000],
  ])('reads %s as the span up to now', (text, ms) => {
    expect(readRelativeTime(text, NOW)).toEqual({
      ok: true,
      bounds: { start: NOW - ms, end: NOW },
    });
  });

  it('reads today and yesterday as whole days', () => {
    const today = Date.UTC(2026, 10, 5);
    expect(readRelativeTime('today', NOW)).toEqual({
      ok: true,
      bounds: { start: today, end: today + DAY - 1 },
    });
    expect(readRelativeTime('Yesterday', NOW)).toEqual({
      ok: true,
      bounds: { start: today - DAY, end: today - 1 },
    });
  });

  it('takes the day at the UTC offset', () => {
    const lateEvening = Date.UTC(2026, 10, 5, 23, 30);
    const localToday = Date.UTC(2026, 10, 5, 22); // 2026-11-06 00:00 at UTC+2
    expect(readRelativeTime('today', lateEvening, 120)).toEqual({
      ok: true,
      bounds: { start: localToday, end: localToday + DAY - 1 },
    });
  });

  it('returns undefined for what is not relative', () => {
    expect(readRelativeTime('2026-11-01', NOW)).toBeUndefined();
    expect(readRelativeTime('last', NOW)).toBeUndefined();
  });

  it.each(['last-', 'last-1', 'last-fast', 'last-0s', 'last--1h'])('rejects %s', (text) => {
    expect(readRelativeTime(text, NOW)).toEqual({
      ok: false,
      message: `invalid relative time '${text}' (use e.g. last-30s, last-15m, last-1h, last-7d)`,
    });
  });
});

describe('formatTimestamp', () => {
  it('prints ISO UTC, with milliseconds only when present', () => {
    expect(formatTimestamp(Date.UTC(2026, 10, 1))).toBe('2026-11-01T00:00:00Z');
    expect(formatTimestamp(Date.UTC(2026, 10, 1, 0, 0, 0, 7))).toBe('2026-11-01T00:00:00.007Z');
  });

  it('round-trips through readTimestamp', () => {
    for (let ms = -62_000_000_000_000; ms < 250_000_000_000_000; ms += 987_654_321_123) {
      expect(readTimestamp(formatTimestamp(ms))).toEqual({
        ok: true,
        bounds: { start: ms, end: ms },
      });
    }
  });
});
