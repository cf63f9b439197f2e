import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, parseSetCookie } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ adminPassword: ADMIN_PASSWORD, trustProxy: 'true' });
});
afterAll(() => server.stop());

const login = (password: string, headers: Record<string, string>) =>
  fetch(`${server.apiUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: ADMIN_EMAIL, password }),
  });

describe('behind a reverse proxy (PYFLARE_TRUST_PROXY=true)', () => {
  it('marks the cookies Secure when the proxy says the client used HTTPS', async () => {
    const res = await login(ADMIN_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie().map(parseSetCookie);
    expect(cookies.map((c) => c.name).sort()).toEqual(['pyflare_csrf', 'pyflare_session']);
    for (const c of cookies) expect(c.attributes.secure).toBe(true);
  });

  it('limits failed logins per forwarded client address', async () => {
    const post = (email: string, password: string, client: string) =>
      fetch(`${server.apiUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
        body: JSON.stringify({ email, password }),
      });
    for (let i = 0; i < 10; i++) {
      expect((await post('nobody@example.com', 'wrong-password', '203.0.113.7')).status).toBe(401);
    }
    // That client is blocked, for every account; another client behind the same proxy is not.
    expect((await post(ADMIN_EMAIL, ADMIN_PASSWORD, '203.0.113.7')).status).toBe(429);
    expect((await post(ADMIN_EMAIL, ADMIN_PASSWORD, '203.0.113.8')).status).toBe(200);
  });
});
