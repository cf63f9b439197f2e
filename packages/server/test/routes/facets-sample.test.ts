import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerCatalogRoutes } from '../../src/api/routes/catalogs.ts';
import type { ApiApp } from '../../src/api/types.ts';
import type { SpanRow } from '../../src/storage/rows.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import {
  insertRows,
  openTestDb,
  spanRow,
  withAttributes,
  type TestDb,
} from '../helpers/read-db.ts';

/** Facets of a window holding more spans than `maxSpans`: counted over its newest minutes. */

const MINUTE_NS = 60_000_000_000n;
const PER_MINUTE = 1_200;
let t: TestDb;
let app: ApiApp;
let newestMinute: bigint;

beforeAll(async () => {
  t = await openTestDb();
  // Three whole minutes of spans, 1,200 each; minute m has service `svc-m` and app.minute=m.
  const now = BigInt(Date.now()) * 1_000_000n;
  newestMinute = (now / MINUTE_NS - 2n) * MINUTE_NS;
  const rows: SpanRow[] = [];
  for (let m = 0; m < 3; m++) {
    const minute = newestMinute - BigInt(2 - m) * MINUTE_NS;
    for (let i = 0; i < PER_MINUTE; i++) {
      const start = minute + BigInt(i) * 40_000_000n;
      rows.push(
        spanRow({
          trace_id: `${m}`.padStart(2, '0') + i.toString(16).padStart(30, '0'),
          span_id: (m * PER_MINUTE + i + 1).toString(16).padStart(16, '0'),
          name: 'work',
          service_name: `svc-${m}`,
          start_time: start.toString(),
          duration_ns: 1_000,
          end_time: (start + 1_000n).toString(),
          ...withAttributes({ 'app.minute': m }),
        }),
      );
    }
  }
  await insertRows(t.db, 'spans', rows);
  app = await buildReadApp(t.db, registerCatalogRoutes);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

const facetsOf = async (query: string) => {
  const from = new Date(Number(newestMinute / 1_000_000n) - 10 * 60_000).toISOString();
  const res = await app.inject(`/api/v1/attributes?from=${from}&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    facets: { key: string; count: number; values: { value: string; count: number }[] }[];
    sample: { windowSpans: number; spans: number; from: string; partial: boolean };
  };
};

it('counts the whole window when it holds no more than maxSpans', async () => {
  const { facets, sample } = await facetsOf('maxSpans=5000');
  expect(sample).toEqual({
    windowSpans: 3 * PER_MINUTE,
    spans: 3 * PER_MINUTE,
    from: expect.any(String),
    partial: false,
  });
  const service = facets.find((f) => f.key === 'service')!;
  expect(service.count).toBe(3 * PER_MINUTE);
  expect(service.values.map((v) => v.value).sort()).toEqual(['svc-0', 'svc-1', 'svc-2']);
});

it('counts only the newest whole minutes that reach maxSpans, and says so', async () => {
  const { facets, sample } = await facetsOf('maxSpans=1000');
  // The newest minute alone holds 1,200 >= 1,000 spans.
  expect(sample).toEqual({
    windowSpans: 3 * PER_MINUTE,
    spans: PER_MINUTE,
    from: new Date(Number(newestMinute / 1_000_000n)).toISOString(),
    partial: true,
  });
  const byKey = Object.fromEntries(facets.map((f) => [f.key, f]));
  expect(byKey.service!.count).toBe(PER_MINUTE);
  expect(byKey.service!.values).toEqual([{ value: 'svc-2', count: PER_MINUTE }]);
  expect(byKey['app.minute']!.values).toEqual([{ value: '2', count: PER_MINUTE }]);

  const two = await facetsOf('maxSpans=2000');
  expect(two.sample).toMatchObject({ spans: 2 * PER_MINUTE, partial: true });
  expect(
    two.facets
      .find((f) => f.key === 'app.minute')!
      .values.map((v) => v.value)
      .sort(),
  ).toEqual(['1', '2']);
});

it('answers an empty window with no facets', async () => {
  const res = await app.inject(
    '/api/v1/attributes?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z',
  );
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({
    facets: [],
    sample: { windowSpans: 0, spans: 0, from: '2001-01-01T00:00:00.000Z', partial: false },
  });
});
