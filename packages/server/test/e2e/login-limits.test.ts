import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;
/**
 * A use must land in a window half the lifetime wide (after ttl/2, before the expiry): 5 s
 * of slack for a slow request on a loaded machine (a 3 s lifetime left 1 s).
 */
const TTL_SECONDS = 10;
const TTL_MS = TTL_SECONDS * 1000;

beforeAll(async () => {
  server = await startTestServer({ adminPassword: ADMIN_PASSWORD, sessionTtlSeconds: TTL_SECONDS });
});
afterAll(() => server.stop());

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

/** POST /auth/login from a given loopback source address (127.0.0.x). */
function loginFrom(
  localAddress: string,
  email: string,
  password: string,
): Promise<{ status: number; retryAfter: string | undefined; code: string | undefined }> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${server.apiUrl}/api/v1/auth/login`,
      {
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            code: (JSON.parse(text) as { code?: string }).code,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('session expiry', () => {
  it('slides the expiry forward on use and ends an unused session', async () => {
    const b = new Browser(server.apiUrl);
    expect((await b.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    // The session started before this moment, so it ends at most TTL_MS after it.
    const loggedIn = Date.now();
    await sleepUntil(loggedIn + TTL_MS / 2 + 250);
    // Used after more than ttl/2: the expiry moves and the cookies are sent again.
    const used = await b.request('/api/v1/auth/me');
    expect(used.status).toBe(200);
    expect(b.lastSetCookies.map((c) => c.name).sort()).toEqual(['pyflare_csrf', 'pyflare_session']);
    // Past the first expiry, alive thanks to the slide.
    await sleepUntil(loggedIn + TTL_MS + 250);
    expect((await b.request('/api/v1/auth/me')).status).toBe(200);
    // Unused for a whole lifetime since the last use (which may have slid it again): gone.
    await sleepUntil(Date.now() + TTL_MS + 250);
    const expired = await b.request('/api/v1/auth/me');
    expect(expired.status).toBe(401);
  });
});

describe('login rate limit', () => {
  it('blocks an email after 10 failures in 15 minutes, and the address too (429 Retry-After)', async () => {
    const victim = 'vic@example.com';
    const admin = new Browser(server.apiUrl);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const created = await admin.request('/api/v1/users', {
      method: 'POST',
      json: { email: victim, name: 'Vic', password: 'the-right-password', role: 'viewer' },
    });
    expect(created.status).toBe(201);

    for (let i = 0; i < 10; i++) {
      const res = await loginFrom('127.0.0.1', victim, `guess-${i}`);
      expect(res.status).toBe(401);
      expect(res.code).toBe('INVALID_CREDENTIALS');
    }
    const blocked = await loginFrom('127.0.0.1', victim, 'guess-10');
    expect(blocked.status).toBe(429);
    expect(blocked.code).toBe('RATE_LIMITED');
    const wait = Number(blocked.retryAfter);
    expect(wait).toBeGreaterThan(800);
    expect(wait).toBeLessThanOrEqual(900);

    // The email is blocked from any address, even with the right password...
    expect((await loginFrom('127.0.0.2', victim, 'the-right-password')).status).toBe(429);
    // ...another address may log in to another account...
    expect((await loginFrom('127.0.0.2', ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    // ...and the failing address is blocked for every account.
    expect((await loginFrom('127.0.0.1', ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(429);
  });
});
