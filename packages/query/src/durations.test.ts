import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, readDuration } from './durations.ts';
import { QuerySyntaxError } from './errors.ts';

describe('parseDuration', () => {
  it.each([
    ['100ns', 100],
    ['5us', 5_000],
    ['5µs', 5_000],
    ['5μs', 5_000],
    ['250ms', 250_000_000],
    ['1s', 1_000_000_000],
    ['1.5s', 1_500_000_000],
    ['2m', 120_000_000_000],
    ['1h', 3_600_000_000_000],
    ['1d', 86_400_000_000_000],
    ['1.000000001s', 1_000_000_001],
    ['0.1s', 100_000_000],
    ['1.5S', 1_500_000_000],
    ['0', 0],
  ])('reads %s as %d ns', (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
  });

  it('reads a bare number as milliseconds', () => {
    expect(parseDuration('250')).toBe(250_000_000);
    expect(parseDuration('1.5')).toBe(1_500_000);
  });

  it('rounds fractions of a nanosecond to the nearest', () => {
    expect(parseDuration('1.5ns')).toBe(2);
    expect(parseDuration('1.4ns')).toBe(1);
    expect(parseDuration('0.0000001ms')).toBe(0);
  });

  it.each(['fast', '', '1.s', '.5s', '1e3ms', '-1s', '1 s', '1sec', '1.5.5s', '5w'])(
    'rejects %j with a hint',
    (text) => {
      const error = (() => {
        try {
          parseDuration(text);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(QuerySyntaxError);
      expect(error).toMatchObject({
        code: 'invalid_value',
        message: `invalid duration '${text}' (use e.g. 500ms, 1.5s, 2m)`,
        start: 0,
        end: text.length,
      });
    },
  );

  it('rejects durations beyond the largest safe integer of nanoseconds', () => {
    expect(parseDuration('104d')).toBe(8_985_600_000_000_000);
    expect(() => parseDuration('105d')).toThrow("duration '105d' is too large");
    expect(() => parseDuration('99999999999999999999999h')).toThrow('too large');
  });

  it('can require a unit', () => {
    expect(readDuration('5', { requireUnit: true }).ok).toBe(false);
    expect(readDuration('5m', { requireUnit: true })).toEqual({ ok: true, ns: 300_000_000_000 });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1_000, '1us'],
    [1_500, '1.5us'],
    [1_234_567, '1.234567ms'],
    [100_000_000, '100ms'],
    [1_000_000_000, '1s'],
    [1_500_000_000, '1.5s'],
    [1_000_000_001, '1.000000001s'],
    [61_000_000_000, '61s'],
    [90_000_000_000, '1.5m'],
    [3_600_000_000_000, '1h'],
    [5_400_000_000_000, '1.5h'],
    [86_400_000_000_000, '24h'],
  ])('formats %d ns as %s', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  it('rejects what is not a non-negative integer', () => {
    expect(() => formatDuration(-1)).toThrow(RangeError);
    expect(() => formatDuration(1.5)).toThrow(RangeError);
    expect(() => formatDuration(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips through parseDuration', () => {
    let seed = 42;
    const next = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed;
    };
    const scales = [1, 1_000, 1_000_000, 1_000_000_000, 60_000_000_000, 3_600_000_000_000];
    for (let i = 0; i < 5000; i++) {
      const scale = scales[next() % scales.length] ?? 1;
      const ns = Math.min(Number.MAX_SAFE_INTEGER, (next() % 100_000) * scale + (next() % 1000));
      expect(parseDuration(formatDuration(ns))).toBe(ns);
    }
    expect(parseDuration(formatDuration(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });
});
