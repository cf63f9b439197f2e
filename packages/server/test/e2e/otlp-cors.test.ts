import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexId, jsonSpan, jsonTraceRequest, postJson } from '../helpers/otlp-json.ts';
import {
  eventually,
  newAdminKey,
  newDataDir,
  startTestServer,
  type TestServer,
} from '../helpers/running-server.ts';

/**
 * CORS on the OTLP/HTTP receiver (PYFLARE_OTLP_CORS_ORIGINS), as a browser exporter meets it:
 * the preflight, then the POST, for an allowed origin, another origin, and by default. (A real
 * browser sends them in packages/ui/test/otlp-browser.test.ts.)
 */

const APP = 'http://app.example.test';
// One chDB directory per process: the three settings run one after the other on it.
// (The admin key is seeded at the first start only, so every start names the same one.)
const dataDir = newDataDir();
const adminKey = newAdminKey();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A server with `otlpCorsOrigins` for the tests of the enclosing describe block. */
function serverWith(otlpCorsOrigins?: string): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(otlpCorsOrigins === undefined ? {} : { otlpCorsOrigins }, {
      dataDir,
      adminKey,
      keepData: true,
    });
  });
  afterAll(() => server?.stop());
  return () => server!;
}

function preflight(server: TestServer, origin: string, headers = 'authorization,content-type') {
  return fetch(`${server.otlpHttpUrl}/v1/traces`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': headers,
    },
  });
}

describe('OTLP/HTTP CORS for listed origins', () => {
  const server = serverWith(`${APP}, http://other.example.test`);

  it('answers the preflight of an allowed origin, echoing the headers asked for', async () => {
    const res = await preflight(server(), APP, 'authorization,content-type,x-tenant');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-headers')).toBe(
      'authorization,content-type,x-tenant',
    );
    // Keys travel in headers: never credentials mode.
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('stores a POST from an allowed origin and lets it read the answer', async () => {
    const listed = server();
    const traceId = hexId(16);
    const res = await postJson(
      listed.otlpHttpUrl,
      jsonTraceRequest([jsonSpan({ traceId, name: 'from the browser' })]),
      listed.adminKey,
      { origin: APP },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBe('retry-after');
    const read = await eventually(async () => {
      const r = await listed.api(`/api/v1/traces/${traceId}`);
      return r.status === 200 ? ((await r.json()) as { spans: { name: string }[] }) : undefined;
    });
    expect(read.spans.map((s) => s.name)).toEqual(['from the browser']);
  });

  it('puts the headers on refusals too, so the page can read a 401', async () => {
    const res = await postJson(server().otlpHttpUrl, '{}', 'pf_not_a_key_at_all_0123456789', {
      origin: APP,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('gives another origin no CORS headers', async () => {
    const listed = server();
    const pre = await preflight(listed, 'http://evil.example.test');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await postJson(listed.otlpHttpUrl, '{}', listed.adminKey, {
      origin: 'http://evil.example.test',
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('OTLP/HTTP CORS for any origin', () => {
  const server = serverWith('*');

  it("allows any origin with '*'", async () => {
    const res = await preflight(server(), 'http://anywhere.example.test');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('OTLP/HTTP CORS by default', () => {
  const server = serverWith();

  it('has no CORS: the preflight is not found', async () => {
    const none = server();
    const res = await preflight(none, APP);
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post = await postJson(none.otlpHttpUrl, '{}', none.adminKey, { origin: APP });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});
