import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function createKey(
  scopes: string[],
  projectId?: string,
): Promise<{ id: string; key: string; prefix: string }> {
  const res = await server.api('/api/v1/keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `test ${scopes.join('+')}`,
      scopes,
      ...(projectId ? { projectId } : {}),
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; key: string; prefix: string };
}

describe('auth', () => {
  it('serves health and readiness without a key', async () => {
    expect((await server.api('/api/v1/health', { key: null })).status).toBe(200);
    expect((await server.api('/api/v1/ready', { key: null })).status).toBe(200);
  });

  it('answers 401 problem+json without a key or with an unknown key', async () => {
    const none = await server.api('/api/v1/projects', { key: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await none.json()) as { status: number; code: string; detail: string };
    expect(problem).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(
      (await server.api('/api/v1/projects', { key: 'pf_not_a_real_key_at_all_0000000' })).status,
    ).toBe(401);
    expect((await postJson(server.otlpHttpUrl, jsonTrace(1).body, null)).status).toBe(401);
  });

  it('accepts the key as Bearer and as x-api-key', async () => {
    const viaHeader = await fetch(`${server.apiUrl}/api/v1/projects`, {
      headers: { 'x-api-key': server.adminKey },
    });
    expect(viaHeader.status).toBe(200);
    const res = await fetch(`${server.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.adminKey },
      body: JSON.stringify(jsonTrace(1).body),
    });
    expect(res.status).toBe(200);
  });

  it('lets an ingest-only key send but not read', async () => {
    const { key } = await createKey(['ingest']);
    expect((await postJson(server.otlpHttpUrl, jsonTrace(2).body, key)).status).toBe(200);
    const read = await server.api('/api/v1/traces', { key });
    expect(read.status).toBe(403);
    expect(((await read.json()) as { code: string }).code).toBe('FORBIDDEN');
    expect((await server.api('/metrics', { key })).status).toBe(403);
  });

  it('lets a read-only key read but not send or administer', async () => {
    const { key } = await createKey(['read']);
    expect((await server.api('/api/v1/traces', { key })).status).toBe(200);
    expect((await postJson(server.otlpHttpUrl, jsonTrace(1).body, key)).status).toBe(403);
    expect((await server.api('/api/v1/keys', { key })).status).toBe(403);
  });

  it('stops a revoked key at once', async () => {
    const { id, key } = await createKey(['ingest', 'read']);
    expect((await postJson(server.otlpHttpUrl, jsonTrace(1).body, key)).status).toBe(200);
    const revoke = await server.api(`/api/v1/keys/${id}`, { method: 'DELETE' });
    expect(revoke.status).toBe(200);
    expect(((await revoke.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await postJson(server.otlpHttpUrl, jsonTrace(1).body, key)).status).toBe(401);
    expect((await server.api('/api/v1/traces', { key })).status).toBe(401);
  });

  it('never returns key secrets or hashes in listings', async () => {
    const { key, prefix } = await createKey(['read']);
    const text = await (await server.api('/api/v1/keys')).text();
    expect(text).toContain(prefix);
    expect(text).not.toContain(key);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  it('isolates projects: a key reads only its own project', async () => {
    const created = await server.api('/api/v1/projects', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'other-team' }),
    });
    expect(created.status).toBe(201);
    const other = (await created.json()) as { id: string };
    const otherKey = (await createKey(['ingest', 'read'], other.id)).key;
    const mine = jsonTrace(2, 'mine-service');
    const theirs = jsonTrace(2, 'their-service');
    expect((await postJson(server.otlpHttpUrl, mine.body, server.adminKey)).status).toBe(200);
    expect((await postJson(server.otlpHttpUrl, theirs.body, otherKey)).status).toBe(200);
    expect((await server.api(`/api/v1/traces/${mine.traceId}`)).status).toBe(200);
    expect((await server.api(`/api/v1/traces/${theirs.traceId}`)).status).toBe(404);
    expect((await server.api(`/api/v1/traces/${theirs.traceId}`, { key: otherKey })).status).toBe(
      200,
    );
    expect((await server.api(`/api/v1/traces/${mine.traceId}`, { key: otherKey })).status).toBe(
      404,
    );
  });

  it('validates admin requests', async () => {
    const res = await server.api('/api/v1/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', scopes: ['superuser'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/scopes/);
    const dup = await server.api('/api/v1/projects', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'default' }),
    });
    expect(dup.status).toBe(409);
    expect((await server.api('/api/v1/keys/key_nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses to run without auth on anything but loopback', () => {
    expect(() => loadConfig({ flags: { auth: 'disabled', host: '0.0.0.0' }, env: {} })).toThrow(
      /loopback/,
    );
    expect(loadConfig({ flags: { auth: 'disabled', host: '127.0.0.1' }, env: {} }).auth).toBe(
      'disabled',
    );
  });
});
