import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openChdb } from '../../src/storage/chdb.ts';
import { CLEAN_SHUTDOWN_FILE } from '../../src/storage/clean-shutdown.ts';
import {
  CHILD_START_MS,
  killChild,
  startChildServer,
  type ChildServer,
} from '../helpers/child-server.ts';
import { counterValue, jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { eventually, newAdminKey, newDataDir, startTestServer } from '../helpers/running-server.ts';

/** A child's start, its requests and a chDB open afterwards, on a loaded machine. */
const CHILD_TEST_MS = CHILD_START_MS + 120_000;

const childArgs = (dataDir: string, adminKey: string) => [
  '--port',
  '0',
  '--otlp-http-port',
  '0',
  '--otlp-grpc-port',
  '0',
  '--data-dir',
  dataDir,
  '--api-key',
  adminKey,
];

describe('durability', () => {
  it('keeps data and keys across a graceful restart', async () => {
    const dataDir = newDataDir();
    const adminKey = newAdminKey();
    const first = await startTestServer({}, { dataDir, adminKey, keepData: true });
    const { body, traceId } = jsonTrace(5);
    expect((await postJson(first.otlpHttpUrl, body, adminKey)).status).toBe(200);
    await first.stop();

    const second = await startTestServer({}, { dataDir, adminKey });
    try {
      expect(second.createdAdminKey).toBeUndefined();
      const res = await second.api(`/api/v1/traces/${traceId}`);
      expect(res.status).toBe(200);
      const trace = (await res.json()) as { spans: unknown[] };
      expect(trace.spans).toHaveLength(5);
    } finally {
      await second.stop();
    }
  });

  it(
    'loses no acknowledged span when the process is killed with SIGKILL right after the acks',
    { timeout: CHILD_TEST_MS },
    async () => {
      const dataDir = newDataDir();
      const adminKey = newAdminKey();
      let server: ChildServer | undefined;
      try {
        server = await startChildServer(childArgs(dataDir, adminKey), {
          PYFLARE_BATCH_MAX_DELAY_MS: '20',
        });
        const url = `http://127.0.0.1:${server.ports.otlpHttp}`;
        let acked = 0;
        const failures: string[] = [];
        // Concurrent senders; the kill comes right after the last ack, with requests still in flight.
        const senders = Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 15; i++) {
            const res = await postJson(url, jsonTrace(50).body, adminKey).catch((e: unknown) => e);
            if (res instanceof Response && res.status === 200) acked += 50;
            else failures.push(res instanceof Response ? `status ${res.status}` : String(res));
          }
        });
        await Promise.all(senders);
        // More in flight while we kill: these may or may not be stored, but were never acked.
        void postJson(url, jsonTrace(50).body, adminKey).catch(() => undefined);
        await killChild(server.child);
        expect(failures).toEqual([]);
        expect(acked).toBe(4 * 15 * 50);
        // No mark of a clean stop: the next start repairs the derived indexes.
        expect(existsSync(join(dataDir, CLEAN_SHUTDOWN_FILE))).toBe(false);

        const db = openChdb(dataDir);
        try {
          const rows = await db.query<{ n: number }>('SELECT count() AS n FROM spans');
          expect(rows[0]!.n).toBeGreaterThanOrEqual(acked);
        } finally {
          await db.close();
        }
      } finally {
        await killChild(server?.child);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('graceful stop', () => {
  it(
    'on SIGTERM acknowledges and stores in-flight requests, then exits 0',
    { timeout: CHILD_TEST_MS },
    async () => {
      const dataDir = newDataDir();
      const adminKey = newAdminKey();
      let server: ChildServer | undefined;
      try {
        // A long batch delay: the request below is still waiting for its batch when SIGTERM comes.
        server = await startChildServer(childArgs(dataDir, adminKey), {
          PYFLARE_BATCH_MAX_DELAY_MS: '30000',
        });
        const pending = postJson(
          `http://127.0.0.1:${server.ports.otlpHttp}`,
          jsonTrace(25).body,
          adminKey,
        );
        // Signal only once the server holds the request's rows in its queue.
        const metricsUrl = `http://127.0.0.1:${server.ports.api}/metrics`;
        await eventually(async () => {
          const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${adminKey}` } });
          const queued = counterValue(await res.text(), 'pyflare_ingest_queue_rows', {});
          return queued === 25 ? true : undefined;
        });
        server.child.kill('SIGTERM');
        const res = await pending;
        expect(res.status).toBe(200);
        expect(await server.closed).toBe(0);
        expect(existsSync(join(dataDir, CLEAN_SHUTDOWN_FILE))).toBe(true);
        const db = openChdb(dataDir);
        try {
          const rows = await db.query<{ n: number }>('SELECT count() AS n FROM spans');
          expect(rows[0]!.n).toBe(25);
        } finally {
          await db.close();
        }
      } finally {
        await killChild(server?.child);
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );
});
