/**
 * `pyflare demo`: a local fake LLM provider and four services driving realistic workloads through
 * the real SDK and the real provider clients against a running PyFlare. Node only.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startFakeProvider, type FakeProvider } from './fake-provider.ts';
import type { WorkerReport, WorkerSettings } from './worker.ts';

export { startFakeProvider } from './fake-provider.ts';
export type { FakeProvider, FakeProviderOptions, FakeRequest, Fault } from './fake-provider.ts';

export interface DemoOptions {
  /** PyFlare's OTLP/HTTP base URL. Default http://127.0.0.1:4318. */
  otlpEndpoint?: string;
  /** An API key that may ingest (the admin key printed at first start works). */
  apiKey?: string;
  /** How long to run, seconds. Default 60. */
  durationSeconds?: number;
  /** Requests per second over all services. Default 4. */
  rate?: number;
  seed?: number;
  environment?: string;
  /** Progress lines (default: stdout). */
  log?: (line: string) => void;
}

export interface DemoResult {
  services: WorkerReport[];
  providerRequests: number;
  seconds: number;
}

const WORKLOADS: { workload: WorkerSettings['workload']; weight: number }[] = [
  { workload: 'rag', weight: 0.4 },
  { workload: 'agent', weight: 0.25 },
  { workload: 'classifier', weight: 0.25 },
  { workload: 'pipeline', weight: 0.1 },
];

/** Checks that PyFlare answers at `otlpEndpoint` and accepts the key; throws a clear error if not. */
export async function checkPyflare(
  otlpEndpoint: string,
  apiKey: string | undefined,
): Promise<void> {
  const url = `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-protobuf',
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      },
      body: new Uint8Array(0),
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw new Error(
      `no PyFlare answers at ${url} (${String((error as Error).cause ?? error)}); start it with 'npm start'`,
      { cause: error },
    );
  }
  if (res.status === 401 || res.status === 403) {
    throw new Error(
      `PyFlare refused the API key (${res.status}): pass --api-key with an ingest or admin key (the one printed at first start) or set PYFLARE_API_KEY`,
    );
  }
  if (!res.ok)
    throw new Error(
      `PyFlare answered ${res.status} at ${url}: ${(await res.text()).slice(0, 200)}`,
    );
}

/** Where tsx's loader is, for the worker processes (TypeScript sources, no build step). */
function tsxLoader(): string {
  try {
    return import.meta.resolve('tsx');
  } catch {
    return 'tsx';
  }
}

/**
 * Runs the demo: checks PyFlare, starts the fake provider, forks one process per service, waits for
 * them, and returns what each did.
 *
 * @example
 * ```ts
 * import { runDemo } from '@pyflare/sdk/demo';
 * await runDemo({ apiKey: process.env.PYFLARE_API_KEY, durationSeconds: 120, rate: 5 });
 * ```
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const otlpEndpoint = options.otlpEndpoint ?? 'http://127.0.0.1:4318';
  const durationSeconds = options.durationSeconds ?? 60;
  const rate = options.rate ?? 4;
  if (!(durationSeconds > 0) || !(rate > 0))
    throw new Error('--duration and --rate must be positive numbers');
  await checkPyflare(otlpEndpoint, options.apiKey);

  const provider: FakeProvider = await startFakeProvider({
    // Latency of a real provider: mostly 100-400 ms, a long tail.
    latencyMs: () =>
      Math.min(
        4000,
        Math.round(Math.exp(5 + Math.random() * 0.9) + (Math.random() < 0.03 ? 1500 : 0)),
      ),
    tokenDelayMs: 6,
  });
  log(`fake LLM provider (OpenAI and Anthropic APIs) on ${provider.url}`);
  log(
    `sending to ${otlpEndpoint} for ${durationSeconds}s at ~${rate} requests/s across ${WORKLOADS.length} services`,
  );
  const started = Date.now();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const reports = new Map<string, WorkerReport>();
  try {
    const results = await Promise.all(
      WORKLOADS.map(
        ({ workload, weight }) =>
          new Promise<WorkerReport>((resolve, reject) => {
            const settings: WorkerSettings = {
              workload,
              providerUrl: provider.url,
              otlpEndpoint,
              apiKey: options.apiKey,
              durationMs: durationSeconds * 1000,
              rate: rate * weight,
              seed,
              environment: options.environment ?? 'demo',
            };
            const child = fork(workerFile, [], {
              execArgv: ['--import', tsxLoader()],
              env: { ...process.env, PYFLARE_DEMO_WORKER: JSON.stringify(settings) },
              stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
            });
            let final: WorkerReport | undefined;
            child.on('message', (m: { type: string; report: WorkerReport }) => {
              reports.set(m.report.service, m.report);
              if (m.type === 'done') final = m.report;
              else log(`  ${m.report.service}: ${describeCounts(m.report.counts)}`);
            });
            child.on('error', reject);
            child.on('exit', (code) =>
              final
                ? resolve(final)
                : reject(new Error(`demo service '${workload}' exited with code ${code}`)),
            );
          }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    for (const r of results) {
      log(
        `${r.service.padEnd(18)} ${describeCounts(r.counts)}; ${r.exportedSpans} spans exported${r.droppedSpans ? `, ${r.droppedSpans} dropped` : ''}`,
      );
    }
    return { services: results, providerRequests: provider.requests.length, seconds };
  } finally {
    await provider.close();
  }
}

function describeCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}`);
  return parts.length > 0 ? parts.join(', ') : 'starting';
}
