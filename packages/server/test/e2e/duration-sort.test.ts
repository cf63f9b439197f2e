import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openChdb } from '../../src/storage/chdb.ts';
import { CLEAN_SHUTDOWN_FILE } from '../../src/storage/clean-shutdown.ts';
import { insertRows, spanRow } from '../helpers/read-db.ts';
import { hexId, jsonSpan, jsonTraceRequest, nowNs, postJson } from '../helpers/otlp-json.ts';
import { newAdminKey, newDataDir, startTestServer } from '../helpers/running-server.ts';

/**
 * Sorting by duration through OTLP/HTTP and the API, with traces whose spans arrive in separate
 * requests (separate inserts): the duration index (migration 0009) must follow each trace as it
 * grows, across a restart, and after a crash that left a trace's last insert unindexed.
 */

const S = 1_000_000_000n;
const MINUTE = 60n * S;

async function sorted(
  api: (path: string) => Promise<Response>,
  order: 'asc' | 'desc',
): Promise<{ traceId: string; durationNs: number }[]> {
  const res = await api(`/api/v1/traces?sort=duration&order=${order}&from=0&limit=100`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { traces: { traceId: string; durationNs: number }[] }).traces;
}

describe('sort by duration', () => {
  it('follows traces that grow over several requests, and survives a restart and a crash', async () => {
    const dataDir = newDataDir();
    const adminKey = newAdminKey();
    const t0 = nowNs() - 90n * MINUTE;
    // grows: 1 s first, then a span 30 min later (another bucket), then a parent before both.
    const grows = hexId(16);
    // steady: 20 s, all at once. late: 5 s, then a span ending 40 s after its start.
    const steady = hexId(16);
    const late = hexId(16);
    const first = await startTestServer(
      { batchMaxDelayMs: 0 },
      { dataDir, adminKey, keepData: true },
    );
    const send = async (spans: ReturnType<typeof jsonSpan>[]) =>
      expect((await postJson(first.otlpHttpUrl, jsonTraceRequest(spans), adminKey)).status).toBe(
        200,
      );
    try {
      await send([
        jsonSpan({ traceId: grows, startNs: t0, durationNs: S }),
        jsonSpan({ traceId: steady, startNs: t0, durationNs: 20n * S }),
        jsonSpan({ traceId: late, startNs: t0 + MINUTE, durationNs: 5n * S }),
      ]);
      expect((await sorted(first.api, 'desc')).map((t) => t.traceId)).toEqual([
        steady,
        late,
        grows,
      ]);
      await send([
        jsonSpan({ traceId: late, startNs: t0 + MINUTE + 30n * S, durationNs: 10n * S }),
      ]);
      expect((await sorted(first.api, 'desc')).map((t) => t.traceId)).toEqual([
        late,
        steady,
        grows,
      ]);
      await send([jsonSpan({ traceId: grows, startNs: t0 + 30n * MINUTE, durationNs: S })]);
      await send([jsonSpan({ traceId: grows, startNs: t0 - 2n * S, durationNs: 3n * S })]);
      const desc = await sorted(first.api, 'desc');
      expect(desc.map((t) => t.traceId)).toEqual([grows, late, steady]);
      expect(desc.map((t) => t.durationNs)).toEqual([
        Number(30n * MINUTE + 3n * S),
        Number(40n * S),
        Number(20n * S),
      ]);
      expect((await sorted(first.api, 'asc')).map((t) => t.traceId)).toEqual([steady, late, grows]);
    } finally {
      await first.stop();
    }

    // A crash between an insert and the index upkeep after it: the span is stored, the index
    // does not know the trace grew (written here as the engine would have left it), and the
    // data directory has no mark of a clean stop (a running server holds none).
    expect(existsSync(join(dataDir, CLEAN_SHUTDOWN_FILE))).toBe(true);
    rmSync(join(dataDir, CLEAN_SHUTDOWN_FILE));
    const db = openChdb(dataDir);
    await insertRows(
      db,
      'spans',
      [
        spanRow({
          project_id: 'default',
          trace_id: steady,
          span_id: hexId(8),
          start_time: (t0 + 20n * MINUTE).toString(),
          duration_ns: Number(60n * MINUTE),
          end_time: (t0 + 80n * MINUTE).toString(),
        }),
      ],
      { indexDurations: false },
    );
    await db.close();

    const second = await startTestServer({}, { dataDir, adminKey });
    try {
      const desc = await sorted(second.api, 'desc');
      expect(desc.map((t) => t.traceId)).toEqual([steady, grows, late]);
      expect(desc[0]!.durationNs).toBe(Number(80n * MINUTE));
    } finally {
      await second.stop();
    }
  });
});
