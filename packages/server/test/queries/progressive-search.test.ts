import { emptyFilter, parseQuery } from '@pyflare/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextFraction, sliceOf } from '../../src/storage/queries/progressive-window.ts';
import { searchSpans } from '../../src/storage/queries/spans.ts';
import { searchTraces, type TraceKey } from '../../src/storage/queries/traces.ts';
import { insertRows, openTestDb, spanRow, type TestDb } from '../helpers/read-db.ts';

describe('slices of a time-sorted search', () => {
  it('takes the newest (desc) or oldest (asc) fraction of the window', () => {
    const w = { fromNs: 0n, toNs: 6400n };
    expect(sliceOf(w, 'desc', 0n, 1 / 64)).toEqual({ fromNs: 6300n, toNs: 6400n });
    expect(sliceOf(w, 'asc', 0n, 1 / 8)).toEqual({ fromNs: 0n, toNs: 800n });
    expect(sliceOf(w, 'desc', 0n, 1)).toBe(w);
  });
  it('anchors an open end at now and keeps it open', () => {
    expect(sliceOf({ fromNs: 0n, toNs: undefined }, 'desc', 640n, 1 / 64)).toEqual({
      fromNs: 630n,
      toNs: undefined,
    });
  });
  it('returns the window itself when it is empty or inverted', () => {
    const w = { fromNs: 10n, toNs: 5n };
    expect(sliceOf(w, 'desc', 0n, 1 / 64)).toBe(w);
  });
  it('grows a slice with the density of the results found', () => {
    // 5 of 51 found in 1/64: twice 51 lie in about 21 times the slice.
    expect(nextFraction(1 / 64, 5, 51)).toBeCloseTo(21 / 64);
    // Nothing found: by 8 (the newest data may just be older than the slice).
    expect(nextFraction(1 / 64, 0, 51)).toBe(1 / 8);
    expect(nextFraction(1 / 8, 0, 51)).toBe(1);
    // One found: by 64 at most.
    expect(nextFraction(1 / 4096, 1, 51)).toBe(1 / 64);
    // Nearly enough: 50 of 51 found, so 102 lie in about 3 times the slice.
    expect(nextFraction(1 / 64, 50, 51)).toBe(3 / 64);
    // Past 40% of the window: the whole window.
    expect(nextFraction(1 / 8, 10, 51)).toBe(1);
  });
});

// 40 traces, one every 30 minutes over the last 20 hours: the newest 1/64 of a 24-hour
// window holds one trace, the newest 1/8 six, so pages of different sizes are answered by
// different slices, and must all agree with the plain order.
let t: TestDb;
const HALF_HOUR = 1_800_000_000_000n;
const nowNs = BigInt(Date.now()) * 1_000_000n;
const window = { fromNs: nowNs - 24n * 2n * HALF_HOUR, toNs: nowNs };
const newestFirst: string[] = [];

beforeAll(async () => {
  t = await openTestDb();
  const rows = [];
  for (let i = 0; i < 40; i++) {
    const traceId = (i + 1).toString(16).padStart(32, '0');
    newestFirst.push(traceId);
    const start = nowNs - 60_000_000_000n - BigInt(i) * HALF_HOUR;
    rows.push(
      spanRow({ trace_id: traceId, span_id: '1'.padStart(16, '0'), start_time: start.toString() }),
      spanRow({
        trace_id: traceId,
        span_id: '2'.padStart(16, '0'),
        parent_span_id: '1'.padStart(16, '0'),
        name: i % 3 === 0 ? 'special' : 'plain',
        start_time: (start + 5n).toString(),
      }),
    );
  }
  await insertRows(t.db, 'spans', rows);
});
afterAll(async () => t.close());

const search = (limit: number, order: 'asc' | 'desc', after?: TraceKey, q = '') =>
  searchTraces(
    t.db,
    {
      projectId: 'proj-a',
      filter: q ? parseQuery(q, { now: 0 }).filter : emptyFilter(),
      window,
      sort: 'time',
      order,
      limit,
      ...(after ? { after } : {}),
    },
    nowNs,
  );

describe('time-sorted search in slices', () => {
  it.each([1, 2, 5, 6, 7, 39, 40, 100])('finds the newest %i traces exactly', async (limit) => {
    const page = await search(limit, 'desc');
    expect(page.traces.map((s) => s.traceId)).toEqual(newestFirst.slice(0, limit));
    expect(page.next === null).toBe(limit >= 40);
  });

  it.each([1, 3, 8, 40])('finds the oldest %i traces exactly', async (limit) => {
    const page = await search(limit, 'asc');
    expect(page.traces.map((s) => s.traceId)).toEqual([...newestFirst].reverse().slice(0, limit));
  });

  it('walks every trace once with a cursor, and with a span filter', async () => {
    for (const q of ['', 'name:special']) {
      const seen: string[] = [];
      let after: TraceKey | undefined;
      do {
        const page = await search(4, 'desc', after, q);
        seen.push(...page.traces.map((s) => s.traceId));
        after = page.next ?? undefined;
      } while (after !== undefined);
      expect(seen).toEqual(newestFirst.filter((_, i) => q === '' || i % 3 === 0));
    }
  });

  it('finds the newest spans exactly', async () => {
    for (const limit of [1, 3, 12, 80]) {
      const page = await searchSpans(
        t.db,
        {
          projectId: 'proj-a',
          filter: emptyFilter(),
          window,
          sort: 'time',
          order: 'desc',
          limit,
        },
        nowNs,
      );
      const expected = newestFirst
        .flatMap((id) => [`${id}/${'2'.padStart(16, '0')}`, `${id}/${'1'.padStart(16, '0')}`])
        .slice(0, limit);
      expect(page.spans.map((s) => `${s.traceId}/${s.spanId}`)).toEqual(expected);
    }
  });
});
