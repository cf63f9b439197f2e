import { z } from 'zod';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { Database } from '../storage/database.ts';
import type { ApiApp } from './types.ts';

export interface SystemDeps {
  db: Database;
  metrics: SelfMetrics;
  isReady: () => boolean;
  version: string;
}

/** Health, readiness, the OpenAPI document and Prometheus self-metrics. */
export function registerSystemRoutes(app: ApiApp, deps: SystemDeps): void {
  app.get(
    '/api/v1/health',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness: the process is up',
        tags: ['system'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
      },
    },
    async () => ({ status: 'ok' as const, version: deps.version }),
  );

  app.get(
    '/api/v1/ready',
    {
      config: { public: true },
      schema: {
        summary: 'Readiness: storage answers and ingest is accepting',
        tags: ['system'],
        security: [],
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('not_ready'), reason: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      if (!deps.isReady()) {
        return reply
          .status(503)
          .send({ status: 'not_ready' as const, reason: 'starting or stopping' });
      }
      try {
        await deps.db.query('SELECT 1');
      } catch {
        return reply
          .status(503)
          .send({ status: 'not_ready' as const, reason: 'storage unavailable' });
      }
      return { status: 'ready' as const };
    },
  );

  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    '/metrics',
    {
      config: { scope: 'read' },
      schema: { summary: 'Prometheus self-metrics', tags: ['system'] },
    },
    async (_request, reply) => {
      const body = await deps.metrics.registry.metrics();
      return reply.type(deps.metrics.registry.contentType).send(body);
    },
  );
}
