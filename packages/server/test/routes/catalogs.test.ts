import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerCatalogRoutes } from '../../src/api/routes/catalogs.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { openTestDb, type TestDb } from '../helpers/read-db.ts';
import { insertFixture, MINUTE, type Fixture } from '../helpers/read-fixtures.ts';

let t: TestDb;
let app: ApiApp;
let fx: Fixture;

beforeAll(async () => {
  t = await openTestDb();
  fx = await insertFixture(t.db);
  app = await buildReadApp(t.db, registerCatalogRoutes);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const get = async (path: string) => {
  const res = await app.inject(path);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

it('lists services with span and error counts and last seen', async () => {
  const { services } = await get('/api/v1/services');
  expect(services).toEqual([
    {
      name: 'api',
      spanCount: 4,
      errorCount: 0,
      lastSeenUnixNano: (fx.starts.agent + 5n).toString(),
    },
    {
      name: 'batch',
      spanCount: 2,
      errorCount: 1,
      lastSeenUnixNano: (fx.starts.split + 1_000_000n).toString(),
    },
    {
      name: 'web',
      spanCount: 3,
      errorCount: 1,
      lastSeenUnixNano: (fx.starts.search + 20n).toString(),
    },
    { name: 'worker', spanCount: 2, errorCount: 0, lastSeenUnixNano: fx.starts.hostile.toString() },
  ]);
});

it('restricts services to the window', async () => {
  const ms = (ns: bigint) => (ns / 1_000_000n).toString();
  const { services } = await get(
    `/api/v1/services?from=${ms(fx.starts.search)}&to=${ms(fx.starts.search + MINUTE / 2n)}`,
  );
  expect(services.map((s: { name: string }) => s.name)).toEqual(['web']);
});

it('lists models with provider, counts and tokens', async () => {
  const { models } = await get('/api/v1/models');
  expect(models).toEqual([
    {
      model: 'claude-3',
      provider: 'anthropic',
      spanCount: 1,
      inputTokens: 900,
      outputTokens: 100,
      lastSeenUnixNano: (fx.starts.agent + 5n).toString(),
    },
    {
      model: 'gpt-4o',
      provider: 'openai',
      spanCount: 1,
      inputTokens: 100,
      outputTokens: 20,
      lastSeenUnixNano: (fx.starts.checkout + 1000n).toString(),
    },
  ]);
});

it('lists built-in facets and attribute keys with their top values', async () => {
  const { facets, sample } = await get('/api/v1/attributes?values=2');
  // A small window is counted whole.
  expect(sample).toMatchObject({ windowSpans: 11, spans: 11, partial: false });
  const byKey = Object.fromEntries(facets.map((f: { key: string }) => [f.key, f]));
  expect(
    facets.filter((f: { builtin: boolean }) => f.builtin).map((f: { key: string }) => f.key),
  ).toEqual([
    'service',
    'model',
    'status',
    'operation',
    'provider',
    'environment',
    'user',
    'session',
  ]);
  expect(byKey.service).toEqual({
    key: 'service',
    builtin: true,
    count: 11,
    distinctValues: 4,
    values: [
      { value: 'api', count: 4 },
      { value: 'web', count: 3 },
    ],
  });
  expect(byKey.status.values).toEqual([
    { value: 'unset', count: 8 },
    { value: 'error', count: 2 },
  ]);
  expect(byKey['http.status_code']).toEqual({
    key: 'http.status_code',
    builtin: false,
    count: 3,
    distinctValues: 2,
    values: [
      { value: '200', count: 2 },
      { value: '500', count: 1 },
    ],
  });
  // Hostile keys are just keys.
  expect(byKey["' OR 1=1 --"].values).toEqual([{ value: '{x:String}', count: 1 }]);
  // Attribute keys by how many spans carry them.
  const attributeKeys = facets.filter((f: { builtin: boolean }) => !f.builtin);
  expect(attributeKeys[0].key).toBe('http.status_code');
});

it('filters facets by key prefix and limits keys', async () => {
  const { facets } = await get('/api/v1/attributes?prefix=app.&limit=1');
  expect(facets.map((f: { key: string }) => f.key)).toEqual(['app.flag']);
  const builtins = await get('/api/v1/attributes?prefix=se');
  expect(builtins.facets.map((f: { key: string }) => f.key)).toEqual(['service', 'session']);
});

it('lists resource attribute facets without built-ins', async () => {
  const { facets } = await get('/api/v1/attributes?scope=resource');
  expect(facets).toEqual([
    {
      key: 'service.name',
      builtin: false,
      count: 11,
      distinctValues: 4,
      values: [
        { value: 'api', count: 4 },
        { value: 'web', count: 3 },
        { value: 'batch', count: 2 },
        { value: 'worker', count: 2 },
      ],
    },
  ]);
});

it('refuses bad parameters', async () => {
  for (const q of [
    'scope=trace',
    'limit=201',
    'values=0',
    'from=x',
    'bogus=1',
    'maxSpans=10',
    'maxSpans=1e12',
    'maxSpans=lots',
  ]) {
    expect((await app.inject(`/api/v1/attributes?${q}`)).statusCode, q).toBe(400);
  }
  expect((await app.inject('/api/v1/services?from=2&to=1')).statusCode).toBe(400);
});
