import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTraceRoutes } from '../../src/api/routes/traces.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { WATERFALL_MAX_SPANS } from '../../src/storage/queries/trace-waterfall.ts';
import { insertRows, openTestDb, recentNs, spanRow, type TestDb } from '../helpers/read-db.ts';
import { span } from '../helpers/read-fixtures.ts';

// One trace just over the waterfall's limit, and one just at it.
const over = 'ee'.repeat(16);
const at = 'ef'.repeat(16);

let t: TestDb;
let app: ApiApp;

function rows(traceId: string, count: number, base: bigint) {
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(
      spanRow({
        trace_id: traceId,
        span_id: span(i + 1),
        parent_span_id: i === 0 ? '' : span(1),
        start_time: (base + BigInt(i)).toString(),
        duration_ns: 10,
      }),
    );
  }
  return out;
}

beforeAll(async () => {
  t = await openTestDb();
  const base = recentNs(20 * 60_000);
  await insertRows(t.db, 'spans', rows(over, WATERFALL_MAX_SPANS + 1, base));
  await insertRows(t.db, 'spans', rows(at, WATERFALL_MAX_SPANS, base));
  app = await buildReadApp(t.db, registerTraceRoutes);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('the waterfall of a trace past its limit', () => {
  it(`answers 413 with the span count for a trace of more than ${WATERFALL_MAX_SPANS} spans`, async () => {
    const res = await app.inject(`/api/v1/traces/${over}/waterfall`);
    expect(res.statusCode).toBe(413);
    const problem = res.json();
    expect(problem.detail).toContain(`${WATERFALL_MAX_SPANS + 1} spans`);
    expect(problem).toMatchObject({
      spanCount: WATERFALL_MAX_SPANS + 1,
      maxSpans: WATERFALL_MAX_SPANS,
    });
  });

  it('serves a trace of exactly the limit whole', async () => {
    const res = await app.inject(`/api/v1/traces/${at}/waterfall`);
    expect(res.statusCode).toBe(200);
    const w = res.json();
    expect(w.spanCount).toBe(WATERFALL_MAX_SPANS);
    expect(w.spans.spanId[0]).toBe(span(1));
    expect(w.spans.spanId.at(-1)).toBe(span(WATERFALL_MAX_SPANS));
    expect(w.spans.parent.filter((p: number) => p === -1)).toHaveLength(1);
  });
});
