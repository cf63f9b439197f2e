import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { newDataDir } from '../helpers/running-server.ts';

const BIN = fileURLToPath(new URL('../../bin/pyflare.js', import.meta.url));
const dataDir = newDataDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `pyflare start` until it says it is running; returns its stdout so far and the API URL. */
async function start(env: Record<string, string>): Promise<{
  child: ChildProcess;
  stdout: string;
  apiUrl: string;
}> {
  const child = spawn(process.execPath, [BIN, 'start', '--data-dir', dataDir, '--port', '0'], {
    env: {
      ...process.env,
      PYFLARE_API_KEY: '',
      PYFLARE_ADMIN_PASSWORD: '',
      PYFLARE_OTLP_HTTP_PORT: '0',
      PYFLARE_OTLP_GRPC_PORT: '0',
      PYFLARE_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started: ${stdout}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const running = /"msg":"PyFlare is running"/.test(stdout) ? /"api":(\d+)/.exec(stdout) : null;
      if (running) {
        clearTimeout(timer);
        resolve(Number(running[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)));
  });
  return { child, stdout, apiUrl: `http://127.0.0.1:${port}` };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('pyflare start: the first admin user', () => {
  it('prints a generated password once; it logs in; the next start prints none', async () => {
    const first = await start({});
    try {
      const match = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(first.stdout);
      expect(match).not.toBeNull();
      const [, email, password] = match!;
      expect(email).toBe('admin@localhost');
      expect(password).toMatch(/^[\w-]{24}$/);
      // Printed to the terminal only, never in a log line.
      expect(
        first.stdout.split('\n').filter((l) => l.startsWith('{') && l.includes(password!)),
      ).toEqual([]);
      const b = new Browser(first.apiUrl);
      expect((await b.login(email!, password!)).status).toBe(200);
      const me = (await (await b.request('/api/v1/auth/me')).json()) as { role: string };
      expect(me.role).toBe('admin');
    } finally {
      await stop(first.child);
    }
    const second = await start({ PYFLARE_ADMIN_PASSWORD: 'ignored-after-first-start' });
    try {
      expect(second.stdout).not.toMatch(/password/i);
      expect(
        (await new Browser(second.apiUrl).login('admin@localhost', 'ignored-after-first-start'))
          .status,
      ).toBe(401);
    } finally {
      await stop(second.child);
    }
  });
});
