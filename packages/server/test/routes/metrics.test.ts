import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMetricRoutes } from '../../src/api/routes/metrics.ts';
import type { ApiApp } from '../../src/api/types.ts';
import type { MetricRow } from '../../src/storage/rows.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { insertRows, metricRow, openTestDb, type TestDb } from '../helpers/read-db.ts';

let t: TestDb;
let app: ApiApp;
// An hour boundary 30-90 minutes ago: steps of 60 s start exactly at base, base + 60 s, ...
// and every point lies in one 1-hour step.
const base = Math.floor((Date.now() - 30 * 60_000) / 3_600_000) * 3_600_000;
const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const from = base - 60_000;
const to = base + 10 * 60_000;
const window = `from=${from}&to=${to}`;

const point = (sec: number, o: Partial<MetricRow>) =>
  metricRow({ time: ns(base + sec * 1000), start_time: ns(base), ...o });

beforeAll(async () => {
  t = await openTestDb();
  const gauge = (sec: number, gpu: string, value: number) =>
    point(sec, { metric_name: 'gpu.util', attributes: { gpu }, value, unit: '1' });
  const counter = (sec: number, model: string, value: number, start = base) =>
    point(sec, {
      metric_name: 'tokens.total',
      metric_type: 'sum',
      temporality: 'cumulative',
      is_monotonic: 1,
      attributes: { 'gen_ai.request.model': model },
      value,
      start_time: ns(start),
      service_name: 'llm-svc',
      resource_attributes: { 'service.name': 'llm-svc' },
    });
  const hist = (sec: number, counts: number[], sum: number, min: number, max: number) =>
    point(sec, {
      metric_name: 'latency',
      metric_type: 'histogram',
      temporality: 'cumulative',
      explicit_bounds: [1, 2, 4],
      bucket_counts: counts,
      count: counts.reduce((a, b) => a + b, 0),
      sum,
      min,
      max,
      unit: 's',
    });
  await insertRows(t.db, 'metrics', [
    gauge(0, '0', 0.5),
    gauge(30, '0', 0.7),
    gauge(10, '1', 0.2),
    gauge(70, '0', 0.9),
    // Cumulative counter: 100, then 150 twice (a repeated export), in three steps.
    counter(5, 'gpt-4o', 100),
    counter(65, 'gpt-4o', 150),
    counter(125, 'gpt-4o', 150),
    counter(6, 'claude', 30),
    counter(66, 'claude', 80),
    // A restart: a new series (new start time) counting from zero again.
    counter(130, 'claude', 5, base + 128_000),
    // Delta counter.
    point(5, {
      metric_name: 'req.count',
      metric_type: 'sum',
      temporality: 'delta',
      is_monotonic: 1,
      value: 5,
    }),
    point(50, {
      metric_name: 'req.count',
      metric_type: 'sum',
      temporality: 'delta',
      is_monotonic: 1,
      value: 7,
    }),
    // Up-down counter: a level, not an increment.
    point(5, {
      metric_name: 'queue.depth',
      metric_type: 'sum',
      temporality: 'cumulative',
      is_monotonic: 0,
      value: 7,
    }),
    point(50, {
      metric_name: 'queue.depth',
      metric_type: 'sum',
      temporality: 'cumulative',
      is_monotonic: 0,
      value: 3,
    }),
    // Cumulative histogram: [1,1,0,0] in the first step, then [2,2,4,0] (adds [1,1,4,0]).
    hist(10, [1, 1, 0, 0], 2.5, 0.5, 1.5),
    hist(70, [2, 2, 4, 0], 19, 0.5, 3.5),
    point(10, {
      metric_name: 'rpc.duration',
      metric_type: 'summary',
      temporality: 'cumulative',
      count: 10,
      sum: 20,
      quantiles: [0.5, 0.99],
      quantile_values: [1.5, 9],
    }),
    point(20, {
      metric_name: 'rpc.duration',
      metric_type: 'summary',
      temporality: 'cumulative',
      count: 20,
      sum: 50,
      quantiles: [0.5, 0.99],
      quantile_values: [2.5, 8],
    }),
    point(10, {
      project_id: 'proj-b',
      metric_name: 'gpu.util',
      value: 1000,
      attributes: { gpu: '0' },
    }),
    point(10, { project_id: 'proj-b', metric_name: 'secret.metric', value: 1 }),
  ]);
  // 55 groups, the most frequent first: group g0 has 55 points, g54 has 1.
  const many: MetricRow[] = [];
  for (let g = 0; g < 55; g++) {
    for (let i = 0; i < 55 - g; i++) {
      many.push(point(i, { metric_name: 'many', attributes: { g: `g${g}` }, value: 1 }));
    }
  }
  await insertRows(t.db, 'metrics', many);
  app = await buildReadApp(t.db, registerMetricRoutes);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

async function series(query: string) {
  const res = await app.inject(`/api/v1/metrics/query?${window}&step=60s&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const m = (minute: number) => base + minute * 60_000;

describe('GET /api/v1/metrics/query', () => {
  it('aggregates a gauge per step', async () => {
    const body = await series('name=gpu.util&agg=avg');
    expect(body).toMatchObject({ name: 'gpu.util', type: 'gauge', unit: '1', stepMs: 60_000 });
    expect(body.series).toHaveLength(1);
    expect(body.series[0].labels).toEqual({});
    const [[t0, v0], [t1, v1]] = body.series[0].points;
    expect([t0, t1]).toEqual([m(0), m(1)]);
    expect(v0).toBeCloseTo((0.5 + 0.7 + 0.2) / 3, 12);
    expect(v1).toBeCloseTo(0.9, 12);
    expect((await series('name=gpu.util&agg=max')).series[0].points).toEqual([
      [m(0), 0.7],
      [m(1), 0.9],
    ]);
    expect((await series('name=gpu.util&agg=count')).series[0].points).toEqual([
      [m(0), 3],
      [m(1), 1],
    ]);
    expect((await series('name=gpu.util&agg=p50')).series[0].points).toEqual([
      [m(0), 0.5],
      [m(1), 0.9],
    ]);
  });

  it('groups by an attribute and filters by attributes', async () => {
    const body = await series('name=gpu.util&agg=sum&groupBy=gpu');
    expect(body.series).toEqual([
      {
        labels: { gpu: '0' },
        points: [
          [m(0), 1.2],
          [m(1), 0.9],
        ],
      },
      { labels: { gpu: '1' }, points: [[m(0), 0.2]] },
    ]);
    expect((await series('name=gpu.util&agg=sum&attr=gpu:1')).series).toEqual([
      { labels: {}, points: [[m(0), 0.2]] },
    ]);
  });

  it('turns cumulative counters into increments (repeats and restarts included)', async () => {
    const body = await series('name=tokens.total&agg=sum&groupBy=gen_ai.request.model');
    expect(body.type).toBe('sum');
    expect(body.series).toEqual([
      {
        labels: { 'gen_ai.request.model': 'claude' },
        points: [
          [m(0), 30],
          [m(1), 50],
          [m(2), 5],
        ],
      },
      {
        labels: { 'gen_ai.request.model': 'gpt-4o' },
        points: [
          [m(0), 100],
          [m(1), 50],
          [m(2), 0],
        ],
      },
    ]);
    // service.name is found in the resource attributes (and the service_name column).
    const byService = await series('name=tokens.total&agg=sum&attr=service.name:llm-svc');
    expect(byService.series[0].points).toEqual([
      [m(0), 130],
      [m(1), 100],
      [m(2), 5],
    ]);
    expect((await series('name=tokens.total&agg=sum&attr=service.name:other')).series).toEqual([]);
  });

  it('does not count a series’ total from before the window as an increment', async () => {
    const res = await app.inject(
      `/api/v1/metrics/query?name=tokens.total&agg=sum&from=${m(1)}&to=${to}&step=60s&groupBy=gen_ai.request.model`,
    );
    expect(res.json().series).toEqual([
      { labels: { 'gen_ai.request.model': 'claude' }, points: [[m(2), 5]] },
      { labels: { 'gen_ai.request.model': 'gpt-4o' }, points: [[m(2), 0]] },
    ]);
  });

  it('sums delta counters and treats up-down counters as levels', async () => {
    expect((await series('name=req.count&agg=sum')).series[0].points).toEqual([[m(0), 12]]);
    expect((await series('name=queue.depth&agg=avg')).series[0].points).toEqual([[m(0), 5]]);
  });

  it('answers histogram counts, sums, averages and interpolated percentiles per step', async () => {
    expect((await series('name=latency&agg=count')).series[0].points).toEqual([
      [m(0), 2],
      [m(1), 6],
    ]);
    expect((await series('name=latency&agg=sum')).series[0].points).toEqual([
      [m(0), 2.5],
      [m(1), 16.5],
    ]);
    expect((await series('name=latency&agg=avg')).series[0].points).toEqual([
      [m(0), 1.25],
      [m(1), 2.75],
    ]);
    expect((await series('name=latency&agg=max')).series[0].points).toEqual([
      [m(0), 1.5],
      [m(1), 3.5],
    ]);
    // Step 0: [1,1,0,0] with min 0.5: rank 1 → the end of [0.5,1] → 1.
    // Step 1: increments [1,1,4,0] with max 3.5: rank 3 → (2,3.5], 2 + 1.5 × (3-2)/4.
    expect((await series('name=latency&agg=p50')).series[0].points).toEqual([
      [m(0), 1],
      [m(1), 2.375],
    ]);
    // Both steps in one: [2,2,4,0], rank 7.2 → 2 + 2 × 0.8, clamped by max 3.5 to (2,3.5]:
    // 2 + 1.5 × 0.8 = 3.2.
    const wide = await app.inject(
      `/api/v1/metrics/query?name=latency&agg=p90&from=${from}&to=${to}&step=1h`,
    );
    const [[, p90]] = wide.json().series[0].points;
    expect(p90).toBeCloseTo(3.2, 12);
  });

  it('reads summary quantiles when reported, and refuses the others', async () => {
    expect((await series('name=rpc.duration&agg=p50')).series[0].points).toEqual([[m(0), 2]]);
    expect((await series('name=rpc.duration&agg=p99')).series[0].points).toEqual([[m(0), 8.5]]);
    expect((await series('name=rpc.duration&agg=count')).series[0].points).toEqual([[m(0), 20]]);
    const res = await app.inject(`/api/v1/metrics/query?${window}&name=rpc.duration&agg=p90`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/0\.5, 0\.99/);
  });

  it('keeps the 50 most frequent groups', async () => {
    const body = await series('name=many&agg=count&groupBy=g');
    expect(body.truncated).toBe(true);
    expect(body.series).toHaveLength(50);
    expect(body.series.map((s: { labels: { g: string } }) => s.labels.g)).not.toContain('g54');
  });

  it('answers an unknown metric (or another project’s) with no series', async () => {
    for (const name of ['nope', 'secret.metric']) {
      expect(await series(`name=${name}`)).toEqual({
        name,
        type: '',
        unit: '',
        stepMs: 60_000,
        series: [],
        truncated: false,
      });
    }
    expect((await series('name=gpu.util&agg=max')).series[0].points[0][1]).toBe(0.7);
  });

  it('chooses a step of about 100 points by default', async () => {
    const res = await app.inject(
      `/api/v1/metrics/query?name=gpu.util&from=${base}&to=${base + 3_600_000}`,
    );
    expect(res.json().stepMs).toBe(60_000);
    const day = await app.inject(`/api/v1/metrics/query?name=gpu.util`);
    expect(day.json().stepMs).toBe(900_000);
  });

  it.each([
    ['name=gpu.util&step=500ms', /at least 1s/],
    ['name=gpu.util&step=1s&from=0&to=86400000', /points/],
    ['name=gpu.util&step=often', /step/],
    ['name=gpu.util&agg=median', /agg/],
    ['agg=avg', /name/],
    ['name=gpu.util&bogus=1', /bogus|Unrecognized/],
    ['name=gpu.util&from=10&to=5', /after/],
  ])('refuses %s', async (query, message) => {
    const res = await app.inject(`/api/v1/metrics/query?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(message);
  });
});

describe('GET /api/v1/metrics', () => {
  it('lists the project’s metrics with type and unit', async () => {
    const res = await app.inject('/api/v1/metrics');
    expect(res.statusCode).toBe(200);
    const names = res.json().metrics.map((x: { name: string }) => x.name);
    expect(names).toEqual([
      'gpu.util',
      'latency',
      'many',
      'queue.depth',
      'req.count',
      'rpc.duration',
      'tokens.total',
    ]);
    const latency = res.json().metrics[1];
    expect(latency).toMatchObject({
      type: 'histogram',
      unit: 's',
      pointCount: 2,
      services: ['svc'],
      lastSeenUnixNano: ns(base + 70_000),
    });
    const filtered = await app.inject('/api/v1/metrics?prefix=tok');
    expect(filtered.json().metrics.map((x: { name: string }) => x.name)).toEqual(['tokens.total']);
  });
});
