import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerLogRoutes } from '../../src/api/routes/logs.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { insertRows, logRow, openTestDb, recentNs, type TestDb } from '../helpers/read-db.ts';

let t: TestDb;
let app: ApiApp;
const base = recentNs(30 * 60_000) + 987_654_321n;
const traceA = 'ab'.repeat(16);
const spanA = '12'.repeat(8);
const at = (seconds: number) => (base + BigInt(seconds) * 1_000_000_000n).toString();

beforeAll(async () => {
  t = await openTestDb();
  await insertRows(t.db, 'logs', [
    logRow({
      time: at(0),
      severity_number: 13,
      severity_text: 'WARN',
      body: 'rate limited by provider, retrying',
      body_json: JSON.stringify('rate limited by provider, retrying'),
      trace_id: traceA,
      span_id: spanA,
      service_name: 'api',
      attributes: { 'retry.attempt': '2', 'gen_ai.request.model': 'gpt-4o' },
      attributes_json: JSON.stringify({ 'retry.attempt': 2, 'gen_ai.request.model': 'gpt-4o' }),
    }),
    logRow({
      time: at(1),
      severity_number: 9,
      body: '{"structured":true,"n":3}',
      body_json: JSON.stringify({ structured: true, n: 3 }),
      trace_id: traceA,
      service_name: 'api',
    }),
    logRow({ time: at(2), severity_number: 17, body: 'DB connection lost', service_name: 'web' }),
    logRow({ time: at(3), severity_number: 5, body: 'debug noise', service_name: 'web' }),
    logRow({ project_id: 'proj-b', time: at(4), body: 'secret', trace_id: traceA }),
  ]);
  // Ties: five records at the same nanosecond.
  await insertRows(
    t.db,
    'logs',
    [0, 1, 2, 3, 4].map((i) => logRow({ time: at(10), body: `tie ${i}`, service_name: 'tie' })),
  );
  app = await buildReadApp(t.db, registerLogRoutes);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const logs = async (query: string) => {
  const res = await app.inject(`/api/v1/logs?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const bodies = async (query: string) =>
  (await logs(query)).logs.map((l: { body: unknown }) => l.body);

it('returns a trace’s logs newest first with typed bodies and attributes', async () => {
  const body = await logs(`traceId=${traceA}`);
  expect(body.nextCursor).toBeNull();
  expect(body.logs).toEqual([
    expect.objectContaining({
      timeUnixNano: at(1),
      body: { structured: true, n: 3 },
      traceId: traceA,
      severityNumber: 9,
    }),
    {
      timeUnixNano: at(0),
      observedTimeUnixNano: at(0),
      severityNumber: 13,
      severityText: 'WARN',
      body: 'rate limited by provider, retrying',
      attributes: { 'retry.attempt': 2, 'gen_ai.request.model': 'gpt-4o' },
      resource: { 'service.name': 'api' },
      traceId: traceA,
      spanId: spanA,
      serviceName: 'api',
      scope: { name: 'test', version: '1.0' },
      eventName: '',
      flags: 0,
    },
  ]);
  expect(await bodies(`traceId=${traceA}&spanId=${spanA}`)).toEqual([
    'rate limited by provider, retrying',
  ]);
});

it.each([
  ['service=web', ['debug noise', 'DB connection lost']],
  ['minSeverity=warn', ['DB connection lost', 'rate limited by provider, retrying']],
  ['minSeverity=17', ['DB connection lost']],
  ['search=DB%20CONNECTION', ['DB connection lost']],
  ['attr=retry.attempt:2', ['rate limited by provider, retrying']],
  ['service=api&service=web&minSeverity=error', ['DB connection lost']],
])('filters by %s', async (query, expected) => {
  expect(await bodies(query)).toEqual(expected);
});

it('never returns another project’s logs', async () => {
  expect(await bodies('search=secret')).toEqual([]);
});

it('pages through records with equal timestamps exactly once', async () => {
  const seen: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page: { logs: { body: unknown }[]; nextCursor: string | null } = await logs(
      `service=tie&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
    );
    seen.push(...page.logs.map((l) => l.body));
    cursor = page.nextCursor;
  } while (cursor !== null);
  expect([...seen].sort()).toEqual(['tie 0', 'tie 1', 'tie 2', 'tie 3', 'tie 4']);
});

it('refuses bad parameters', async () => {
  for (const q of [
    'traceId=xyz',
    'spanId=123',
    'minSeverity=loud',
    'minSeverity=30',
    'limit=5000',
    'cursor=abc',
    'x=1',
  ]) {
    expect((await app.inject(`/api/v1/logs?${q}`)).statusCode, q).toBe(400);
  }
});
