import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import {
  CHILD_START_MS,
  killChild,
  startChildServer,
  type ChildServer,
} from '../helpers/child-server.ts';
import { eventually, newDataDir } from '../helpers/running-server.ts';

const dataDir = newDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** `pyflare start` on the shared data directory, no admin key or password given. */
const start = (env: Record<string, string> = {}) =>
  startChildServer(['--data-dir', dataDir, '--port', '0'], {
    PYFLARE_API_KEY: '',
    PYFLARE_ADMIN_PASSWORD: '',
    PYFLARE_OTLP_HTTP_PORT: '0',
    PYFLARE_OTLP_GRPC_PORT: '0',
    ...env,
  });

/** Stops it with SIGTERM; resolves with all it wrote to stdout once it has exited. */
async function stop(server: ChildServer): Promise<string> {
  server.child.kill('SIGTERM');
  expect(await server.closed).toBe(0);
  return server.stdout();
}

const PRINTED = /email:\s+(\S+)\n\s+password:\s+(\S+)\n/;

describe('pyflare start: the first admin user', () => {
  // Two starts of the real binary one after the other: slow on a loaded machine.
  it(
    'prints a generated password once; it logs in; the next start prints none',
    { timeout: 2 * CHILD_START_MS + 60_000 },
    async () => {
      let first: ChildServer | undefined;
      let second: ChildServer | undefined;
      try {
        first = await start();
        const url = `http://127.0.0.1:${first.ports.api}`;
        // Printed right after the "running" line, which may come in an earlier chunk.
        const stdout = first.stdout;
        const match = await eventually(async () => PRINTED.exec(stdout()) ?? undefined);
        const [, email, password] = match;
        expect(email).toBe('admin@localhost');
        expect(password).toMatch(/^[\w-]{24}$/);
        const b = new Browser(url);
        expect((await b.login(email!, password!)).status).toBe(200);
        const me = (await (await b.request('/api/v1/auth/me')).json()) as { role: string };
        expect(me.role).toBe('admin');
        const all = await stop(first);
        // Printed to the terminal only, never in a log line.
        expect(all.split('\n').filter((l) => l.startsWith('{') && l.includes(password!))).toEqual(
          [],
        );

        second = await start({ PYFLARE_ADMIN_PASSWORD: 'ignored-after-first-start' });
        const login = await new Browser(`http://127.0.0.1:${second.ports.api}`).login(
          'admin@localhost',
          'ignored-after-first-start',
        );
        expect(login.status).toBe(401);
        // All it printed, read to the end once it has exited.
        expect(await stop(second)).not.toMatch(/password/i);
      } finally {
        await killChild(first?.child);
        await killChild(second?.child);
      }
    },
  );
});
