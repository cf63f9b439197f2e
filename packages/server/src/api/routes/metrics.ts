import { z } from 'zod';
import { listMetrics } from '../../storage/queries/metrics-list.ts';
import { METRIC_AGGS, queryMetric } from '../../storage/queries/metrics-query.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { attributeParam, timeParam } from './params.ts';
import { resolveStepMs } from './step.ts';
import { assertOrdered, resolveClosedWindow, resolveWindow } from './window.ts';

const metricInfoSchema = z.object({
  name: z.string(),
  type: z.string().describe('gauge, sum, histogram, exponential_histogram or summary'),
  unit: z.string(),
  description: z.string(),
  services: z.array(z.string()),
  pointCount: z.number().int(),
  lastSeenUnixNano: z.string(),
});

const seriesQuery = z
  .object({
    name: z.string().min(1).max(500).describe('Metric name'),
    from: timeParam('Start (default: 24 hours before `to`)').optional(),
    to: timeParam('End (default: now)').optional(),
    step: z
      .string()
      .max(20)
      .optional()
      .describe(
        'Bucket width: 30s, 5m, 1h, or a bare number of seconds (min 1s; default: about 100 points)',
      ),
    agg: z.enum(METRIC_AGGS).default('avg').describe('Aggregate per step and group; default avg'),
    groupBy: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('An attribute key (point or resource attribute) to split series by'),
    attr: attributeParam('Attribute equality (point or resource attribute)').optional(),
  })
  .strict();

const seriesSchema = z.object({
  labels: z.record(z.string(), z.string()),
  points: z
    .array(z.tuple([z.number(), z.number()]))
    .describe('[bucket start in epoch ms, value]; empty buckets are left out'),
});

/** Metric catalog and time series. */
export function registerMetricRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/api/v1/metrics',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'List metrics',
        description: 'Metric names reported in the window, with type, unit and description.',
        tags: ['metrics'],
        querystring: z
          .object({
            from: timeParam('Start (default: 24 hours before `to` or now)').optional(),
            to: timeParam('End (default: open-ended)').optional(),
            prefix: z.string().max(500).default('').describe('Only names starting with this'),
          })
          .strict(),
        response: { 200: z.object({ metrics: z.array(metricInfoSchema) }) },
      },
    },
    async (request) => {
      assertOrdered(request.query);
      const window = resolveWindow(request.query, Date.now());
      const metrics = await listMetrics(
        deps.db,
        request.principal!.projectId,
        window,
        request.query.prefix,
      );
      return { metrics };
    },
  );

  app.get(
    '/api/v1/metrics/query',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Query a metric as time series',
        description:
          'Buckets one metric by step and aggregates each bucket (per group when groupBy is given, at most 50 groups). Cumulative counters, histograms and summaries are turned into increments first.',
        tags: ['metrics'],
        querystring: seriesQuery,
        response: {
          200: z.object({
            name: z.string(),
            type: z.string().describe("The metric's type ('' when it has no points)"),
            unit: z.string(),
            stepMs: z.number().int(),
            series: z.array(seriesSchema),
            truncated: z
              .boolean()
              .describe('More than 50 groups existed; the rarest were left out'),
          }),
        },
      },
    },
    async (request) => {
      const q = request.query;
      const now = Date.now();
      const window = resolveClosedWindow(q, now);
      const rangeMs = Math.max(0, Number((window.toNs - window.fromNs) / 1_000_000n));
      const stepMs = resolveStepMs(q.step, rangeMs);
      const result = await queryMetric(deps.db, {
        projectId: request.principal!.projectId,
        name: q.name,
        window,
        attributes: q.attr ?? [],
        stepMs,
        agg: q.agg,
        ...(q.groupBy !== undefined ? { groupBy: q.groupBy } : {}),
      });
      return { ...result, stepMs };
    },
  );
}
