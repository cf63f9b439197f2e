/**
 * One demo service, in a process of its own (each service has its own `service.name`, as real
 * services would): reads its settings from PYFLARE_DEMO_WORKER, sets up the real SDK, sends
 * requests as a Poisson process at its rate until the time is up, then reports to the parent.
 */
import { init, shutdown, stats } from '../index.ts';
import { nextArrivalMs, seeded } from './data.ts';
import type { Workload, WorkloadContext } from './workload.ts';
import { sleep } from './workload.ts';

export interface WorkerSettings {
  workload: 'rag' | 'agent' | 'classifier' | 'pipeline';
  providerUrl: string;
  otlpEndpoint: string;
  apiKey: string | undefined;
  durationMs: number;
  /** Requests per second for this service. */
  rate: number;
  seed: number;
  environment: string;
}

export interface WorkerReport {
  service: string;
  counts: Record<string, number>;
  exportedSpans: number;
  droppedSpans: number;
}

const MAX_IN_FLIGHT = 16;

async function load(name: WorkerSettings['workload']): Promise<Workload> {
  switch (name) {
    case 'rag': {
      const { ragWorkload } = await import('./workload-rag.ts');
      return ragWorkload((await import('openai')).default);
    }
    case 'agent': {
      const { agentWorkload } = await import('./workload-agent.ts');
      return agentWorkload(
        (await import('@anthropic-ai/sdk')).default,
        (await import('openai')).default,
      );
    }
    case 'classifier': {
      const { classifierWorkload } = await import('./workload-classifier.ts');
      return classifierWorkload();
    }
    case 'pipeline': {
      const { pipelineWorkload } = await import('./workload-pipeline.ts');
      return pipelineWorkload(
        (await import('openai')).default,
        (await import('@anthropic-ai/sdk')).default,
      );
    }
  }
}

/** Runs one service's workload for the configured time; resolves with its report. */
export async function runWorker(
  settings: WorkerSettings,
  onProgress?: (r: WorkerReport) => void,
): Promise<WorkerReport> {
  const workload = await load(settings.workload);
  init({
    endpoint: settings.otlpEndpoint,
    apiKey: settings.apiKey,
    serviceName: workload.service,
    serviceVersion: '1.0.0',
    environment: settings.environment,
    captureContent: true,
    scheduledDelayMillis: 500,
    logger: (m) => process.stderr.write(`[${workload.service}] ${m}\n`),
  });
  const counts: Record<string, number> = {};
  const started = Date.now();
  const ctx: WorkloadContext = {
    providerUrl: settings.providerUrl,
    progress: () => Math.min(1, (Date.now() - started) / settings.durationMs),
    done: () => Date.now() - started >= settings.durationMs,
    rand: seeded(workload.service, settings.seed),
    count: (o) => (counts[o] = (counts[o] ?? 0) + 1),
  };
  const report = (): WorkerReport => ({
    service: workload.service,
    counts: { ...counts },
    exportedSpans: stats().exportedSpans,
    droppedSpans: stats().droppedSpans,
  });
  const inFlight = new Set<Promise<void>>();
  let lastProgress = Date.now();
  while (!ctx.done()) {
    await sleep(
      Math.min(
        nextArrivalMs(ctx.rand, settings.rate),
        settings.durationMs - (Date.now() - started),
      ),
    );
    if (ctx.done()) break;
    if (inFlight.size >= MAX_IN_FLIGHT) {
      ctx.count('shed');
      continue;
    }
    const p = workload.request(ctx).catch(() => ctx.count('error'));
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
    if (onProgress && Date.now() - lastProgress > 5000) {
      lastProgress = Date.now();
      onProgress(report());
    }
  }
  await Promise.allSettled([...inFlight]);
  await workload.finish?.(ctx);
  await shutdown();
  return report();
}

// As a child process: settings from the environment, reports over IPC.
const raw = process.env.PYFLARE_DEMO_WORKER;
if (raw !== undefined && process.send) {
  const settings = JSON.parse(raw) as WorkerSettings;
  runWorker(settings, (r) => process.send?.({ type: 'progress', report: r })).then(
    (r) => process.send!({ type: 'done', report: r }, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`demo worker ${settings.workload} failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
