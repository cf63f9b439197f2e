import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openChdb } from '../../src/storage/chdb.ts';
import { jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { newAdminKey, newDataDir, startTestServer } from '../helpers/running-server.ts';

const BIN = fileURLToPath(new URL('../../bin/pyflare.js', import.meta.url));

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

  it('loses no acknowledged span when the process is killed with SIGKILL right after the acks', async () => {
    const dataDir = newDataDir();
    const adminKey = newAdminKey();
    const child = spawn(
      process.execPath,
      [
        BIN,
        'start',
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
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PYFLARE_LOG_LEVEL: 'info', PYFLARE_BATCH_MAX_DELAY_MS: '20' },
      },
    );
    try {
      const otlpPort = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.includes('PyFlare is running'));
          if (line) resolve((JSON.parse(line) as { otlpHttp: number }).otlpHttp);
        });
        child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
        setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
      });
      const url = `http://127.0.0.1:${otlpPort}`;
      let acked = 0;
      // Concurrent senders; the kill comes right after the last ack, with requests still in flight.
      const senders = Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 15; i++) {
          const res = await postJson(url, jsonTrace(50).body, adminKey).catch(() => undefined);
          if (res?.status === 200) acked += 50;
        }
      });
      await Promise.race([Promise.all(senders), new Promise((r) => setTimeout(r, 60_000))]);
      // More in flight while we kill: these may or may not be stored, but were never acked.
      void postJson(url, jsonTrace(50).body, adminKey).catch(() => undefined);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(acked).toBe(4 * 15 * 50);

      const db = openChdb(dataDir);
      try {
        const rows = await db.query<{ n: number }>('SELECT count() AS n FROM spans');
        expect(rows[0]!.n).toBeGreaterThanOrEqual(acked);
      } finally {
        await db.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('graceful stop', () => {
  it('on SIGTERM acknowledges and stores in-flight requests, then exits 0', async () => {
    const dataDir = newDataDir();
    const adminKey = newAdminKey();
    const child = spawn(
      process.execPath,
      [
        BIN,
        'start',
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
      ],
      // A long batch delay: the request below is still waiting for its batch when SIGTERM comes.
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PYFLARE_LOG_LEVEL: 'info', PYFLARE_BATCH_MAX_DELAY_MS: '30000' },
      },
    );
    try {
      const otlpPort = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.includes('PyFlare is running'));
          if (line) resolve((JSON.parse(line) as { otlpHttp: number }).otlpHttp);
        });
        setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
      });
      const pending = postJson(`http://127.0.0.1:${otlpPort}`, jsonTrace(25).body, adminKey);
      await new Promise((r) => setTimeout(r, 500));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const res = await pending;
      expect(res.status).toBe(200);
      expect(await exited).toBe(0);
      const db = openChdb(dataDir);
      try {
        const rows = await db.query<{ n: number }>('SELECT count() AS n FROM spans');
        expect(rows[0]!.n).toBe(25);
      } finally {
        await db.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
