import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterValue, jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ rateLimitPerMinute: 40, corsOrigins: 'http://localhost:5173' });
});
afterAll(() => server.stop());

describe('system endpoints', () => {
  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await server.api('/api/v1/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string }[] }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/health',
      '/api/v1/traces',
      '/api/v1/traces/{traceId}',
      '/api/v1/spans',
      '/api/v1/keys',
      '/api/v1/projects',
    ]) {
      expect(Object.keys(doc.paths), path).toContain(path);
    }
    const params = doc.paths['/api/v1/traces']!.get!.parameters!.map((p) => p.name);
    expect(params).toEqual(expect.arrayContaining(['q', 'limit', 'cursor']));
  });

  it('serves Prometheus self-metrics that count ingest', async () => {
    expect((await postJson(server.otlpHttpUrl, jsonTrace(4).body, server.adminKey)).status).toBe(
      200,
    );
    const res = await server.api('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(counterValue(text, 'pyflare_ingest_accepted_total', { signal: 'traces' })).toBe(4);
    expect(text).toContain('pyflare_storage_batch_write_seconds_bucket');
    expect(text).toContain('pyflare_ingest_queue_rows');
    expect(text).not.toContain(server.adminKey);
  });

  it('answers CORS preflights for configured origins only', async () => {
    const allowed = await fetch(`${server.apiUrl}/api/v1/traces`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await fetch(`${server.apiUrl}/api/v1/traces`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown routes with problem+json 404', async () => {
    const res = await server.api('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('rate-limits the API with 429 and Retry-After', async () => {
    let limited: Response | undefined;
    // 40 a minute: more than enough even if the minute's window turns over once meanwhile.
    for (let i = 0; i < 200 && !limited; i++) {
      const res = await server.api('/api/v1/projects');
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { code: string }).code).toBe('RATE_LIMITED');
    // Health stays reachable for probes.
    expect((await server.api('/api/v1/health', { key: null })).status).toBe(200);
  });
});
