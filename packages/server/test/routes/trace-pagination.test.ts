import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerSpanRoutes } from '../../src/api/routes/spans.ts';
import { registerTraceRoutes } from '../../src/api/routes/traces.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { insertRows, openTestDb, recentNs, spanRow, type TestDb } from '../helpers/read-db.ts';

let t: TestDb;
let app: ApiApp;
const traceIds: string[] = [];
const spanKeys: string[] = [];

beforeAll(async () => {
  t = await openTestDb();
  const base = recentNs(30 * 60_000);
  // 57 traces with many ties in start time, duration and tokens. Each trace's two spans
  // arrive in different inserts, so its aggregates sit in two parts.
  for (let i = 0; i < 57; i++) traceIds.push(i.toString(16).padStart(32, '0'));
  for (let s = 0; s < 2; s++) {
    const rows = traceIds.map((traceId, i) => {
      const spanId = (i * 10 + s).toString(16).padStart(16, '0');
      spanKeys.push(`${traceId}/${spanId}`);
      return spanRow({
        trace_id: traceId,
        span_id: spanId,
        parent_span_id: s === 0 ? '' : (i * 10).toString(16).padStart(16, '0'),
        start_time: (base + BigInt(i % 5) * 1_000_000n + BigInt(s)).toString(),
        duration_ns: (i % 4) * 1_000_000 + 1000,
        total_tokens: (i % 3) * 10,
      });
    });
    await insertRows(t.db, 'spans', rows);
  }
  app = await buildReadApp(t.db, (a, deps) => {
    registerTraceRoutes(a, deps);
    registerSpanRoutes(a, deps);
  });
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function walk(path: string, key: 'traces' | 'spans', limit: number) {
  const seen: { id: string; row: Record<string, unknown> }[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const url: string = `${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await app.inject(url);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    for (const row of body[key]) {
      seen.push({ id: key === 'traces' ? row.traceId : `${row.traceId}/${row.spanId}`, row });
    }
    cursor = body.nextCursor;
    if (cursor === null) return seen;
  }
  throw new Error('pagination did not end');
}

it.each([
  ['time', 'desc'],
  ['time', 'asc'],
  ['duration', 'desc'],
  ['duration', 'asc'],
  ['tokens', 'desc'],
  ['tokens', 'asc'],
])('visits every trace exactly once, in order, sorted by %s %s', async (sort, order) => {
  const all = (await app.inject(`/api/v1/traces?sort=${sort}&order=${order}&limit=1000`)).json()
    .traces as { traceId: string }[];
  expect(all).toHaveLength(57);
  const seen = await walk(`/api/v1/traces?sort=${sort}&order=${order}`, 'traces', 7);
  expect(seen.map((s) => s.id)).toEqual(all.map((s) => s.traceId));
  expect(new Set(seen.map((s) => s.id))).toEqual(new Set(traceIds));
  const value = (r: Record<string, unknown>) =>
    sort === 'time'
      ? BigInt(r.startTimeUnixNano as string)
      : BigInt((sort === 'duration' ? r.durationNs : r.totalTokens) as number);
  for (let i = 1; i < seen.length; i++) {
    const a = value(seen[i - 1]!.row);
    const b = value(seen[i]!.row);
    expect(order === 'desc' ? a >= b : a <= b).toBe(true);
  }
});

it.each([
  ['time', 'desc'],
  ['duration', 'asc'],
])('visits every span exactly once sorted by %s %s', async (sort, order) => {
  const seen = await walk(`/api/v1/spans?sort=${sort}&order=${order}`, 'spans', 9);
  expect(seen).toHaveLength(114);
  expect(new Set(seen.map((s) => s.id))).toEqual(new Set(spanKeys));
});

it('refuses a trace cursor on the span listing', async () => {
  const { nextCursor } = (await app.inject('/api/v1/traces?limit=1')).json();
  const res = await app.inject(`/api/v1/spans?cursor=${nextCursor}`);
  expect(res.statusCode).toBe(400);
});
