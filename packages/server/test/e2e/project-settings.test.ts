import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexId, jsonSpan, jsonTraceRequest, nowNs, postJson } from '../helpers/otlp-json.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function newProject(settings: Record<string, unknown>) {
  const json = { 'content-type': 'application/json' };
  const res = await server.api('/api/v1/projects', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ name: `p-${hexId(4)}`, ...settings }),
  });
  expect(res.status).toBe(201);
  const project = (await res.json()) as {
    id: string;
    retentionDays: number;
    captureContent: boolean;
  };
  const keyRes = await server.api('/api/v1/keys', {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ name: 'k', scopes: ['ingest', 'read'], projectId: project.id }),
  });
  return { project, key: ((await keyRes.json()) as { key: string }).key };
}

const DAY_NS = 86_400_000_000_000n;

describe('per-project settings', () => {
  it('applies the project retention: data older than it is not kept', async () => {
    const { project, key } = await newProject({ retentionDays: 2 });
    expect(project.retentionDays).toBe(2);
    const recent = hexId(16);
    const old = hexId(16);
    const body = jsonTraceRequest([
      jsonSpan({ traceId: recent, startNs: nowNs() - DAY_NS }),
      jsonSpan({ traceId: old, startNs: nowNs() - 3n * DAY_NS }),
    ]);
    expect((await postJson(server.otlpHttpUrl, body, key)).status).toBe(200);
    expect((await server.api(`/api/v1/traces/${recent}`, { key })).status).toBe(200);
    expect((await server.api(`/api/v1/traces/${old}`, { key })).status).toBe(404);
  });

  it('stores no prompt or completion when content capture is off', async () => {
    const { project, key } = await newProject({ captureContent: false });
    expect(project.captureContent).toBe(false);
    const traceId = hexId(16);
    const secret = 'my card number is 4111 1111 1111 1111';
    const span = jsonSpan({
      traceId,
      name: 'chat gpt-4o',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: secret }] },
        ]),
        'gen_ai.prompt.0.content': secret,
        'input.value': secret,
      },
    });
    expect((await postJson(server.otlpHttpUrl, jsonTraceRequest([span]), key)).status).toBe(200);
    const res = await server.api(`/api/v1/traces/${traceId}`, { key });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('4111');
    const spanOut = (JSON.parse(text) as { spans: Record<string, unknown>[] }).spans[0]!;
    expect(spanOut).toMatchObject({ requestModel: 'gpt-4o', inputTokens: 12, inputText: '' });
  });

  it('keeps content when capture is on (the default)', async () => {
    const { key } = await newProject({});
    const traceId = hexId(16);
    const span = jsonSpan({
      traceId,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'input.value': 'hello there',
        'output.value': 'general kenobi',
      },
    });
    expect((await postJson(server.otlpHttpUrl, jsonTraceRequest([span]), key)).status).toBe(200);
    const spanOut = (
      (await (await server.api(`/api/v1/traces/${traceId}`, { key })).json()) as {
        spans: Record<string, unknown>[];
      }
    ).spans[0]!;
    expect(spanOut).toMatchObject({ inputText: 'hello there', outputText: 'general kenobi' });
  });

  it('changes settings with PATCH, validated', async () => {
    const { project } = await newProject({});
    const patch = (body: unknown) =>
      server.api(`/api/v1/projects/${project.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await patch({ retentionDays: 90, captureContent: false });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ retentionDays: 90, captureContent: false });
    expect((await patch({ retentionDays: 0 })).status).toBe(400);
    expect((await patch({ retentionDays: 'forever' })).status).toBe(400);
    expect((await patch({ owner: 'me' })).status).toBe(400);
    const missing = await server.api('/api/v1/projects/prj_nope', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"retentionDays":5}',
    });
    expect(missing.status).toBe(404);
  });
});
