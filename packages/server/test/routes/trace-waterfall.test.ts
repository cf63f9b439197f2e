import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTraceRoutes } from '../../src/api/routes/traces.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { insertRows, openTestDb, recentNs, spanRow, type TestDb } from '../helpers/read-db.ts';
import { ids, insertFixture, span, type Fixture } from '../helpers/read-fixtures.ts';

let t: TestDb;
let app: ApiApp;
let fx: Fixture;

const cyclic = 'cc'.repeat(16);
const wide = 'dd'.repeat(16);
const WIDE_SPANS = 5_000;

beforeAll(async () => {
  t = await openTestDb();
  fx = await insertFixture(t.db);
  const base = recentNs(30 * 60_000);
  // a → b → a: broken instrumentation (or a hostile sender) made a parent cycle.
  await insertRows(t.db, 'spans', [
    spanRow({
      trace_id: cyclic,
      span_id: span(0xa),
      parent_span_id: span(0xb),
      start_time: (base + 5n).toString(),
    }),
    spanRow({
      trace_id: cyclic,
      span_id: span(0xb),
      parent_span_id: span(0xa),
      start_time: (base + 9n).toString(),
    }),
    spanRow({
      trace_id: cyclic,
      span_id: span(0xc),
      parent_span_id: span(0xc),
      start_time: (base + 7n).toString(),
    }),
  ]);
  // A trace of 5,000 spans: a root, 49 children, each with 101 grandchildren.
  const rows = [];
  for (let i = 0; i < WIDE_SPANS; i++) {
    const parent = i === 0 ? '' : i < 50 ? span(1) : span(2 + ((i - 50) % 49));
    rows.push(
      spanRow({
        trace_id: wide,
        span_id: span(i + 1),
        parent_span_id: parent,
        name: `op-${i % 7}`,
        service_name: `svc-${i % 3}`,
        start_time: (base + BigInt(i) * 1000n).toString(),
        duration_ns: 500 + i,
        status_code: i % 97 === 0 ? 'error' : 'ok',
        total_tokens: i % 5,
      }),
    );
  }
  await insertRows(t.db, 'spans', rows);
  app = await buildReadApp(t.db, registerTraceRoutes);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

interface Waterfall {
  traceId: string;
  spanCount: number;
  startTimeUnixNano: string;
  durationNs: number;
  strings: string[];
  spans: Record<
    | 'parent'
    | 'name'
    | 'service'
    | 'kind'
    | 'operation'
    | 'model'
    | 'startNs'
    | 'durationNs'
    | 'error'
    | 'tokens',
    number[]
  > & { spanId: string[] };
}

interface FullSpan {
  spanId: string;
  parentSpanId: string;
  name: string;
  serviceName: string;
  kind: string;
  operation: string;
  requestModel: string;
  responseModel: string;
  startTimeUnixNano: string;
  durationNs: number;
  status: { code: string };
  totalTokens: number;
}

async function waterfall(traceId: string): Promise<Waterfall> {
  const res = await app.inject(`/api/v1/traces/${traceId}/waterfall`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('GET /api/v1/traces/:traceId/waterfall', () => {
  it('encodes a trace in columns with interned strings and parent indexes', async () => {
    const w = await waterfall(ids.checkout);
    const s = (col: keyof Waterfall['spans'], i: number) => w.strings[w.spans[col][i] as number];
    expect(w.traceId).toBe(ids.checkout);
    expect(w.spanCount).toBe(2);
    expect(w.startTimeUnixNano).toBe(fx.starts.checkout.toString());
    expect(w.durationNs).toBe(2_000_000_001);
    expect(w.spans.spanId).toEqual([span(1), span(2)]);
    expect(w.spans.parent).toEqual([-1, 0]);
    expect(w.spans.startNs).toEqual([0, 1000]);
    expect(w.spans.durationNs).toEqual([2_000_000_001, 1_500_000_000]);
    expect([s('name', 0), s('name', 1)]).toEqual(['POST /checkout', 'chat gpt-4o']);
    expect([s('kind', 0), s('kind', 1)]).toEqual(['server', 'client']);
    expect(s('operation', 1)).toBe('chat');
    expect(s('model', 1)).toBe('gpt-4o-2024-08-06');
    expect(w.spans.tokens).toEqual([0, 120]);
    expect(w.spans.error).toEqual([0, 0]);
    // 'api' is stored once however many spans name it.
    expect(w.strings.filter((x) => x === 'api')).toHaveLength(1);
  });

  it('agrees span by span with the full trace for every fixture trace', async () => {
    for (const traceId of [
      ids.checkout,
      ids.search,
      ids.agent,
      ids.orphan,
      ids.split,
      ids.hostile,
      wide,
    ]) {
      const w = await waterfall(traceId);
      const full = (await app.inject(`/api/v1/traces/${traceId}`)).json() as { spans: FullSpan[] };
      expect(w.spanCount).toBe(full.spans.length);
      const base = BigInt(w.startTimeUnixNano);
      full.spans.forEach((f, i) => {
        expect(w.spans.spanId[i]).toBe(f.spanId);
        const p = w.spans.parent[i]!;
        if (p === -1) expect(full.spans.some((o) => o.spanId === f.parentSpanId)).toBe(false);
        else expect(w.spans.spanId[p]).toBe(f.parentSpanId);
        expect(w.strings[w.spans.name[i]!]).toBe(f.name);
        expect(w.strings[w.spans.service[i]!]).toBe(f.serviceName);
        expect(w.strings[w.spans.kind[i]!]).toBe(f.kind);
        expect(w.strings[w.spans.operation[i]!]).toBe(f.operation);
        expect(w.strings[w.spans.model[i]!]).toBe(f.responseModel || f.requestModel);
        expect((base + BigInt(w.spans.startNs[i]!)).toString()).toBe(f.startTimeUnixNano);
        expect(w.spans.durationNs[i]).toBe(f.durationNs);
        expect(w.spans.error[i]).toBe(f.status.code === 'error' ? 1 : 0);
        expect(w.spans.tokens[i]).toBe(f.totalTokens);
      });
    }
  });

  it('serves a 5,000-span trace with its whole hierarchy', async () => {
    const w = await waterfall(wide);
    expect(w.spanCount).toBe(WIDE_SPANS);
    const children = new Map<number, number>();
    for (const p of w.spans.parent) children.set(p, (children.get(p) ?? 0) + 1);
    expect(children.get(-1)).toBe(1);
    expect(children.get(0)).toBe(49);
    expect(children.get(1)).toBe(102); // span 2 (index 1): i = 50, 99, …, 4949
    expect(w.spans.error.filter((e) => e === 1)).toHaveLength(Math.ceil(WIDE_SPANS / 97));
  });

  it('cuts parent cycles and self-parents, so every span reaches a root', async () => {
    const w = await waterfall(cyclic);
    expect(w.spanCount).toBe(3);
    for (let i = 0; i < w.spanCount; i++) {
      let j = i;
      for (let steps = 0; j !== -1; steps++) {
        expect(steps).toBeLessThan(w.spanCount);
        j = w.spans.parent[j]!;
      }
    }
    expect(w.spans.parent.filter((p) => p === -1).length).toBeGreaterThanOrEqual(2);
  });

  it('answers 404 for an unknown trace or one of another project, 400 for a bad id', async () => {
    expect((await app.inject(`/api/v1/traces/${'ab'.repeat(16)}/waterfall`)).statusCode).toBe(404);
    expect((await app.inject(`/api/v1/traces/${ids.otherProject}/waterfall`)).statusCode).toBe(404);
    const bad = await app.inject(`/api/v1/traces/not-hex/waterfall`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/32 hexadecimal/);
  });
});

describe('GET /api/v1/traces/:traceId/spans/:spanId', () => {
  it('returns one span in the full shape', async () => {
    const res = await app.inject(`/api/v1/traces/${ids.checkout}/spans/${span(2).toUpperCase()}`);
    expect(res.statusCode, res.body).toBe(200);
    const full = (await app.inject(`/api/v1/traces/${ids.checkout}`)).json() as {
      spans: FullSpan[];
    };
    expect(res.json()).toEqual(full.spans[1]);
    expect(res.json()).toMatchObject({
      inputMessages: [{ role: 'user', content: 'What is the weather?' }],
      links: [expect.objectContaining({ traceId: ids.agent })],
    });
  });

  it('answers 404 for a span of another trace or project, 400 for a bad span id', async () => {
    expect((await app.inject(`/api/v1/traces/${ids.search}/spans/${span(2)}`)).statusCode).toBe(
      404,
    );
    expect(
      (await app.inject(`/api/v1/traces/${ids.otherProject}/spans/${span(1)}`)).statusCode,
    ).toBe(404);
    const bad = await app.inject(`/api/v1/traces/${ids.checkout}/spans/${'z'.repeat(16)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/16 hexadecimal/);
  });
});
