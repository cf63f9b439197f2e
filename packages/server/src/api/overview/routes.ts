import { parseQuery, QuerySyntaxError } from '@pyflare/query';
import { z } from 'zod';
import { PyflareError } from '../../errors.ts';
import type { Database } from '../../storage/database.ts';
import { parseTime } from '../routes/params.ts';
import { traceSummarySchema } from '../routes/schemas.ts';
import { resolveStepMs } from '../routes/step.ts';
import type { ApiApp } from '../types.ts';
import { getOverview } from './query.ts';

const HOUR_MS = 3_600_000;
/** The longest window the dashboard reads. */
const MAX_RANGE_MS = 31 * 24 * HOUR_MS;

/** Epoch ms, ISO 8601, or a relative time of the query language (`last-1h`, `today`). */
function readTime(text: string, now: number, which: 'from' | 'to'): { from?: number; to?: number } {
  const ms = parseTime(text);
  if (ms !== undefined) return which === 'from' ? { from: ms } : { to: ms };
  if (which === 'to' && text === 'now') return { to: now };
  try {
    const time = parseQuery(`time:${text}`, { now }).filter.time;
    if (time?.from !== undefined) return time;
  } catch (e) {
    if (!(e instanceof QuerySyntaxError)) throw e;
  }
  throw new PyflareError(
    'BAD_REQUEST',
    `invalid ${which} '${text}' (use epoch ms, ISO 8601, or e.g. last-1h, last-24h, today)`,
  );
}

const pointShape = {
  requests: z.number().int(),
  errors: z.number().int().describe('Requests (traces) with an error span'),
  p50Ms: z.number().describe('Median trace duration, ms (0 without requests)'),
  p99Ms: z.number().describe('99th percentile of trace duration, ms (0 without requests)'),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
};

const overviewSchema = z.object({
  from: z.string(),
  to: z.string(),
  stepSeconds: z.number(),
  series: z.array(z.object({ t: z.string().describe('Bucket start, ISO 8601'), ...pointShape })),
  totals: z.object({ ...pointShape, errorRate: z.number().describe('errors / requests, 0..1') }),
  topModels: z.array(
    z.object({
      model: z.string(),
      provider: z.string(),
      calls: z.number().int().describe('Spans calling the model'),
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
    }),
  ),
  recentErrors: z.array(traceSummarySchema),
});

/** `GET /api/v1/overview`: the project's home dashboard. */
export function registerOverviewRoutes(app: ApiApp, deps: { db: Database }): void {
  app.get(
    '/api/v1/overview',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'The home dashboard: requests, errors, latency, tokens, top models',
        description:
          'A request is a trace, counted in the bucket where it starts; errors are traces with an error span; latency is the trace duration. Default window: the last hour.',
        tags: ['overview'],
        querystring: z
          .object({
            from: z
              .string()
              .max(100)
              .optional()
              .describe('Epoch ms, ISO 8601, or last-1h, today, …'),
            to: z.string().max(100).optional().describe('Epoch ms, ISO 8601, or now (default)'),
            step: z.string().max(20).optional().describe('Bucket size: 30s, 5m, 1h or seconds'),
          })
          .strict(),
        response: { 200: overviewSchema },
      },
    },
    async (request) => {
      const now = Date.now();
      const { from, to, step } = request.query;
      const start = from === undefined ? { from: now - HOUR_MS } : readTime(from, now, 'from');
      const end = to === undefined ? {} : readTime(to, now, 'to');
      const toMs = Math.min(end.to ?? start.to ?? now, end.to ?? now);
      const fromMs = start.from ?? toMs - HOUR_MS;
      if (fromMs > toMs) throw new PyflareError('BAD_REQUEST', "'from' is after 'to'");
      if (toMs - fromMs > MAX_RANGE_MS) {
        throw new PyflareError('BAD_REQUEST', 'the overview covers at most 31 days');
      }
      const stepMs = resolveStepMs(step, Math.max(1, toMs - fromMs));
      return getOverview(deps.db, {
        projectId: request.principal!.projectId,
        fromMs,
        toMs,
        stepMs,
      });
    },
  );
}
