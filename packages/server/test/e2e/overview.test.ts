import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexId, jsonSpan, jsonTrace, jsonTraceRequest, postJson } from '../helpers/otlp-json.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;
let key: string;
/** A whole minute, 40 minutes ago: buckets of one minute start there. */
let baseMs: number;
const traceIds: string[] = [];

const MS = 1_000_000n;

interface Spec {
  offsetS: number;
  durationMs: number;
  model?: { name: string; provider: string; input: number; output: number };
  childError?: boolean;
  rootError?: boolean;
}

/** The data the overview is checked against: five traces over three minutes. */
const SPECS: Spec[] = [
  {
    offsetS: 0,
    durationMs: 100,
    model: { name: 'gpt-4o', provider: 'openai', input: 10, output: 5 },
  },
  {
    offsetS: 10,
    durationMs: 200,
    model: { name: 'gpt-4o', provider: 'openai', input: 20, output: 10 },
    childError: true,
  },
  {
    offsetS: 70,
    durationMs: 300,
    model: { name: 'claude-3-5-sonnet', provider: 'anthropic', input: 30, output: 15 },
  },
  { offsetS: 80, durationMs: 400 },
  { offsetS: 130, durationMs: 500, rootError: true },
];

function traceOf(spec: Spec) {
  const traceId = hexId(16);
  const rootId = hexId(8);
  const start = BigInt(baseMs + spec.offsetS * 1000) * MS;
  const spans = [
    jsonSpan({
      traceId,
      spanId: rootId,
      name: 'POST /chat',
      startNs: start,
      durationNs: BigInt(spec.durationMs) * MS,
      ...(spec.rootError ? { statusCode: 2 } : {}),
    }),
    jsonSpan({
      traceId,
      parentSpanId: rootId,
      name: spec.model ? `chat ${spec.model.name}` : 'lookup',
      startNs: start + 10n * MS,
      durationNs: 50n * MS,
      ...(spec.childError ? { statusCode: 2 } : {}),
      attributes: spec.model
        ? {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': spec.model.provider,
            'gen_ai.request.model': spec.model.name,
            'gen_ai.usage.input_tokens': spec.model.input,
            'gen_ai.usage.output_tokens': spec.model.output,
          }
        : {},
    }),
  ];
  return { traceId, body: jsonTraceRequest(spans, 'chat-api') };
}

beforeAll(async () => {
  server = await startTestServer();
  baseMs = Math.floor((Date.now() - 40 * 60_000) / 60_000) * 60_000;
  const project = (await (
    await server.api('/api/v1/projects', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'dashboard' }),
    })
  ).json()) as { id: string };
  key = (
    (await (
      await server.api('/api/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'dash', scopes: ['ingest', 'read'], projectId: project.id }),
      })
    ).json()) as { key: string }
  ).key;
  for (const spec of SPECS) {
    const { traceId, body } = traceOf(spec);
    traceIds.push(traceId);
    // The export is acknowledged once durable.
    expect((await postJson(server.otlpHttpUrl, body, key)).status).toBe(200);
  }
  // Another project's traffic must not count.
  expect((await postJson(server.otlpHttpUrl, jsonTrace(3).body, server.adminKey)).status).toBe(200);
});
afterAll(() => server.stop());

interface Overview {
  from: string;
  to: string;
  stepSeconds: number;
  series: {
    t: string;
    requests: number;
    errors: number;
    p50Ms: number;
    p99Ms: number;
    inputTokens: number;
    outputTokens: number;
  }[];
  totals: Record<string, number>;
  topModels: Record<string, unknown>[];
  recentErrors: { traceId: string; hasError: boolean }[];
}

const overview = async (query: string) => {
  const res = await server.api(`/api/v1/overview${query}`, { key });
  expect(res.status).toBe(200);
  return (await res.json()) as Overview;
};

describe('GET /api/v1/overview', () => {
  it('computes the series, totals, top models and recent errors of known data', async () => {
    const from = new Date(baseMs).toISOString();
    const to = new Date(baseMs + 179_999).toISOString();
    const o = await overview(`?from=${from}&to=${to}&step=1m`);
    expect(o.from).toBe(from);
    expect(o.to).toBe(to);
    expect(o.stepSeconds).toBe(60);
    expect(o.series).toEqual([
      {
        t: from,
        requests: 2,
        errors: 1,
        p50Ms: 150,
        p99Ms: 199,
        inputTokens: 30,
        outputTokens: 15,
      },
      {
        t: new Date(baseMs + 60_000).toISOString(),
        requests: 2,
        errors: 0,
        p50Ms: 350,
        p99Ms: 399,
        inputTokens: 30,
        outputTokens: 15,
      },
      {
        t: new Date(baseMs + 120_000).toISOString(),
        requests: 1,
        errors: 1,
        p50Ms: 500,
        p99Ms: 500,
        inputTokens: 0,
        outputTokens: 0,
      },
    ]);
    expect(o.totals).toEqual({
      requests: 5,
      errors: 2,
      errorRate: 0.4,
      p50Ms: 300,
      p99Ms: 496,
      inputTokens: 60,
      outputTokens: 30,
    });
    expect(o.topModels).toEqual([
      { model: 'gpt-4o', provider: 'openai', calls: 2, inputTokens: 30, outputTokens: 15 },
      {
        model: 'claude-3-5-sonnet',
        provider: 'anthropic',
        calls: 1,
        inputTokens: 30,
        outputTokens: 15,
      },
    ]);
    expect(o.recentErrors.map((t) => t.traceId)).toEqual([traceIds[4], traceIds[1]]);
    expect(o.recentErrors.every((t) => t.hasError)).toBe(true);
  });

  it('fills empty buckets with zeros and defaults to the last hour', async () => {
    const from = new Date(baseMs - 120_000).toISOString();
    const to = new Date(baseMs + 179_999).toISOString();
    const o = await overview(`?from=${from}&to=${to}&step=60`);
    expect(o.series).toHaveLength(5);
    expect(o.series[0]).toEqual({
      t: from,
      requests: 0,
      errors: 0,
      p50Ms: 0,
      p99Ms: 0,
      inputTokens: 0,
      outputTokens: 0,
    });
    const hour = await overview('');
    expect(Date.parse(hour.to) - Date.parse(hour.from)).toBe(3_600_000);
    expect(hour.totals.requests).toBe(5);
    expect(hour.series.reduce((n, p) => n + p.requests, 0)).toBe(5);
    const relative = await overview('?from=last-24h');
    expect(relative.totals.requests).toBe(5);
    const later = await overview(`?from=${new Date(baseMs + 120_000).toISOString()}`);
    expect(later.totals).toMatchObject({ requests: 1, errors: 1, errorRate: 1 });
  });

  it('answers 400 to bad windows and steps', async () => {
    for (const q of [
      '?from=yesterday-ish',
      '?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      '?step=0.5s',
      '?step=fast',
      '?from=last-24h&step=1s',
      '?from=2020-01-01&to=2021-01-01',
      '?unknown=1',
    ]) {
      const res = await server.api(`/api/v1/overview${q}`, { key });
      expect(res.status, q).toBe(400);
    }
  });
});
