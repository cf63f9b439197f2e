import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;
let admin: Browser;
let member: Browser;
let viewer: Browser;
let memberId: string;
let viewerId: string;
const PASSWORD = 'a-long-enough-password';

interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
  lastLoginAt: string | null;
}

async function as(email: string, password = PASSWORD): Promise<Browser> {
  const b = new Browser(server.apiUrl);
  const res = await b.login(email, password);
  expect(res.status).toBe(200);
  return b;
}

async function createUser(by: Browser, email: string, role: string): Promise<User> {
  const res = await by.request('/api/v1/users', {
    method: 'POST',
    json: { email, name: email.split('@')[0], password: PASSWORD, role },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as User;
}

const code = async (res: Response) => ((await res.json()) as { code: string }).code;

beforeAll(async () => {
  server = await startTestServer({ adminPassword: ADMIN_PASSWORD });
  admin = await as(ADMIN_EMAIL, ADMIN_PASSWORD);
  memberId = (await createUser(admin, 'mia@example.com', 'member')).id;
  viewerId = (await createUser(admin, 'vic@example.com', 'viewer')).id;
  member = await as('mia@example.com');
  viewer = await as('vic@example.com');
});
afterAll(() => server.stop());

describe('users (admin)', () => {
  it('lists the project’s users with their roles and last login', async () => {
    const res = await admin.request('/api/v1/users');
    expect(res.status).toBe(200);
    const { users } = (await res.json()) as { users: User[] };
    expect(users.map((u) => [u.email, u.role])).toEqual([
      [ADMIN_EMAIL, 'admin'],
      ['mia@example.com', 'member'],
      ['vic@example.com', 'viewer'],
    ]);
    const mia = users.find((u) => u.email === 'mia@example.com')!;
    expect(mia.lastLoginAt).not.toBeNull();
    expect(JSON.stringify(users)).not.toMatch(/scrypt|password/i);
  });

  it('refuses a duplicate email (409), a bad role, a short password or a bad email (400)', async () => {
    const post = (json: unknown) => admin.request('/api/v1/users', { method: 'POST', json });
    const dup = await post({
      email: 'MIA@example.com',
      name: 'x',
      password: PASSWORD,
      role: 'viewer',
    });
    expect(dup.status).toBe(409);
    expect(await code(dup)).toBe('CONFLICT');
    for (const bad of [
      { email: 'new@example.com', name: 'x', password: PASSWORD, role: 'owner' },
      { email: 'new@example.com', name: 'x', password: 'short', role: 'viewer' },
      { email: 'not-an-email', name: 'x', password: PASSWORD, role: 'viewer' },
      { email: 'new@example.com', name: '', password: PASSWORD, role: 'viewer' },
      { email: 'new@example.com', name: 'x', password: PASSWORD, role: 'viewer', admin: true },
    ]) {
      expect((await post(bad)).status).toBe(400);
    }
  });

  it('lets viewers and members change nothing of the project (403 on every admin route)', async () => {
    for (const b of [viewer, member]) {
      const attempts: [string, string, unknown?][] = [
        ['GET', '/api/v1/users'],
        [
          'POST',
          '/api/v1/users',
          { email: 'z@example.com', name: 'z', password: PASSWORD, role: 'admin' },
        ],
        ['PATCH', `/api/v1/users/${memberId}`, { role: 'admin' }],
        ['DELETE', `/api/v1/users/${viewerId}`],
        ['GET', '/api/v1/keys'],
        ['POST', '/api/v1/keys', { name: 'mine', scopes: ['read'] }],
        ['DELETE', '/api/v1/keys/key_whatever'],
        ['GET', '/api/v1/projects'],
        ['POST', '/api/v1/projects', { name: 'sneaky' }],
        ['PATCH', '/api/v1/projects/default', { captureContent: false }],
      ];
      for (const [method, path, json] of attempts) {
        const res = await b.request(path, { method, ...(json ? { json } : {}) });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(await code(res)).toBe('FORBIDDEN');
      }
    }
  });

  it('lets viewers and members read the project’s data and their own account', async () => {
    for (const b of [viewer, member]) {
      expect((await b.request('/api/v1/traces')).status).toBe(200);
      expect((await b.request('/api/v1/overview')).status).toBe(200);
      expect((await b.request('/api/v1/services')).status).toBe(200);
      const me = (await (await b.request('/api/v1/auth/me')).json()) as { role: string };
      expect(me.role).toBe(b === viewer ? 'viewer' : 'member');
      const prefs = await b.request('/api/v1/auth/me/preferences', {
        method: 'PUT',
        json: { density: 'compact' },
      });
      expect(prefs.status).toBe(200);
    }
  });

  it('lets an admin session manage API keys: created once, listed by prefix, revoked', async () => {
    const created = await admin.request('/api/v1/keys', {
      method: 'POST',
      json: { name: 'ci', scopes: ['ingest', 'read'] },
    });
    expect(created.status).toBe(201);
    const key = (await created.json()) as { id: string; key: string; prefix: string };
    expect(key.key).toMatch(/^pf_\w{40}$/);
    // The key works, and its use shows in the listing.
    expect((await server.api('/api/v1/traces', { key: key.key })).status).toBe(200);
    const list = await admin.request('/api/v1/keys');
    const text = await list.text();
    expect(text).not.toContain(key.key);
    const listed = (JSON.parse(text) as { keys: Record<string, unknown>[] }).keys.find(
      (k) => k.id === key.id,
    )!;
    expect(listed).toMatchObject({
      prefix: key.prefix,
      scopes: ['ingest', 'read'],
      revokedAt: null,
    });
    expect(listed.lastUsedAt).not.toBeNull();
    expect((await admin.request(`/api/v1/keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await server.api('/api/v1/traces', { key: key.key })).status).toBe(401);
  });

  it('lets an admin session change the project’s settings', async () => {
    const res = await admin.request('/api/v1/projects/default', {
      method: 'PATCH',
      json: { retentionDays: 14, captureContent: false },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ retentionDays: 14, captureContent: false });
    const back = await admin.request('/api/v1/projects/default', {
      method: 'PATCH',
      json: { captureContent: true },
    });
    expect(back.status).toBe(200);
  });

  it('protects the last admin: cannot be demoted or removed (409) until another exists', async () => {
    const me = (await (await admin.request('/api/v1/auth/me')).json()) as { user: { id: string } };
    const demote = await admin.request(`/api/v1/users/${me.user.id}`, {
      method: 'PATCH',
      json: { role: 'member' },
    });
    expect(demote.status).toBe(409);
    expect((await admin.request(`/api/v1/users/${me.user.id}`, { method: 'DELETE' })).status).toBe(
      409,
    );
    const promoted = await admin.request(`/api/v1/users/${memberId}`, {
      method: 'PATCH',
      json: { role: 'admin' },
    });
    expect(promoted.status).toBe(200);
    expect(((await promoted.json()) as User).role).toBe('admin');
    // Now the first admin may step down; the new admin then protects themselves.
    const stepDown = await admin.request(`/api/v1/users/${me.user.id}`, {
      method: 'PATCH',
      json: { role: 'member' },
    });
    expect(stepDown.status).toBe(200);
    const mia = await as('mia@example.com');
    expect(
      (
        await mia.request(`/api/v1/users/${memberId}`, {
          method: 'PATCH',
          json: { role: 'viewer' },
        })
      ).status,
    ).toBe(409);
    // Restore: the first admin is admin again, Mia a member.
    const restore = await mia.request(`/api/v1/users/${me.user.id}`, {
      method: 'PATCH',
      json: { role: 'admin' },
    });
    expect(restore.status).toBe(200);
    expect(
      (
        await admin.request(`/api/v1/users/${memberId}`, {
          method: 'PATCH',
          json: { role: 'member' },
        })
      ).status,
    ).toBe(200);
    // The role is read per request: the admin's old session acts as admin again.
    expect((await admin.request('/api/v1/users')).status).toBe(200);
  });

  it('holds uniqueness and the last-admin rule under concurrent requests', async () => {
    const body = { email: 'race@example.com', name: 'r', password: PASSWORD, role: 'admin' };
    const statuses = await Promise.all(
      [1, 2, 3].map(
        async () => (await admin.request('/api/v1/users', { method: 'POST', json: body })).status,
      ),
    );
    expect(statuses.sort()).toEqual([201, 409, 409]);
    const race = await as('race@example.com');
    const me = (await (await admin.request('/api/v1/auth/me')).json()) as { user: { id: string } };
    const raceId = (
      (await (await race.request('/api/v1/auth/me')).json()) as { user: { id: string } }
    ).user.id;
    // Two admins demote each other at once: one must stay admin.
    const both = await Promise.all([
      admin.request(`/api/v1/users/${raceId}`, { method: 'PATCH', json: { role: 'viewer' } }),
      race.request(`/api/v1/users/${me.user.id}`, { method: 'PATCH', json: { role: 'viewer' } }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const { users } = (await (await server.api('/api/v1/users')).json()) as { users: User[] };
    expect(users.filter((u) => u.role === 'admin')).toHaveLength(1);
    // Back to one admin (the first) and no race user.
    if (users.find((u) => u.role === 'admin')!.id === raceId) {
      await race.request(`/api/v1/users/${me.user.id}`, {
        method: 'PATCH',
        json: { role: 'admin' },
      });
    }
    admin = await as(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await admin.request(`/api/v1/users/${raceId}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('a password set by an admin ends the user’s sessions; removing a user ends them too', async () => {
    const tmp = await createUser(admin, 'tmp@example.com', 'viewer');
    const session = await as('tmp@example.com');
    const reset = await admin.request(`/api/v1/users/${tmp.id}`, {
      method: 'PATCH',
      json: { password: 'another-long-password' },
    });
    expect(reset.status).toBe(200);
    expect((await session.request('/api/v1/auth/me')).status).toBe(401);
    const again = await as('tmp@example.com', 'another-long-password');
    expect((await admin.request(`/api/v1/users/${tmp.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await again.request('/api/v1/auth/me')).status).toBe(401);
    expect(
      (await new Browser(server.apiUrl).login('tmp@example.com', 'another-long-password')).status,
    ).toBe(401);
    expect((await admin.request(`/api/v1/users/${tmp.id}`, { method: 'DELETE' })).status).toBe(404);
    // The email is free again.
    await createUser(admin, 'tmp@example.com', 'viewer');
  });

  it('scopes an admin session to its projects: x-pyflare-project, project creation, keys', async () => {
    // A project made with the admin API key has no members: the session cannot enter it.
    const other = (await (
      await server.api('/api/v1/projects', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'api-made' }),
      })
    ).json()) as { id: string };
    const denied = await admin.request('/api/v1/traces', { project: other.id });
    expect(denied.status).toBe(403);
    const keyThere = await admin.request('/api/v1/keys', {
      method: 'POST',
      json: { name: 'x', scopes: ['read'], projectId: other.id },
    });
    expect(keyThere.status).toBe(403);
    expect((await admin.request(`/api/v1/keys?projectId=${other.id}`)).status).toBe(403);
    const foreignKey = (await (
      await server.api('/api/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'theirs', scopes: ['read'], projectId: other.id }),
      })
    ).json()) as { id: string };
    expect(
      (await admin.request(`/api/v1/keys/${foreignKey.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
    const projects = (await (await admin.request('/api/v1/projects')).json()) as {
      projects: { id: string }[];
    };
    expect(projects.projects.map((p) => p.id)).not.toContain(other.id);

    // A project the session creates makes it admin there; the header switches to it.
    const mine = await admin.request('/api/v1/projects', {
      method: 'POST',
      json: { name: 'ui-made' },
    });
    expect(mine.status).toBe(201);
    const { id } = (await mine.json()) as { id: string };
    const me = (await (await admin.request('/api/v1/auth/me', { project: id })).json()) as {
      project: { id: string };
      role: string;
      projects: { id: string; role: string }[];
    };
    expect(me.project.id).toBe(id);
    expect(me.role).toBe('admin');
    expect(me.projects.map((p) => p.id)).toEqual(['default', id]);
    const users = (await (await admin.request('/api/v1/users', { project: id })).json()) as {
      users: User[];
    };
    expect(users.users.map((u) => u.email)).toEqual([ADMIN_EMAIL]);
    // Viewers of default are nobody there.
    expect((await viewer.request('/api/v1/traces', { project: id })).status).toBe(403);
  });

  it('refuses user routes to API keys (they have no user)', async () => {
    expect((await server.api('/api/v1/auth/me')).status).toBe(403);
    expect((await server.api('/api/v1/saved-queries')).status).toBe(403);
    // ...while an admin key may manage users of its project.
    expect((await server.api('/api/v1/users')).status).toBe(200);
  });
});

describe('saved queries (members, their own)', () => {
  it('saves, lists and deletes a member’s queries; others never see them', async () => {
    const save = await member.request('/api/v1/saved-queries', {
      method: 'POST',
      json: {
        name: 'slow checkout',
        query: 'service:checkout duration:>1s',
        timeRange: 'last-24h',
      },
    });
    expect(save.status).toBe(201);
    const saved = (await save.json()) as { id: string };
    expect(saved).toMatchObject({
      name: 'slow checkout',
      query: 'service:checkout duration:>1s',
      timeRange: 'last-24h',
    });
    const second = await member.request('/api/v1/saved-queries', {
      method: 'POST',
      json: { name: 'errors', query: 'status:error' },
    });
    expect(((await second.json()) as { timeRange: unknown }).timeRange).toBeNull();

    const list = (await (await member.request('/api/v1/saved-queries')).json()) as {
      savedQueries: { id: string; name: string }[];
    };
    expect(list.savedQueries.map((q) => q.name)).toEqual(['slow checkout', 'errors']);

    const adminList = (await (await admin.request('/api/v1/saved-queries')).json()) as {
      savedQueries: unknown[];
    };
    expect(adminList.savedQueries).toEqual([]);
    expect(
      (await admin.request(`/api/v1/saved-queries/${saved.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
    expect(
      (await member.request(`/api/v1/saved-queries/${saved.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    const after = (await (await member.request('/api/v1/saved-queries')).json()) as {
      savedQueries: { name: string }[];
    };
    expect(after.savedQueries.map((q) => q.name)).toEqual(['errors']);
  });

  it('refuses viewers (403) and queries that do not parse (400 INVALID_QUERY)', async () => {
    expect((await viewer.request('/api/v1/saved-queries')).status).toBe(403);
    expect(
      (
        await viewer.request('/api/v1/saved-queries', {
          method: 'POST',
          json: { name: 'x', query: 'status:error' },
        })
      ).status,
    ).toBe(403);
    const bad = await member.request('/api/v1/saved-queries', {
      method: 'POST',
      json: { name: 'x', query: 'duration:>fast' },
    });
    expect(bad.status).toBe(400);
    expect(await code(bad)).toBe('INVALID_QUERY');
    const big = await member.request('/api/v1/saved-queries', {
      method: 'POST',
      json: { name: 'x', query: 'a'.repeat(20_000) },
    });
    expect(big.status).toBe(413);
  });
});
