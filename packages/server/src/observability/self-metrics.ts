import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** PyFlare's own Prometheus metrics, served at /metrics. One registry per server. */
export function createSelfMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pyflare_process_' });
  return {
    registry,
    accepted: new Counter({
      name: 'pyflare_ingest_accepted_total',
      help: 'Spans, data points and log records accepted and made durable.',
      labelNames: ['signal'] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'pyflare_ingest_rejected_total',
      help: 'Items rejected: invalid (partial success), malformed, too large, overloaded, unauthorized.',
      labelNames: ['signal', 'reason'] as const,
      registers: [registry],
    }),
    requests: new Counter({
      name: 'pyflare_ingest_requests_total',
      help: 'OTLP export requests by transport and outcome.',
      labelNames: ['transport', 'signal', 'outcome'] as const,
      registers: [registry],
    }),
    queueRows: new Gauge({
      name: 'pyflare_ingest_queue_rows',
      help: 'Rows accepted but not yet durable.',
      registers: [registry],
    }),
    queueBytes: new Gauge({
      name: 'pyflare_ingest_queue_bytes',
      help: 'Serialized bytes accepted but not yet durable.',
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'pyflare_storage_batch_write_seconds',
      help: 'Time to write one batch to storage.',
      labelNames: ['table'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchRows: new Histogram({
      name: 'pyflare_storage_batch_rows',
      help: 'Rows per batch written to storage.',
      labelNames: ['table'] as const,
      buckets: [1, 10, 100, 1000, 5000, 10000, 25000, 50000, 100000],
      registers: [registry],
    }),
  };
}

export type SelfMetrics = ReturnType<typeof createSelfMetrics>;
