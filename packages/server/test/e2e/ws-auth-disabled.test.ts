import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';
import { WsClient } from '../helpers/ws-client.ts';

let server: TestServer;
let wsUrl: string;

beforeAll(async () => {
  server = await startTestServer({ auth: 'disabled' });
  wsUrl = `${server.apiUrl.replace('http', 'ws')}/api/v1/ws`;
});
afterAll(() => server.stop());

async function status(headers: Record<string, string>): Promise<number> {
  try {
    const c = await WsClient.open(wsUrl, headers);
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    c.close();
    return 101;
  } catch (e) {
    return (e as { status?: number }).status ?? 0;
  }
}

describe('WebSocket with auth disabled (loopback only)', () => {
  it('serves local tools and its own page, but not other web pages', async () => {
    expect(await status({})).toBe(101);
    expect(await status({ origin: server.apiUrl })).toBe(101);
    // Any page open in the user's browser could otherwise read the local server's traces.
    expect(await status({ origin: 'https://evil.example' })).toBe(403);
  });

  it('answers /auth/me as the local admin without logging in', async () => {
    const res = await fetch(`${server.apiUrl}/api/v1/auth/me`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { email: 'admin@localhost' },
      role: 'admin',
      project: { id: 'default' },
      csrfToken: null,
    });
  });

  it('refuses names other than loopback ones (DNS rebinding)', async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${server.apiUrl}/api/v1/traces`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const port = new URL(server.apiUrl).port;
    expect(await get(`attacker.example:${port}`)).toBe(403);
    expect(await get(`localhost:${port}`)).toBe(200);
    expect(await get(`127.0.0.1:${port}`)).toBe(200);
    expect(
      await status({ host: `attacker.example:${port}`, origin: `http://attacker.example:${port}` }),
    ).toBe(403);
  });
});
