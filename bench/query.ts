/**
 * Query phase: for each size (ascending), a server process fills its data directory inside
 * the engine up to that many spans (appending to the previous size's data), then serves the
 * HTTP API; this process sends requests one at a time and records latencies, round-robin over
 * the query kinds so noise spreads evenly. Baselines measured in the same run: GET
 * /api/v1/ready (a `SELECT 1` through HTTP, fastify and chDB) and, in the server process,
 * `SELECT 1` and a full scan of one column of `spans` without HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childInput, childMain, sendToParent, startChild } from './lib/child.ts';
import {
  FILL_MODELS,
  FILL_RARE_WORD,
  FILL_SERVICES,
  FILL_TENANTS,
  SPANS_PER_TRACE,
} from './lib/fill.ts';
import type { BenchOptions } from './lib/options.ts';
import { now, summarize, type LatencySummary } from './lib/stats.ts';
import type { FillReport, ServerInput, ServerReady } from './server.ts';

export interface QueryInput {
  options: BenchOptions;
  nowMs: number;
}

export interface QueryKindResult {
  name: string;
  /** p99 target in ms, when there is one. */
  targetP99Ms?: number;
  latency: LatencySummary;
  /** Mean traces (search) or spans (trace by id) per response. */
  meanItems: number;
  /** Responses that were not 200. */
  failures: number;
  firstFailure?: string;
}

export interface QuerySizeResult {
  spans: number;
  fill: Omit<FillReport, 'traceIds'>;
  queries: QueryKindResult[];
}

interface QueryKind {
  name: string;
  targetP99Ms?: number;
  path(i: number): string;
  /** Items in a 200 response. */
  items(body: unknown): number;
}

const TRACE_BY_ID_P99_MS = 50;
const SEARCH_P99_MS = 300;

function kinds(traceIds: string[], fromMs: number): QueryKind[] {
  const traces = (b: unknown) => (b as { traces: unknown[] }).traces.length;
  const search = (name: string, params: (i: number) => Record<string, string>): QueryKind => ({
    name,
    targetP99Ms: SEARCH_P99_MS,
    path: (i) => `/api/v1/traces?${new URLSearchParams({ from: String(fromMs), ...params(i) })}`,
    items: traces,
  });
  const svc = (i: number) => FILL_SERVICES[i % FILL_SERVICES.length]!;
  const model = (i: number) => FILL_MODELS[i % FILL_MODELS.length]!;
  return [
    {
      name: 'baseline: GET /api/v1/ready (SELECT 1)',
      path: () => '/api/v1/ready',
      items: () => 1,
    },
    {
      name: 'trace by id',
      targetP99Ms: TRACE_BY_ID_P99_MS,
      path: (i) => `/api/v1/traces/${traceIds[i % traceIds.length]}`,
      items: (b) => (b as { spans: unknown[] }).spans.length,
    },
    search('search service=', (i) => ({ service: svc(i) })),
    search('search model= status=error', (i) => ({ model: model(i), status: 'error' })),
    search('search duration range', (i) => ({
      minDuration: `${(i % 15) + 1}s`,
      maxDuration: `${(i % 15) + 3}s`,
    })),
    search('search attr= equality', (i) => ({ attr: `app.tenant:tenant-${i % FILL_TENANTS}` })),
    search(`search free text`, () => ({ search: FILL_RARE_WORD })),
    search('search q= combination', (i) => ({
      q: `service:${svc(i)} model:${model(i)},${model(i + 1)} duration:>2s attr.app.tenant:tenant-${i % FILL_TENANTS} -status:error`,
    })),
    // The same with few matches (~5% of traces last over 19 s): the page fills only after
    // most of the window's spans are read.
    search('search q= selective', (i) => ({
      q: `service:${svc(i)} model:${model(i)},${model(i + 1)} duration:>19s attr.app.tenant:tenant-${i % FILL_TENANTS} -status:error`,
    })),
    search('search sort=duration', (i) => ({ sort: 'duration', order: i % 2 ? 'asc' : 'desc' })),
    // An attribute with the whole window to sort: by candidates (storage/queries/candidate-search.ts).
    search('search attr= sort=duration', (i) => ({
      attr: `app.tenant:tenant-${i % FILL_TENANTS}`,
      sort: 'duration',
      order: i % 2 ? 'asc' : 'desc',
    })),
    search('search sort=tokens', (i) => ({ sort: 'tokens', order: i % 2 ? 'asc' : 'desc' })),
    // What the list's sidebar asks for with it; no target of its own. Counted over the
    // window's newest 200,000 spans (storage/queries/facets.ts), so it should not grow with
    // the window's size.
    {
      name: 'facets (GET /attributes, the sidebar)',
      path: () =>
        `/api/v1/attributes?${new URLSearchParams({ from: String(fromMs), values: '8', limit: '100' })}`,
      items: (b) => (b as { facets: unknown[] }).facets.length,
    },
  ];
}

async function measure(
  apiUrl: string,
  apiKey: string,
  list: QueryKind[],
  requests: number,
): Promise<QueryKindResult[]> {
  const warmup = 3;
  const results = list.map((k) => ({
    kind: k,
    samples: [] as number[],
    items: 0,
    failures: 0,
    firstFailure: undefined as string | undefined,
  }));
  const headers = { authorization: `Bearer ${apiKey}` };
  for (let i = 0; i < warmup + requests; i++) {
    for (const r of results) {
      const path = r.kind.path(i);
      const t0 = now();
      const res = await fetch(apiUrl + path, { headers });
      const text = await res.text();
      const elapsed = now() - t0;
      if (i < warmup) continue;
      if (res.status !== 200) {
        r.failures++;
        r.firstFailure ??= `${res.status} ${path}: ${text.slice(0, 300)}`;
        continue;
      }
      r.samples.push(elapsed);
      r.items += r.kind.items(JSON.parse(text));
    }
  }
  return results.map((r) => ({
    name: r.kind.name,
    targetP99Ms: r.kind.targetP99Ms,
    latency: summarize(r.samples),
    meanItems: r.samples.length > 0 ? r.items / r.samples.length : 0,
    failures: r.failures,
    firstFailure: r.firstFailure,
  }));
}

childMain(async () => {
  const { options, nowMs } = childInput<QueryInput>();
  const dataDir = mkdtempSync(join(tmpdir(), 'pyflare-bench-query-'));
  const apiKey = `pf_bench_${randomBytes(16).toString('hex')}`;
  const sizes: QuerySizeResult[] = [];
  try {
    let filled = 0;
    for (const size of options.querySizes) {
      console.log(`  query: filling ${size} spans (${size / SPANS_PER_TRACE} traces)...`);
      const server = startChild('server.ts', {
        dataDir,
        apiKey,
        fill: { from: filled, count: size - filled, nowMs, sampleTraces: options.queryRequests },
      } satisfies ServerInput);
      try {
        const { traceIds, ...fill } = await server.next<FillReport>('filled');
        filled = size;
        const { ports } = await server.next<ServerReady>('ready');
        console.log(
          `  query: ${size} spans filled in ${fill.seconds.toFixed(1)} s; ` +
            `${options.queryRequests} requests per kind...`,
        );
        // The fill spread traces over the 24 h before `nowMs`: search all of them.
        const fromMs = nowMs - 25 * 3600_000;
        const queries = await measure(
          `http://127.0.0.1:${ports.api}`,
          apiKey,
          kinds(traceIds, fromMs),
          options.queryRequests,
        );
        sizes.push({ spans: size, fill, queries });
        server.send('close');
        await server.next('closed');
        await server.exited;
      } finally {
        server.process.kill();
      }
    }
    await sendToParent('result', sizes);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
