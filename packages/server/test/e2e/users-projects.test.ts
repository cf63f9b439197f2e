import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser } from '../helpers/browser.ts';
import { hexId, jsonSpan, jsonTraceRequest, postJson } from '../helpers/otlp-json.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/running-server.ts';

// A user in two projects: added to the second one, switched between them with the
// x-pyflare-project header, their role changed and removed there, over HTTP.

let server: TestServer;
let admin: Browser;
let mia: Browser;
let miaId: string;
let defaultProject: string;
let second: string;
const PASSWORD = 'a-long-enough-password';

const problem = async (res: Response) =>
  (await res.json()) as { code: string; detail: string; status: number };

async function login(email: string, password: string): Promise<Browser> {
  const b = new Browser(server.apiUrl);
  expect((await b.login(email, password)).status).toBe(200);
  return b;
}

async function ingestTrace(projectId: string): Promise<string> {
  const keyRes = await server.api('/api/v1/keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ingest', scopes: ['ingest'], projectId }),
  });
  expect(keyRes.status).toBe(201);
  const { key } = (await keyRes.json()) as { key: string };
  const traceId = hexId(16);
  const res = await postJson(server.otlpHttpUrl, jsonTraceRequest([jsonSpan({ traceId })]), key);
  expect(res.status).toBe(200);
  return traceId;
}

beforeAll(async () => {
  server = await startTestServer({ adminPassword: ADMIN_PASSWORD });
  admin = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
  const me = (await (await admin.request('/api/v1/auth/me')).json()) as {
    project: { id: string };
  };
  defaultProject = me.project.id;
  const created = await admin.request('/api/v1/users', {
    method: 'POST',
    json: { email: 'mia@example.com', name: 'Mia', password: PASSWORD, role: 'member' },
  });
  expect(created.status).toBe(201);
  miaId = ((await created.json()) as { id: string }).id;
  const project = await admin.request('/api/v1/projects', {
    method: 'POST',
    json: { name: 'second' },
  });
  expect(project.status).toBe(201);
  second = ((await project.json()) as { id: string }).id;
  mia = await login('mia@example.com', PASSWORD);
});
afterAll(() => server.stop());

describe('a user in several projects', () => {
  it('only an admin of the project adds an existing user to it', async () => {
    const bob = await admin.request('/api/v1/users', {
      method: 'POST',
      json: { email: 'bob@example.com', name: 'Bob', password: PASSWORD, role: 'viewer' },
    });
    expect(bob.status).toBe(201);
    // Mia is a member (not an admin) of the default project.
    const res = await mia.request('/api/v1/users/members', {
      method: 'POST',
      json: { email: 'bob@example.com', role: 'viewer' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    // Mia is no member of the second project at all.
    const other = await mia.request('/api/v1/users/members', {
      method: 'POST',
      project: second,
      json: { email: 'bob@example.com', role: 'viewer' },
    });
    expect(other.status).toBe(403);
  });

  it('adds Mia to the second project as a viewer; unknown and duplicate answer 404 and 409', async () => {
    const res = await admin.request('/api/v1/users/members', {
      method: 'POST',
      project: second,
      json: { email: 'MIA@example.com', role: 'viewer' },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: miaId, email: 'mia@example.com', role: 'viewer' });

    const again = await admin.request('/api/v1/users/members', {
      method: 'POST',
      project: second,
      json: { email: 'mia@example.com', role: 'member' },
    });
    expect(again.status).toBe(409);
    expect((await problem(again)).detail).toMatch(/member of this project already/);

    const unknown = await admin.request('/api/v1/users/members', {
      method: 'POST',
      project: second,
      json: { email: 'nobody@example.com', role: 'member' },
    });
    expect(unknown.status).toBe(404);
    expect((await problem(unknown)).code).toBe('NOT_FOUND');

    const badRole = await admin.request('/api/v1/users/members', {
      method: 'POST',
      project: second,
      json: { email: 'mia@example.com', role: 'owner' },
    });
    expect(badRole.status).toBe(400);

    const members = (await (await admin.request('/api/v1/users', { project: second })).json()) as {
      users: { email: string; role: string }[];
    };
    expect(members.users.map((u) => [u.email, u.role]).sort()).toEqual([
      [ADMIN_EMAIL, 'admin'],
      ['mia@example.com', 'viewer'],
    ]);
  });

  it('switches project and sees only that project’s data, with that project’s role', async () => {
    const inDefault = await ingestTrace(defaultProject);
    const inSecond = await ingestTrace(second);
    const me = (await (await mia.request('/api/v1/auth/me', { project: second })).json()) as {
      role: string;
      project: { id: string };
      projects: { id: string; role: string }[];
    };
    expect(me.project.id).toBe(second);
    expect(me.role).toBe('viewer');
    expect(me.projects.map((p) => [p.id, p.role]).sort()).toEqual(
      [
        [defaultProject, 'member'],
        [second, 'viewer'],
      ].sort(),
    );

    await eventually(async () => {
      const res = await mia.request(`/api/v1/traces/${inSecond}`, { project: second });
      return res.status === 200 ? true : undefined;
    });
    expect((await mia.request(`/api/v1/traces/${inDefault}`, { project: second })).status).toBe(
      404,
    );
    await eventually(async () => {
      const res = await mia.request(`/api/v1/traces/${inDefault}`);
      return res.status === 200 ? true : undefined;
    });
    expect((await mia.request(`/api/v1/traces/${inSecond}`)).status).toBe(404);
    const listed = (await (
      await mia.request('/api/v1/traces?limit=100', { project: second })
    ).json()) as { traces: { traceId: string }[] };
    expect(listed.traces.map((t) => t.traceId)).toEqual([inSecond]);
  });

  it('changes Mia’s role in one project only; the last admin cannot be demoted (409)', async () => {
    const res = await admin.request(`/api/v1/users/${miaId}`, {
      method: 'PATCH',
      project: second,
      json: { role: 'member' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ role: 'member' });
    const inDefault = (await (await admin.request('/api/v1/users')).json()) as {
      users: { id: string; role: string }[];
    };
    expect(inDefault.users.find((u) => u.id === miaId)?.role).toBe('member');

    const me = (await (await admin.request('/api/v1/auth/me', { project: second })).json()) as {
      user: { id: string };
    };
    const demote = await admin.request(`/api/v1/users/${me.user.id}`, {
      method: 'PATCH',
      project: second,
      json: { role: 'viewer' },
    });
    expect(demote.status).toBe(409);
    expect(demote.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect((await problem(demote)).detail).toMatch(/last admin/);
    const removeSelf = await admin.request(`/api/v1/users/${me.user.id}`, {
      method: 'DELETE',
      project: second,
    });
    expect(removeSelf.status).toBe(409);
  });

  it('removes Mia from the second project; she keeps the first', async () => {
    const res = await admin.request(`/api/v1/users/${miaId}`, {
      method: 'DELETE',
      project: second,
    });
    expect(res.status).toBe(204);
    // Removal ends her sessions: she signs in again and has the default project only.
    mia = await login('mia@example.com', PASSWORD);
    expect((await mia.request('/api/v1/auth/me', { project: second })).status).toBe(403);
    const me = (await (await mia.request('/api/v1/auth/me')).json()) as {
      projects: { id: string }[];
    };
    expect(me.projects.map((p) => p.id)).toEqual([defaultProject]);
  });

  it('shows the route in the OpenAPI document', async () => {
    const doc = (await (await server.api('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths['/api/v1/users/members']?.post).toBeDefined();
  });
});
