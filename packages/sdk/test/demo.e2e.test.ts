import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPyflare, runDemo } from '../src/demo/index.ts';
import { findSpans, startTestServer, type TestServer } from './helpers/pyflare-server.ts';

/** `pyflare demo`'s engine, briefly, against a real server: every workload leaves its data. */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('runDemo', () => {
  it('refuses a bad key and a missing server with clear messages', async () => {
    await expect(checkPyflare(server.otlpHttpUrl, 'pf_wrong_key_0123456789')).rejects.toThrow(
      /refused the API key/,
    );
    await expect(checkPyflare('http://127.0.0.1:9', server.adminKey)).rejects.toThrow(
      /no PyFlare answers/,
    );
  });

  it('fills services, models, users, sessions, errors, tools, retrieval and ML data', async () => {
    const lines: string[] = [];
    const result = await runDemo({
      otlpEndpoint: server.otlpHttpUrl,
      apiKey: server.adminKey,
      durationSeconds: 3,
      rate: 12,
      seed: 7,
      log: (l) => lines.push(l),
    });
    expect(result.services.map((s) => s.service).sort()).toEqual([
      'content-pipeline',
      'ops-agent',
      'risk-scoring',
      'support-assistant',
    ]);
    for (const s of result.services) {
      expect(s.counts.ok ?? 0, s.service).toBeGreaterThan(0);
      expect(s.exportedSpans, s.service).toBeGreaterThan(0);
      expect(s.droppedSpans, s.service).toBe(0);
    }
    expect(result.providerRequests).toBeGreaterThan(20);

    const services = (await (await server.api('/api/v1/services')).json()) as {
      services: { name: string }[];
    };
    expect(services.services.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'support-assistant',
        'ops-agent',
        'risk-scoring',
        'content-pipeline',
      ]),
    );
    const models = (await (await server.api('/api/v1/models')).json()) as {
      models: { model?: string; name?: string }[];
    };
    const modelNames = JSON.stringify(models);
    for (const m of ['gpt-4o-mini', 'text-embedding-3-small', 'fraud-detector'])
      expect(modelNames).toContain(m);

    const [retrieval] = await findSpans(server, 'operation=retrieval');
    // A retrieval span carries its query and its scored documents.
    const full = (await (
      await server.api(`/api/v1/traces/${retrieval!.traceId}/spans/${retrieval!.spanId}`)
    ).json()) as { inputText: string; retrievalDocuments?: { score?: number }[] };
    expect(full.inputText).toMatch(/\w+ \w+/);
    expect(full.retrievalDocuments?.length).toBeGreaterThan(0);
    expect(typeof full.retrievalDocuments?.[0]?.score).toBe('number');
    expect((await findSpans(server, 'operation=reranker')).length).toBeGreaterThan(0);
    expect((await findSpans(server, 'operation=tool')).length).toBeGreaterThan(0);
    expect((await findSpans(server, 'operation=agent')).length).toBeGreaterThan(0);
    expect((await findSpans(server, 'operation=guardrail')).length).toBeGreaterThan(0);
    expect((await findSpans(server, 'operation=ml.inference', 10)).length).toBeGreaterThanOrEqual(
      10,
    );
    // labels arrive for most predictions, joined by inference id
    expect((await findSpans(server, 'name=label%20fraud-detector')).length).toBeGreaterThan(0);
    const traces = (await (await server.api('/api/v1/traces?limit=200')).json()) as {
      traces: { userId?: string }[];
    };
    expect(traces.traces.length).toBeGreaterThan(20);
  });
});

describe('pyflare demo (the CLI command)', () => {
  const cli = fileURLToPath(new URL('../../server/bin/pyflare.js', import.meta.url));
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [cli, 'demo', ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('explains what is wrong instead of starting', async () => {
    // One process (each loads the whole CLI): the server check runs before anything starts.
    const down = await run([
      '--otlp-endpoint',
      'http://127.0.0.1:9',
      '--api-key',
      'pf_x',
      '--rate',
      '2',
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('no PyFlare answers at http://127.0.0.1:9/v1/traces');
  });
});
