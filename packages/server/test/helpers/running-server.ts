import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

export interface TestServer extends RunningServer {
  config: Config;
  /** The admin key seeded at first start. */
  adminKey: string;
  dataDir: string;
  apiUrl: string;
  otlpHttpUrl: string;
  otlpGrpcUrl: string;
  /** fetch against the API with the admin key (or `key`, or none when key is null). */
  api(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  /** Closes the server and removes its data directory. */
  stop(): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'pyflare-test-'));
}

export function newAdminKey(): string {
  return `pf_test_${randomBytes(16).toString('hex')}`;
}

/** A real server on random loopback ports and a fresh (or given) data directory. */
export async function startTestServer(
  flags: Partial<Record<keyof Config, unknown>> = {},
  options: { dataDir?: string; adminKey?: string; keepData?: boolean; logger?: Logger } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? newDataDir();
  const adminKey = options.adminKey ?? newAdminKey();
  const config = loadConfig({
    flags: {
      host: '127.0.0.1',
      port: 0,
      otlpHttpPort: 0,
      otlpGrpcPort: 0,
      dataDir,
      apiKey: adminKey,
      logLevel: 'silent',
      rateLimitPerMinute: 0,
      ...flags,
    },
    env: {},
    cwd: dataDir,
  });
  const server = await startServer(config, options.logger ? { logger: options.logger } : {});
  const apiUrl = `http://127.0.0.1:${server.ports.api}`;
  return {
    ...server,
    config,
    adminKey,
    dataDir,
    apiUrl,
    otlpHttpUrl: `http://127.0.0.1:${server.ports.otlpHttp}`,
    otlpGrpcUrl: `http://127.0.0.1:${server.ports.otlpGrpc}`,
    api(path, init = {}) {
      const { key, ...rest } = init;
      const headers = new Headers(rest.headers);
      const k = key === undefined ? adminKey : key;
      if (k !== null) headers.set('authorization', `Bearer ${k}`);
      return fetch(apiUrl + path, { ...rest, headers });
    },
    async stop() {
      await server.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * How long a test waits for a condition before it fails: what takes milliseconds when the
 * machine is idle can take tens of seconds on a loaded one (chDB inserts, merges, queries).
 */
export const WAIT_MS = 60_000;

/** Polls `check` until it returns a value or the time runs out. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
