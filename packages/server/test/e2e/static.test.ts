import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataDir, startTestServer, type TestServer } from '../helpers/running-server.ts';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-3f9a1c.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("pyflare");';

let uiDir: string;
let dataDir: string;
let server: TestServer;

beforeAll(async () => {
  uiDir = mkdtempSync(join(tmpdir(), 'pyflare-ui-'));
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), INDEX);
  writeFileSync(join(uiDir, 'assets', 'app-3f9a1c.js'), SCRIPT);
  writeFileSync(join(uiDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  dataDir = newDataDir();
  server = await startTestServer({ uiDir }, { dataDir, keepData: true });
});
afterAll(async () => {
  await server.stop();
  rmSync(uiDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(server.apiUrl + path, init);

describe('the web UI on the API port', () => {
  it('serves index.html at / without credentials, with a CSP and no-cache', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toBe(INDEX);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers client-side routes with index.html (SPA fallback)', async () => {
    for (const path of [
      '/traces',
      '/traces/4bf92f3577b34da6a3ce929d0e0e4736',
      '/settings/keys?tab=1',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(INDEX);
    }
  });

  it('serves hashed assets with a long immutable cache, other files with a short one', async () => {
    const js = await get('/assets/app-3f9a1c.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe(SCRIPT);
    const icon = await get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('answers 404 for a missing file and for unknown API paths, never index.html', async () => {
    const missing = await get('/assets/nope-123.js');
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<div id="root">');
    for (const path of ['/api/v1/nope', '/api/nope', '/api']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('keeps path traversal inside the UI directory', async () => {
    for (const path of [
      '/..%2f..%2fetc%2fpasswd.txt',
      '/assets/..%2f..%2f..%2fetc%2fhosts.txt',
      '/%2e%2e/%2e%2e/x.js',
    ]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('root:');
    }
    expect((await get('/%E0%A4%A.js')).status).toBe(400);
  });

  it('leaves the API and /metrics to their routes and their auth', async () => {
    expect((await get('/api/v1/health')).status).toBe(200);
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/api/v1/traces')).status).toBe(401);
  });

  it('explains how to build the UI when it is not built', async () => {
    await server.stop();
    server = await startTestServer(
      { uiDir: join(uiDir, 'does-not-exist') },
      { dataDir, keepData: true },
    );
    for (const path of ['/', '/traces']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('not built');
      expect(text).toContain('npm run build -w packages/ui');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    expect((await get('/api/v1/health')).status).toBe(200);
  });
});
