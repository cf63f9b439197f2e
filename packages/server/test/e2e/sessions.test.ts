import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ adminPassword: ADMIN_PASSWORD });
});
afterAll(() => server.stop());

const browser = () => new Browser(server.apiUrl);

async function loggedIn(): Promise<Browser> {
  const b = browser();
  expect((await b.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
  return b;
}

describe('sessions', () => {
  it('creates the first admin from PYFLARE_ADMIN_PASSWORD and prints nothing to show', () => {
    expect(server.createdAdminUser).toEqual({ email: ADMIN_EMAIL, password: undefined });
  });

  it('logs in, sets the session and CSRF cookies with the right flags, and answers me', async () => {
    const b = browser();
    const res = await b.login(ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      user: { id: string; email: string; name: string };
      csrfToken: string;
      projects: { id: string; name: string; role: string }[];
    };
    expect(body.user).toMatchObject({ email: ADMIN_EMAIL, name: 'Admin' });
    expect(body.projects).toEqual([{ id: 'default', name: 'default', role: 'admin' }]);
    expect(body.csrfToken).toMatch(/^[\w-]{43}$/);

    const session = b.lastSetCookies.find((c) => c.name === 'pyflare_session')!;
    const csrf = b.lastSetCookies.find((c) => c.name === 'pyflare_csrf')!;
    expect(session.value).toMatch(/^[\w-]{43}$/);
    expect(session.attributes).toMatchObject({
      httponly: true,
      samesite: 'Lax',
      path: '/',
      'max-age': String(7 * 86_400),
    });
    // Plain HTTP: a Secure cookie would never come back.
    expect(session.attributes.secure).toBeUndefined();
    // X-Forwarded-Proto is not trusted unless PYFLARE_TRUST_PROXY is set (see proxy.test.ts).
    const forwarded = new Browser(server.apiUrl);
    await forwarded.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'x-forwarded-proto': 'https' },
      json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expect(
      forwarded.lastSetCookies.find((c) => c.name === 'pyflare_session')?.attributes.secure,
    ).toBeUndefined();
    expect(csrf.value).toBe(body.csrfToken);
    expect(csrf.attributes.httponly).toBeUndefined();
    expect(csrf.attributes).toMatchObject({ samesite: 'Lax', path: '/' });
    // The body never carries the session token.
    expect(JSON.stringify(body)).not.toContain(session.value);

    const me = await b.request('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      user: body.user,
      role: 'admin',
      project: { id: 'default', name: 'default' },
      projects: body.projects,
      csrfToken: body.csrfToken,
      preferences: {},
    });
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await browser().login(ADMIN_EMAIL, 'not-the-password');
    const unknown = await browser().login('nobody@example.com', ADMIN_PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    const [a, b] = (await Promise.all([wrong.json(), unknown.json()])) as Record<string, unknown>[];
    expect(a).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect({ ...a, instance: 0 }).toEqual({ ...b, instance: 0 });
  });

  it('answers 401 to me without a session and with a forged cookie', async () => {
    expect((await browser().request('/api/v1/auth/me')).status).toBe(401);
    const forged = browser();
    forged.cookies.set('pyflare_session', 'A'.repeat(43));
    const res = await forged.request('/api/v1/auth/me');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    // The stale cookies are cleared.
    expect(forged.cookies.has('pyflare_session')).toBe(false);
  });

  it('refuses a state-changing request without or with a wrong CSRF token (403 CSRF)', async () => {
    const b = await loggedIn();
    const put = (csrf: boolean | string) =>
      b.request('/api/v1/auth/me/preferences', { method: 'PUT', json: { theme: 'dark' }, csrf });
    const missing = await put(false);
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { code: string }).code).toBe('CSRF');
    const wrong = await put('x'.repeat(43));
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { code: string }).code).toBe('CSRF');
    // The cookie value itself is what the double submit compares against.
    const ok = await put(true);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ theme: 'dark' });
    // GETs need no token.
    expect((await b.request('/api/v1/auth/me/preferences', { csrf: false })).status).toBe(200);
  });

  it('needs no CSRF token with an API key, even alongside a cookie', async () => {
    const b = await loggedIn();
    const res = await b.request('/api/v1/keys', {
      method: 'POST',
      csrf: false,
      headers: { authorization: `Bearer ${server.adminKey}` },
      json: { name: 'csrf-free', scopes: ['read'] },
    });
    expect(res.status).toBe(201);
  });

  it('logs out: the session ends server-side and the cookies are cleared', async () => {
    const b = await loggedIn();
    const stolen = new Browser(server.apiUrl);
    for (const [k, v] of b.cookies) stolen.cookies.set(k, v);
    expect((await b.request('/api/v1/auth/logout', { method: 'POST', csrf: false })).status).toBe(
      403,
    );
    const out = await b.request('/api/v1/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(b.cookies.size).toBe(0);
    // A copy of the cookie no longer works either.
    expect((await stolen.request('/api/v1/auth/me')).status).toBe(401);
    // Logging out again is harmless.
    expect((await b.request('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
  });

  it('changes the password: the other sessions end, this one stays', async () => {
    const a = await loggedIn();
    const other = await loggedIn();
    const wrong = await a.request('/api/v1/auth/me/password', {
      method: 'PUT',
      json: { currentPassword: 'nope-nope-nope', newPassword: 'a-brand-new-password' },
    });
    expect(wrong.status).toBe(400);
    const short = await a.request('/api/v1/auth/me/password', {
      method: 'PUT',
      json: { currentPassword: ADMIN_PASSWORD, newPassword: 'short' },
    });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { detail: string }).detail).toMatch(/newPassword/);
    const next = 'a-brand-new-password';
    const ok = await a.request('/api/v1/auth/me/password', {
      method: 'PUT',
      json: { currentPassword: ADMIN_PASSWORD, newPassword: next },
    });
    expect(ok.status).toBe(204);
    expect((await a.request('/api/v1/auth/me')).status).toBe(200);
    expect((await other.request('/api/v1/auth/me')).status).toBe(401);
    expect((await browser().login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(401);
    expect((await browser().login(ADMIN_EMAIL, next)).status).toBe(200);
    // Back to the shared password for the other tests.
    const back = await a.request('/api/v1/auth/me/password', {
      method: 'PUT',
      json: { currentPassword: next, newPassword: ADMIN_PASSWORD },
    });
    expect(back.status).toBe(204);
  });

  it('stores preferences: merges fields, null clears, bad values are 400', async () => {
    const b = await loggedIn();
    const put = (json: unknown) =>
      b.request('/api/v1/auth/me/preferences', { method: 'PUT', json });
    expect(await (await put({ theme: 'light', timeZone: 'Europe/Paris' })).json()).toEqual({
      theme: 'light',
      timeZone: 'Europe/Paris',
    });
    expect(await (await put({ density: 'compact', theme: null })).json()).toEqual({
      timeZone: 'Europe/Paris',
      density: 'compact',
    });
    const got = await b.request('/api/v1/auth/me/preferences');
    expect(await got.json()).toEqual({ timeZone: 'Europe/Paris', density: 'compact' });
    for (const bad of [{ theme: 'neon' }, { timeZone: 'Mars/Olympus' }, { colour: 'red' }, []]) {
      expect((await put(bad)).status).toBe(400);
    }
  });

  it('answers hostile, malformed and oversized bodies with 400 and 413', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(`${server.apiUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
    expect((await post('{"email":')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('{"email":"a@b.c"}')).status).toBe(400);
    expect((await post('{"email":1,"password":2}')).status).toBe(400);
    expect(
      (await post(JSON.stringify({ email: 'a@b.c', password: 'x', __proto__x: 1 }))).status,
    ).toBe(400);
    // A cross-site form can post text/plain without a preflight: it is never read as JSON.
    const form = await post('{"email":"a@b.c","password":"x"}', 'text/plain');
    expect(form.status).toBe(400);
    expect(form.headers.get('set-cookie')).toBeNull();
    const huge = await post(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(100_000) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    const long = await post(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(5000) }));
    expect(long.status).toBe(400);
  });

  it('documents the auth routes and the session scheme in OpenAPI', async () => {
    const doc = (await (await fetch(`${server.apiUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    for (const path of [
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/auth/me',
      '/api/v1/auth/me/password',
      '/api/v1/auth/me/preferences',
      '/api/v1/users',
      '/api/v1/users/{userId}',
      '/api/v1/saved-queries',
      '/api/v1/saved-queries/{id}',
      '/api/v1/overview',
    ]) {
      const operations = Object.values(doc.paths[path] ?? {});
      expect(operations.length, path).toBeGreaterThan(0);
      for (const op of operations) {
        expect(op.summary, path).toBeTruthy();
        expect(op.tags?.length, path).toBe(1);
      }
    }
    // The UI's files and the WebSocket are not API operations.
    expect(doc.paths['/*']).toBeUndefined();
    expect(doc.paths['/api/v1/ws']).toBeUndefined();
    expect(doc.components.securitySchemes.session).toMatchObject({ in: 'cookie' });
  });
});
