import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerSpanRoutes } from '../../src/api/routes/spans.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { openTestDb, type TestDb } from '../helpers/read-db.ts';
import { insertFixture, span, type Fixture } from '../helpers/read-fixtures.ts';

let t: TestDb;
let app: ApiApp;
let fx: Fixture;

beforeAll(async () => {
  t = await openTestDb();
  fx = await insertFixture(t.db);
  app = await buildReadApp(t.db, registerSpanRoutes);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function spanIds(query: string): Promise<string[]> {
  const res = await app.inject(`/api/v1/spans?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().spans.map((s: { spanId: string }) => s.spanId);
}

it('lists the project’s spans newest first with typed attributes', async () => {
  const res = await app.inject('/api/v1/spans?limit=1000');
  const body = res.json();
  expect(body.spans).toHaveLength(11);
  expect(body.nextCursor).toBeNull();
  const first = body.spans.at(-1);
  expect(first).toEqual({
    traceId: fx.rows[0]!.trace_id,
    spanId: span(1),
    parentSpanId: '',
    name: 'POST /checkout',
    kind: 'server',
    serviceName: 'api',
    environment: 'prod',
    startTimeUnixNano: fx.starts.checkout.toString(),
    endTimeUnixNano: (fx.starts.checkout + 2_000_000_001n).toString(),
    durationNs: 2_000_000_001,
    status: { code: 'ok', message: '' },
    attributes: { 'http.status_code': 200, 'app.tags': ['a', 'b'], 'app.flag': true },
    operation: '',
    provider: '',
    requestModel: '',
    responseModel: '',
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    totalTokens: 0,
    userId: 'alice',
    sessionId: 's1',
    tags: [],
  });
});

it.each([
  ['service=web', [5, 4, 3]],
  ['status=error', [11, 5]],
  ['model=gpt-4o', [2]],
  ['operation=chat', [7, 2]],
  ['kind=client', [7, 2]],
  ['attr=http.status_code:200', [2, 1]],
  ['search=paris', [7]],
  ['minDuration=2s', [10, 7, 6, 1]],
  ['minDuration=2s&sort=duration&order=desc', [6, 7, 10, 1]],
  ['sort=duration&order=asc&maxDuration=20ms', [11, 8, 12]],
  [`q=${encodeURIComponent('service:api -operation:chat')}`, [6, 1]],
  [`q=${encodeURIComponent('tokens:>=120')}`, [7, 2]],
])('filters spans by %s', async (query, expected) => {
  expect(await spanIds(query)).toEqual(expected.map(span));
});

it('refuses trace-only conditions', async () => {
  const res = await app.inject(`/api/v1/spans?q=${encodeURIComponent('spans:>2')}`);
  expect(res.statusCode).toBe(400);
  expect(res.json().code).toBe('INVALID_QUERY');
});

it('never returns another project’s spans', async () => {
  expect(await spanIds('name=secret')).toEqual([]);
  expect(await spanIds('name=intruder')).toEqual([]);
});
