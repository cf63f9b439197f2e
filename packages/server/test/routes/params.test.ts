import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/api/routes/cursor.ts';
import { mergeFilters } from '../../src/api/routes/filter-params.ts';
import { parseAttributePair, parseDurationNs, parseTime } from '../../src/api/routes/params.ts';
import { defaultStepMs, parseStepMs } from '../../src/api/routes/step.ts';
import { intersectBounds, resolveWindow } from '../../src/api/routes/window.ts';
import { z } from 'zod';
import { emptyFilter } from '@pyflare/query';

describe('parameter parsing', () => {
  it('reads times as epoch ms or ISO 8601', () => {
    expect(parseTime('1700000000000')).toBe(1_700_000_000_000);
    expect(parseTime('2026-11-01T10:00:00Z')).toBe(Date.UTC(2026, 10, 1, 10));
    expect(parseTime('2026-11-01T10:00:00.250+02:00')).toBe(Date.UTC(2026, 10, 1, 8, 0, 0, 250));
    expect(parseTime('2026-11-01T10:00:00')).toBe(Date.UTC(2026, 10, 1, 10));
    expect(parseTime('2026-11-01')).toBe(Date.UTC(2026, 10, 1));
    for (const bad of ['yesterday', '', '-5', '1e12', '2026-13-01', 'now-1h']) {
      expect(parseTime(bad), bad).toBeUndefined();
    }
  });

  it('reads durations only with a unit', () => {
    expect(parseDurationNs('1.5s')).toBe(1_500_000_000);
    expect(parseDurationNs('250ms')).toBe(250_000_000);
    expect(parseDurationNs('2000000001ns')).toBe(2_000_000_001);
    expect(parseDurationNs('1000')).toBeUndefined();
    expect(parseDurationNs('fast')).toBeUndefined();
  });

  it('reads steps as durations or bare seconds', () => {
    expect(parseStepMs('3600s')).toBe(3_600_000);
    expect(parseStepMs('5m')).toBe(300_000);
    expect(parseStepMs('15')).toBe(15_000);
    expect(parseStepMs('soon')).toBeUndefined();
    expect(defaultStepMs(3_600_000)).toBe(60_000);
    expect(defaultStepMs(86_400_000)).toBe(900_000);
    expect(defaultStepMs(60_000)).toBe(1000);
    expect(defaultStepMs(365 * 86_400_000)).toBe(4 * 86_400_000);
  });

  it('splits attribute pairs at the first colon', () => {
    expect(parseAttributePair('url:http://x:8080/a')).toEqual({
      key: 'url',
      value: 'http://x:8080/a',
    });
    expect(parseAttributePair('k:')).toEqual({ key: 'k', value: '' });
    expect(parseAttributePair(':v')).toBeUndefined();
    expect(parseAttributePair('nocolon')).toBeUndefined();
  });
});

describe('cursors', () => {
  const schema = z.object({ l: z.literal('x'), k: z.string() });
  it('round-trip and refuse anything else', () => {
    expect(decodeCursor(encodeCursor({ l: 'x', k: '12' }), schema)).toEqual({ l: 'x', k: '12' });
    for (const bad of ['', '!!', encodeCursor({ l: 'y', k: '1' }), 'eyJ']) {
      expect(() => decodeCursor(bad, schema), bad).toThrow(/invalid cursor/);
    }
  });
});

describe('time windows', () => {
  const now = 1_700_000_000_000;
  it('defaults to the 24 hours before now, open-ended', () => {
    expect(resolveWindow({}, now)).toEqual({
      fromNs: BigInt(now - 86_400_000) * 1_000_000n,
      toNs: undefined,
    });
  });
  it('makes `to` cover its whole millisecond', () => {
    expect(resolveWindow({ from: 5, to: 7 }, now)).toEqual({
      fromNs: 5_000_000n,
      toNs: 7_999_999n,
    });
  });
  it('intersects request bounds with the query’s', () => {
    expect(intersectBounds({ from: 5 }, { from: 3, to: 9 })).toEqual({ from: 5, to: 9 });
    expect(intersectBounds({ from: 5, to: 8 }, undefined)).toEqual({ from: 5, to: 8 });
  });
});

describe('mergeFilters', () => {
  it('concatenates conditions and refuses contradictory statuses', () => {
    const a = { ...emptyFilter(), status: 'ok' as const };
    const b = { ...emptyFilter(), status: 'error' as const };
    expect(mergeFilters(a, b)).toBeNull();
    const c = emptyFilter();
    c.strings.push({ field: 'service', values: ['x'], negated: false });
    expect(mergeFilters(a, c)).toEqual({ ...c, status: 'ok' });
  });
});
