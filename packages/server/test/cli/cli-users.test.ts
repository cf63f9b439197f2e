import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser } from '../helpers/browser.ts';
import { newDataDir, startTestServer } from '../helpers/running-server.ts';

const BIN = fileURLToPath(new URL('../../bin/pyflare.js', import.meta.url));
const dir = newDataDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One CLI process (Node, tsx, chDB open and migrations) took up to 16 s on a loaded 2-core
 * machine: it is given this long before it counts as hung.
 */
const CLI_RUN_MS = 120_000;

/** The real CLI on `dir`, offline (nothing listens on port 1), with optional stdin. */
function pyflare(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; dataDir?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const dirArgs = options.dataDir === false ? [] : ['--data-dir', dir];
    const child = spawn(process.execPath, [BIN, ...args, ...dirArgs], {
      env: { ...process.env, PYFLARE_PORT: '1', PYFLARE_USER_PASSWORD: undefined, ...options.env },
      timeout: CLI_RUN_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const GOOD = 'a-long-enough-password';

// The first test runs 18 CLI processes and a server, one after another: 300 s was not enough
// on a loaded machine.
describe('pyflare users', { timeout: 20 * CLI_RUN_MS }, () => {
  it('creates, lists, sets roles, removes and resets passwords on the data directory', async () => {
    expect((await pyflare(['projects', 'create', 'team-a'])).code).toBe(0);
    const project = await pyflare(['projects', 'create', 'team-b', '--json']);
    expect(project.code).toBe(0);
    const teamB = (JSON.parse(project.stdout) as { id: string }).id;
    const first = await pyflare(['projects', 'list', '--json']);
    const firstProject = (JSON.parse(first.stdout) as { id: string }[])[0]!.id;
    expect(firstProject).not.toBe(teamB);

    // No password given: one is generated and printed once.
    const ann = await pyflare(['users', 'create', 'ann@example.com', '--role', 'admin']);
    expect(ann.code, ann.stderr).toBe(0);
    const annPassword = /password \(shown once\): (\S+)/.exec(ann.stdout)?.[1];
    expect(annPassword).toMatch(/^[\w-]{24}$/);

    // From the environment: not printed.
    const bob = await pyflare(['users', 'create', 'bob@example.com', '--role', 'viewer'], {
      env: { PYFLARE_USER_PASSWORD: GOOD },
    });
    expect(bob.code, bob.stderr).toBe(0);
    expect(bob.stdout).not.toMatch(/shown once/);
    expect(bob.stdout).not.toContain(GOOD);

    const duplicate = await pyflare(['users', 'create', 'BOB@example.com'], {
      env: { PYFLARE_USER_PASSWORD: GOOD },
    });
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/bob@example.com' exists/);

    const badRole = await pyflare(['users', 'create', 'cy@example.com', '--role', 'owner']);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/unknown role 'owner' \(use viewer, member, admin\)/);

    const weak = await pyflare(['users', 'create', 'cy@example.com', '--password-stdin'], {
      stdin: 'short\n',
    });
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/at least 12 characters/);
    const empty = await pyflare(['users', 'create', 'cy@example.com'], {
      env: { PYFLARE_USER_PASSWORD: '' },
    });
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/at least 12 characters/);

    // set-role adds Bob to a second project, then reset-password from stdin.
    const added = await pyflare([
      'users',
      'set-role',
      'bob@example.com',
      'member',
      '--project',
      teamB,
    ]);
    expect(added.code, added.stderr).toBe(0);
    const reset = await pyflare(
      ['users', 'reset-password', 'bob@example.com', '--password-stdin'],
      {
        stdin: `${GOOD}-2\n`,
      },
    );
    expect(reset.code, reset.stderr).toBe(0);

    const list = await pyflare(['users', 'list', '--json']);
    expect(list.code).toBe(0);
    const rows = (JSON.parse(list.stdout) as { email: string; role: string; projectId: string }[])
      .map((r) => [r.email, r.role, r.projectId])
      .sort();
    expect(rows).toEqual(
      [
        ['ann@example.com', 'admin', firstProject],
        ['bob@example.com', 'viewer', firstProject],
        ['bob@example.com', 'member', teamB],
      ].sort(),
    );

    const unknown = await pyflare(['users', 'set-role', 'nobody@example.com', 'member']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no user with email 'nobody@example.com'/);
    const lastAdmin = await pyflare(['users', 'set-role', 'ann@example.com', 'viewer']);
    expect(lastAdmin.code).not.toBe(0);
    expect(lastAdmin.stderr).toMatch(/last admin/);

    const removed = await pyflare(['users', 'remove', 'bob@example.com', '--project', teamB]);
    expect(removed.code, removed.stderr).toBe(0);
    const again = await pyflare(['users', 'remove', 'bob@example.com', '--project', teamB]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/no member of project/);

    // The server started on that directory takes the passwords the CLI set.
    const server = await startTestServer({}, { dataDir: dir, keepData: true });
    try {
      expect((await new Browser(server.apiUrl).login('ann@example.com', annPassword!)).status).toBe(
        200,
      );
      const b = new Browser(server.apiUrl);
      expect((await b.login('bob@example.com', GOOD)).status).toBe(401);
      expect((await b.login('bob@example.com', `${GOOD}-2`)).status).toBe(200);
      const me = (await (await b.request('/api/v1/auth/me')).json()) as {
        projects: { id: string; role: string }[];
      };
      expect(me.projects).toEqual([{ id: firstProject, name: expect.any(String), role: 'viewer' }]);
    } finally {
      await server.stop();
    }
  });

  it('refuses while a server answers (it owns the data directory)', async () => {
    const server = await startTestServer();
    try {
      const res = await pyflare(['users', 'list'], {
        env: { PYFLARE_PORT: String(new URL(server.apiUrl).port) },
        dataDir: false,
      });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/a server runs at .*users API/);
    } finally {
      await server.stop();
    }
  });
});
