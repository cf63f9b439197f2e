import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataDir, startTestServer, type TestServer } from '../helpers/running-server.ts';

const BIN = fileURLToPath(new URL('../../bin/pyflare.js', import.meta.url));
const exec = promisify(execFile);

/**
 * One CLI process (Node, tsx, chDB open and migrations) took up to 16 s on a loaded 2-core
 * machine: it is given this long before it counts as hung.
 */
const CLI_RUN_MS = 120_000;

async function pyflare(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], {
      env: { ...process.env, PYFLARE_API_KEY: '', ...env },
      timeout: CLI_RUN_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

// A test runs up to five CLI processes one after another.
describe('pyflare CLI', { timeout: 6 * CLI_RUN_MS }, () => {
  it('prints its version', async () => {
    const { code, stdout } = await pyflare(['version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^pyflare \d+\.\d+\.\d+$/);
  });

  it('fails fast on a bad setting, naming the variable', async () => {
    const { code, stderr } = await pyflare(['start', '--data-dir', newDataDir()], {
      PYFLARE_PORT: 'eighty',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/PYFLARE_PORT/);
  });

  it('refuses auth disabled on a public address', async () => {
    const { code, stderr } = await pyflare([
      'start',
      '--auth',
      'disabled',
      '--host',
      '0.0.0.0',
      '--data-dir',
      newDataDir(),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/loopback/);
  });

  it('manages projects and keys offline, on the data directory', async () => {
    const dir = newDataDir();
    const env = { PYFLARE_PORT: '1' }; // nothing listens there: offline mode
    try {
      const created = await pyflare(
        ['projects', 'create', 'team-a', '--data-dir', dir, '--json'],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      const project = JSON.parse(created.stdout) as { id: string; name: string };
      expect(project.name).toBe('team-a');

      const key = await pyflare(
        [
          'keys',
          'create',
          '--name',
          'ci',
          '--scopes',
          'ingest,read',
          '--project',
          project.id,
          '--data-dir',
          dir,
          '--json',
        ],
        env,
      );
      expect(key.code, key.stderr).toBe(0);
      const k = JSON.parse(key.stdout) as { id: string; key: string; scopes: string[] };
      expect(k.key).toMatch(/^pf_[0-9A-Za-z]{40}$/);
      expect(k.scopes).toEqual(['ingest', 'read']);

      const listed = await pyflare(['keys', 'list', '--data-dir', dir], env);
      expect(listed.stdout).toContain(k.id);
      expect(listed.stdout).not.toContain(k.key);

      const revoked = await pyflare(['keys', 'revoke', k.id, '--data-dir', dir, '--json'], env);
      expect(JSON.parse(revoked.stdout).revokedAt).not.toBeNull();

      const bad = await pyflare(
        ['keys', 'create', '--name', 'x', '--scopes', 'root', '--data-dir', dir],
        env,
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/unknown scope 'root'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pyflare CLI against a running server', { timeout: 6 * CLI_RUN_MS }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('creates, lists and revokes keys through the admin API', async () => {
    const args = ['--url', server.apiUrl, '--json'];
    const env = { PYFLARE_API_KEY: server.adminKey };
    const created = await pyflare(['keys', 'create', '--name', 'app', ...args], env);
    expect(created.code, created.stderr).toBe(0);
    const k = JSON.parse(created.stdout) as { id: string; key: string };
    const ingest = await fetch(`${server.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${k.key}` },
      body: '{}',
    });
    expect(ingest.status).toBe(200);

    const listed = JSON.parse((await pyflare(['keys', 'list', ...args], env)).stdout) as {
      id: string;
    }[];
    expect(listed.map((x) => x.id)).toContain(k.id);

    expect((await pyflare(['keys', 'revoke', k.id, ...args], env)).code).toBe(0);
    const after = await fetch(`${server.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${k.key}` },
      body: '{}',
    });
    expect(after.status).toBe(401);

    const projects = JSON.parse((await pyflare(['projects', 'list', ...args], env)).stdout) as {
      name: string;
    }[];
    expect(projects.map((p) => p.name)).toContain('default');
  });

  it('needs an admin key to reach a running server', async () => {
    const res = await pyflare(['keys', 'list', '--url', server.apiUrl]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/--api-key/);
  });
});
