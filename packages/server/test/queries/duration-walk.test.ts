import { emptyFilter, type TraceFilter } from '@pyflare/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.ts';
import { walkable } from '../../src/storage/queries/duration-walk.ts';
import { searchTraces, type TraceKey } from '../../src/storage/queries/traces.ts';
import { SPAN_BINARY_COLUMNS, encodeBinaryRows } from '../../src/storage/row-binary.ts';
import { createTraceDurationIndex, spanInsertHooks } from '../../src/storage/trace-durations.ts';
import { seededRandom as random } from '../helpers/random.ts';
import { insertRows, openTestDb, recentNs, spanRow, type TestDb } from '../helpers/read-db.ts';

/**
 * The duration sort read from `trace_durations` (queries/duration-walk.ts) against a reference
 * computed here from the spans written: traces whose spans arrive over several inserts, whose
 * later spans start earlier or end later than the first ones, which cross ten-minute buckets,
 * and many equal durations. Real chDB.
 */

const PROJECT = 'proj-a';
const MS = 1_000_000n;

interface RefTrace {
  id: string;
  start: bigint;
  end: bigint;
  tokens: number;
}

let t: TestDb;
let db: Database;
const ref = new Map<string, RefTrace>();
let base: bigint;

/** Records a span in the reference and returns its row. */
function spanOf(id: string, n: number, start: bigint, durationNs: bigint, tokens = 0) {
  const r = ref.get(id);
  const end = start + durationNs;
  if (!r) ref.set(id, { id, start, end, tokens });
  else {
    if (start < r.start) r.start = start;
    if (end > r.end) r.end = end;
    r.tokens += tokens;
  }
  return spanRow({
    project_id: PROJECT,
    trace_id: id,
    span_id: n.toString(16).padStart(16, '0'),
    start_time: start.toString(),
    duration_ns: Number(durationNs),
    end_time: end.toString(),
    total_tokens: tokens,
  });
}

beforeAll(async () => {
  t = await openTestDb();
  db = t.db;
  // Three hours back, so the traces cover many ten-minute buckets.
  base = recentNs(3 * 60 * 60_000);
  const rand = random(7);
  const traces = Array.from({ length: 120 }, (_, i) => ({
    id: (i + 1).toString(16).padStart(32, 'a'),
    // Starts spread over two hours; durations from a few values, so many tie.
    start: base + BigInt(Math.floor(rand() * 7_200_000)) * MS,
    parts: 1 + Math.floor(rand() * 4),
  }));
  let spanNo = 0;
  // Up to four inserts; each trace gets one part per insert until its parts are used up.
  for (let insert = 0; insert < 4; insert++) {
    const rows = [];
    for (const tr of traces) {
      if (insert >= tr.parts) continue;
      // A later part may start before the first one (a parent arriving late) or end long
      // after it, or cross into the next ten-minute bucket.
      const shift = BigInt(Math.floor(rand() * 3) - 1) * BigInt(Math.floor(rand() * 700)) * 1000n;
      const duration = BigInt([5, 10, 10, 20, 40, 400][Math.floor(rand() * 6)]!) * 1000n * MS;
      // Token counts from a few values too, and spans without any, so totals tie as well.
      const tokens = [0, 0, 100, 250, 250, 1000][Math.floor(rand() * 6)]!;
      rows.push(spanOf(tr.id, spanNo++, tr.start + shift * MS, duration, tokens));
    }
    await insertRows(db, 'spans', rows);
  }
});

afterAll(() => t.close());

function expected(
  order: 'asc' | 'desc',
  keep: (r: RefTrace) => boolean,
  sort: 'duration' | 'tokens' = 'duration',
): string[] {
  const list = [...ref.values()].filter(keep);
  const dur = (r: RefTrace) => (sort === 'duration' ? r.end - r.start : BigInt(r.tokens));
  list.sort((a, b) => {
    const c = dur(a) < dur(b) ? -1 : dur(a) > dur(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return order === 'asc' ? c : -c;
  });
  return list.map((r) => r.id);
}

/** Every page of the sort, `limit` at a time. */
async function allPages(
  order: 'asc' | 'desc',
  limit: number,
  filter: TraceFilter = emptyFilter(),
  window = { fromNs: 0n, toNs: undefined as bigint | undefined },
  sort: 'duration' | 'tokens' = 'duration',
) {
  const seen: { id: string; durationNs: number; tokens: number }[] = [];
  let after: TraceKey | undefined;
  for (let page = 0; page < 500; page++) {
    const result = await searchTraces(db, {
      projectId: PROJECT,
      filter,
      window,
      sort,
      order,
      limit,
      after,
    });
    seen.push(
      ...result.traces.map((s) => ({
        id: s.traceId,
        durationNs: s.durationNs,
        tokens: s.totalTokens,
      })),
    );
    if (result.next === null) return seen;
    after = result.next;
  }
  throw new Error('pagination did not end');
}

describe('duration and token sorts from trace_durations', () => {
  it('is what a filter with only time, duration and tokens takes', () => {
    expect(walkable(emptyFilter())).toBe(true);
    expect(
      walkable({ ...emptyFilter(), numbers: [{ field: 'duration', op: '>', value: 1 }] }),
    ).toBe(true);
    expect(walkable({ ...emptyFilter(), numbers: [{ field: 'tokens', op: '>', value: 1 }] })).toBe(
      true,
    );
    expect(walkable({ ...emptyFilter(), status: 'error' })).toBe(false);
    expect(walkable({ ...emptyFilter(), numbers: [{ field: 'spans', op: '>', value: 1 }] })).toBe(
      false,
    );
  });

  it.each([
    ['desc', 1],
    ['desc', 7],
    ['asc', 7],
    ['asc', 50],
  ] as const)('returns every trace once, in order (%s, pages of %i)', async (order, limit) => {
    const seen = await allPages(order, limit);
    expect(seen.map((s) => s.id)).toEqual(expected(order, () => true));
    for (const s of seen) {
      const r = ref.get(s.id)!;
      expect(BigInt(s.durationNs)).toBe(r.end - r.start);
    }
  });

  it('keeps only the traces in the duration range and the time window', async () => {
    const filter: TraceFilter = {
      ...emptyFilter(),
      numbers: [
        { field: 'duration', op: '>=', value: 20_000_000_000 },
        { field: 'duration', op: '<', value: 400_000_000_000 },
      ],
    };
    const window = { fromNs: base + 30n * 60_000n * MS, toNs: base + 90n * 60_000n * MS };
    const inRange = (r: RefTrace) =>
      r.end - r.start >= 20_000_000_000n &&
      r.end - r.start < 400_000_000_000n &&
      r.start >= window.fromNs &&
      r.start <= window.toNs;
    const want = expected('desc', inRange);
    expect(want.length).toBeGreaterThan(5);
    expect((await allPages('desc', 4, filter, window)).map((s) => s.id)).toEqual(want);
    expect((await allPages('asc', 4, filter, window)).map((s) => s.id)).toEqual(
      expected('asc', inRange),
    );
  });

  it.each([
    ['desc', 1],
    ['desc', 9],
    ['asc', 9],
    ['asc', 50],
  ] as const)(
    'sorted by tokens, returns every trace once, in order (%s, pages of %i)',
    async (order, limit) => {
      const seen = await allPages(order, limit, emptyFilter(), undefined, 'tokens');
      expect(seen.map((s) => s.id)).toEqual(expected(order, () => true, 'tokens'));
      for (const s of seen) expect(s.tokens).toBe(ref.get(s.id)!.tokens);
      // Traces spread over several inserts are in it, with their whole totals.
      expect(new Set(seen.map((s) => s.tokens)).size).toBeGreaterThan(6);
    },
  );

  it('keeps only the traces in the token range and the time window, by either sort', async () => {
    const filter: TraceFilter = {
      ...emptyFilter(),
      numbers: [
        { field: 'tokens', op: '>=', value: 250 },
        { field: 'tokens', op: '<', value: 1_500 },
      ],
    };
    const window = { fromNs: base + 20n * 60_000n * MS, toNs: base + 100n * 60_000n * MS };
    const inRange = (r: RefTrace) =>
      r.tokens >= 250 && r.tokens < 1_500 && r.start >= window.fromNs && r.start <= window.toNs;
    for (const sort of ['tokens', 'duration'] as const) {
      const want = expected('desc', inRange, sort);
      expect(want.length).toBeGreaterThan(5);
      expect((await allPages('desc', 4, filter, window, sort)).map((s) => s.id)).toEqual(want);
      expect((await allPages('asc', 4, filter, window, sort)).map((s) => s.id)).toEqual(
        expected('asc', inRange, sort),
      );
    }
  });

  it('after a crash, repairs a trace whose partial rows merged into one', async () => {
    // A span in the trace's own bucket, written as a crash would leave it (no current row),
    // then merged with the trace's row: one row, with the union of the bounds but only the
    // larger partial total (the table keeps the maximum). A repair that looked only at traces
    // with several rows would miss it.
    const rowsOf = (id: string) =>
      db.query<{ n: string; t: string }>(
        `SELECT toString(count()) AS n, toString(max(total_tokens)) AS t FROM trace_durations
         WHERE trace_id = toFixedString(unhex({id:String}), 16)`,
        { id },
      );
    // A trace with tokens already and, once merged, one row.
    await db.command('OPTIMIZE TABLE trace_durations FINAL');
    let id = '';
    for (const candidate of expected('asc', (x) => x.tokens > 0, 'tokens')) {
      if ((await rowsOf(candidate))[0]?.n === '1') {
        id = candidate;
        break;
      }
    }
    const r = ref.get(id)!;
    expect(r.tokens).toBeGreaterThan(0);
    await insertRows(db, 'spans', [spanOf(id, 99_990, r.start + MS, MS, 1_000_000)], {
      indexDurations: false,
    });
    await db.command('OPTIMIZE TABLE trace_durations FINAL');
    expect((await rowsOf(id))[0]).toEqual({ n: '1', t: '1000000' });
    expect((await allPages('desc', 25, emptyFilter(), undefined, 'tokens'))[0]?.id).not.toBe(id);
    await createTraceDurationIndex(db).repair();
    const desc = await allPages('desc', 25, emptyFilter(), undefined, 'tokens');
    expect(desc[0]).toEqual({ id, durationNs: Number(r.end - r.start), tokens: r.tokens });
    expect(desc.map((s) => s.id)).toEqual(expected('desc', () => true, 'tokens'));
    expect((await allPages('asc', 25)).map((s) => s.id)).toEqual(expected('asc', () => true));
  });

  it('after a crash between an insert and its index upkeep, is right again once repaired', async () => {
    // The longest trace gets a span starting a quarter of an hour after it (in another
    // ten-minute bucket, so the engine's merges never fold its row into the trace's others)
    // and lasting longer than any trace, written as a crash would leave it: stored, without
    // its current row in trace_durations.
    const longest = expected('desc', () => true)[0]!;
    const r = ref.get(longest)!;
    const later = r.start + 15n * 60_000n * MS;
    await insertRows(db, 'spans', [spanOf(longest, 99_999, later, 1_000n * 1000n * MS)], {
      indexDurations: false,
    });
    const before = await allPages('desc', 25);
    expect(before.map((s) => s.id)).not.toContain(longest);
    await createTraceDurationIndex(db).repair();
    expect((await allPages('desc', 25)).map((s) => s.id)).toEqual(expected('desc', () => true));
    expect((await allPages('asc', 25)).map((s) => s.id)).toEqual(expected('asc', () => true));
  });

  it('writes the current rows it could not write with the next batch', async () => {
    const failing: Database = {
      ...db,
      query: (sql, params) => db.query(sql, params),
      insertRows: (table, payload, columns) => db.insertRows(table, payload, columns),
      close: () => Promise.resolve(),
      command: (sql, params) =>
        /INSERT INTO trace_durations/.test(sql)
          ? Promise.reject(new Error('disk full'))
          : db.command(sql, params),
    };
    const index = createTraceDurationIndex(failing);
    const id = expected('asc', () => true)[0]!;
    const r = ref.get(id)!;
    const ids = new Map([[PROJECT, new Set([id])]]);
    const continued = await index.before(ids);
    expect(continued).toEqual(ids);
    // The trace becomes the longest (its new span starts long before it, in another bucket);
    // its current row cannot be written.
    const row = spanOf(id, 99_998, r.start - 2_000n * 1000n * MS, 10n * MS);
    await insertRows(db, 'spans', [row], { indexDurations: false });
    await expect(index.after(continued)).rejects.toThrow('disk full');
    expect((await allPages('desc', 30)).map((s) => s.id)).not.toContain(id);
    // The next batch (with no continued trace) goes through a healthy engine: the owed row is
    // written with it.
    failing.command = (sql, params) => db.command(sql, params);
    await index.after(new Map());
    expect((await allPages('desc', 30)).map((s) => s.id)).toEqual(expected('desc', () => true));
  });

  it('when the lookup before an insert fails, gives every trace of the batch its current row', async () => {
    const errors: unknown[] = [];
    const failing: Database = {
      ...db,
      query: (sql, params) =>
        /FROM trace_index/.test(sql) ? Promise.reject(new Error('busy')) : db.query(sql, params),
      insertRows: (table, payload, columns) => db.insertRows(table, payload, columns),
      close: () => Promise.resolve(),
      command: (sql, params) => db.command(sql, params),
    };
    const hooks = spanInsertHooks(createTraceDurationIndex(failing), (e) => errors.push(e));
    // The second shortest trace gets a span in a later bucket making it the longest.
    const id = expected('asc', () => true)[1]!;
    const r = ref.get(id)!;
    const row = spanOf(id, 99_997, r.start + 25n * 60_000n * MS, 3_000n * 1000n * MS);
    const payload = encodeBinaryRows([row], SPAN_BINARY_COLUMNS);
    const continued = await hooks.before([payload]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['busy']);
    expect(continued).toEqual(new Map([[PROJECT, new Set([id])]]));
    await db.insertRows('spans', [payload], SPAN_BINARY_COLUMNS);
    await hooks.after(continued);
    const desc = await allPages('desc', 30);
    expect(desc[0]!.id).toBe(id);
    expect(desc.map((s) => s.id)).toEqual(expected('desc', () => true));
  });
  it('does not skip a current row that ties with a partial row where a round of the walk ends', async () => {
    // An hour before the other traces, in a window of its own. The first round of a page of
    // one reads 34 rows (the page, one more, 32 of slack): 33 partial rows come first, then
    // trace X's partial row P, which has X's whole total but not its bounds. X's current row
    // C ties with P on (tokens, id) and comes right after it, in the second round.
    const t0 = base - 60n * 60_000n * MS;
    const window = { fromNs: t0 - 60_000n * MS, toNs: t0 + 25n * 60_000n * MS };
    const x = 'e'.repeat(32);
    await insertRows(db, 'spans', [spanOf(x, 99_900, t0 + 15n * 60_000n * MS, MS, 500_000)]);
    // X's next span starts 15 minutes before its first, in another bucket, with no tokens.
    await insertRows(db, 'spans', [spanOf(x, 99_901, t0, MS, 0)]);
    // 33 traces whose partial rows lie in the window with more tokens than X, and whose whole
    // bounds (their current rows) start before it.
    const ys = Array.from(
      { length: 33 },
      (_, i) => 'f'.repeat(28) + i.toString(16).padStart(4, '0'),
    );
    await insertRows(
      db,
      'spans',
      ys.map((y, i) => spanOf(y, 99_910 + i, t0 + 20n * 60_000n * MS, MS, 600_000 + i)),
    );
    await insertRows(
      db,
      'spans',
      ys.map((y, i) => spanOf(y, 99_950 + i, t0 - 30n * 60_000n * MS, MS, 0)),
    );
    await db.command('OPTIMIZE TABLE trace_durations FINAL');
    const inWindow = (r: RefTrace) => r.start >= window.fromNs && r.start <= window.toNs;
    expect(expected('desc', inWindow, 'tokens')).toEqual([x]);
    const seen = await allPages('desc', 1, emptyFilter(), window, 'tokens');
    expect(seen).toEqual([{ id: x, durationNs: Number(15n * 60_000n * MS + MS), tokens: 500_000 }]);
  });
});
