import { describe, expect, it } from 'vitest';
import { emptyFilter } from './filter.ts';
import type { TraceFilter } from './filter.ts';
import { parseQuery } from './parser.ts';

const NOW = Date.UTC(2026, 10, 5, 12, 0, 0);
const DAY = 86_400_000;
const S = 1_000_000_000;
const MS = 1_000_000;

function parse(input: string, utcOffsetMinutes?: number): TraceFilter {
  const options = utcOffsetMinutes === undefined ? { now: NOW } : { now: NOW, utcOffsetMinutes };
  return parseQuery(input, options).filter;
}

function filter(parts: Partial<TraceFilter>): TraceFilter {
  return { ...emptyFilter(), ...parts };
}

describe('conditions (through parseQuery)', () => {
  it('reads kinds case-insensitively', () => {
    expect(parse('kind:SERVER,client')).toStrictEqual(
      filter({ strings: [{ field: 'kind', values: ['server', 'client'], negated: false }] }),
    );
  });

  it('reads trace ids, lowercased', () => {
    const id = '4BF92F3577B34DA6A3CE929D0E0E4736';
    const expected = filter({
      strings: [{ field: 'trace', values: [id.toLowerCase()], negated: false }],
    });
    expect(parse(`trace:${id}`)).toStrictEqual(expected);
    expect(parse(`traceid:${id.toLowerCase()}`)).toStrictEqual(expected);
  });

  describe('status', () => {
    it('reads error and ok in any case', () => {
      expect(parse('status:error')).toStrictEqual(filter({ status: 'error' }));
      expect(parse('status:OK')).toStrictEqual(filter({ status: 'ok' }));
    });
  });

  describe('numbers', () => {
    it('reads every comparison', () => {
      expect(
        parse('duration:>1s duration:>=1s duration:<1s duration:<=1s duration:=1s duration:1s')
          .numbers,
      ).toEqual(
        (['>', '>=', '<', '<=', '=', '='] as const).map((op) => ({
          field: 'duration',
          op,
          value: S,
        })),
      );
    });

    it('reads duration units, decimals, and bare numbers as milliseconds', () => {
      expect(parse('duration:>1.5s duration:<250 duration:>100us duration:<2m').numbers).toEqual([
        { field: 'duration', op: '>', value: 1.5 * S },
        { field: 'duration', op: '<', value: 250 * MS },
        { field: 'duration', op: '>', value: 100_000 },
        { field: 'duration', op: '<', value: 120 * S },
      ]);
    });

    it('expands a range to >= and <=', () => {
      expect(parse('duration:100ms..2s').numbers).toEqual([
        { field: 'duration', op: '>=', value: 100 * MS },
        { field: 'duration', op: '<=', value: 2 * S },
      ]);
      expect(parse('tokens:10..10').numbers).toEqual([
        { field: 'tokens', op: '>=', value: 10 },
        { field: 'tokens', op: '<=', value: 10 },
      ]);
    });

    it('reads token and span counts', () => {
      expect(parse('tokens:>=1000 spans:<50 spans:3').numbers).toEqual([
        { field: 'tokens', op: '>=', value: 1000 },
        { field: 'spans', op: '<', value: 50 },
        { field: 'spans', op: '=', value: 3 },
      ]);
    });

    it('accepts a quoted number', () => {
      expect(parse('duration:>"1s"').numbers).toEqual([{ field: 'duration', op: '>', value: S }]);
    });
  });

  describe('time', () => {
    it.each([
      ['last-30s', 30_000],
      ['last-15m', 900_000],
      ['last-1h', 3_600_000],
      ['last-7d', 7 * DAY],
    ])('reads time:%s relative to now', (value, ms) => {
      expect(parse(`time:${value}`).time).toEqual({ from: NOW - ms, to: NOW });
    });

    it('reads today and yesterday as whole UTC days', () => {
      const today = Date.UTC(2026, 10, 5);
      expect(parse('time:today').time).toEqual({ from: today, to: today + DAY - 1 });
      expect(parse('time:yesterday').time).toEqual({ from: today - DAY, to: today - 1 });
    });

    it('reads an absolute range of date-times as given', () => {
      expect(parse('time:2026-11-01T00:00:00Z..2026-11-02T00:00:00Z').time).toEqual({
        from: Date.UTC(2026, 10, 1),
        to: Date.UTC(2026, 10, 2),
      });
    });

    it('reads a range of dates including the whole last day', () => {
      expect(parse('time:2026-11-01..2026-11-02').time).toEqual({
        from: Date.UTC(2026, 10, 1),
        to: Date.UTC(2026, 10, 3) - 1,
      });
      expect(parse('time:2026-11-01').time).toEqual({
        from: Date.UTC(2026, 10, 1),
        to: Date.UTC(2026, 10, 2) - 1,
      });
    });

    it('reads comparisons with inclusive millisecond bounds', () => {
      const t = Date.UTC(2026, 10, 1, 10);
      expect(parse('time:>2026-11-01T10:00:00Z').time).toEqual({ from: t + 1 });
      expect(parse('time:>=2026-11-01T10:00:00Z').time).toEqual({ from: t });
      expect(parse('time:<2026-11-01T10:00:00Z').time).toEqual({ to: t - 1 });
      expect(parse('time:<=2026-11-01T10:00:00Z').time).toEqual({ to: t });
    });

    it('compares against whole days for dates', () => {
      const day = Date.UTC(2026, 10, 1);
      expect(parse('time:>2026-11-01').time).toEqual({ from: day + DAY });
      expect(parse('time:>=2026-11-01').time).toEqual({ from: day });
      expect(parse('time:<2026-11-01').time).toEqual({ to: day - 1 });
      expect(parse('time:<=2026-11-01').time).toEqual({ to: day + DAY - 1 });
    });

    it('reads days and zone-less times at utcOffsetMinutes', () => {
      expect(parse('time:2026-11-01', 120).time).toEqual({
        from: Date.UTC(2026, 9, 31, 22),
        to: Date.UTC(2026, 10, 1, 22) - 1,
      });
      expect(parse('time:>=2026-11-01T10:00', 120).time).toEqual({
        from: Date.UTC(2026, 10, 1, 8),
      });
      expect(parse('time:today', 120).time).toEqual({
        from: Date.UTC(2026, 10, 4, 22),
        to: Date.UTC(2026, 10, 5, 22) - 1,
      });
    });
  });
});
