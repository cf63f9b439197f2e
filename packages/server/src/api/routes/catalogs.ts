import { z } from 'zod';
import { listServices, listModels } from '../../storage/queries/catalogs.ts';
import { FACET_MAX_SPANS, listFacets } from '../../storage/queries/facets.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { limitParam, timeParam } from './params.ts';
import { assertOrdered, resolveWindow } from './window.ts';

const ns = z.string().regex(/^\d+$/).describe('Nanoseconds since the Unix epoch');

const windowQuery = {
  from: timeParam('Start of the window (default: 24 hours before `to` or now)').optional(),
  to: timeParam('End of the window (default: open-ended)').optional(),
};

const serviceSchema = z.object({
  name: z.string(),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  lastSeenUnixNano: ns,
});

const modelSchema = z.object({
  model: z.string().describe('The request model (the response model when none was requested)'),
  provider: z.string(),
  spanCount: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  lastSeenUnixNano: ns,
});

const facetSchema = z.object({
  key: z.string(),
  builtin: z
    .boolean()
    .describe('A built-in field (service, model, status, ...) rather than an attribute key'),
  count: z.number().int().describe('Spans with a value for the key'),
  distinctValues: z.number().int().describe('Distinct values (approximate above ~65k)'),
  values: z.array(z.object({ value: z.string(), count: z.number().int() })),
});

const sampleSchema = z
  .object({
    windowSpans: z.number().int().describe('Spans in the requested window'),
    spans: z.number().int().describe('Spans the counts are from'),
    from: z.string().describe('Start of the part of the window counted (ISO 8601)'),
    partial: z
      .boolean()
      .describe('True when the counts are from the newest part of the window only'),
  })
  .describe('What the counts were taken from');

/** What a project sends: services, models, and attribute facets. */
export function registerCatalogRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/api/v1/services',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'List services',
        description: 'Services that sent spans in the window, with span and error counts.',
        tags: ['catalog'],
        querystring: z.object(windowQuery).strict(),
        response: { 200: z.object({ services: z.array(serviceSchema) }) },
      },
    },
    async (request) => {
      assertOrdered(request.query);
      const window = resolveWindow(request.query, Date.now());
      return { services: await listServices(deps.db, request.principal!.projectId, window) };
    },
  );

  app.get(
    '/api/v1/models',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'List models',
        description: 'Models called in the window, by provider, with token totals.',
        tags: ['catalog'],
        querystring: z.object(windowQuery).strict(),
        response: { 200: z.object({ models: z.array(modelSchema) }) },
      },
    },
    async (request) => {
      assertOrdered(request.query);
      const window = resolveWindow(request.query, Date.now());
      return { models: await listModels(deps.db, request.principal!.projectId, window) };
    },
  );

  app.get(
    '/api/v1/attributes',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Attribute facets',
        description:
          'The built-in facets (service, model, status, operation, provider, environment, user, session; span scope only) and the most used attribute keys of the window, each with its most frequent values. Counts are taken from the newest `maxSpans` spans of the window (default 200,000; `sample` says which part), so a large window answers in bounded time.',
        tags: ['catalog'],
        querystring: z
          .object({
            ...windowQuery,
            scope: z.enum(['span', 'resource']).default('span').describe('Default span'),
            prefix: z.string().max(200).default('').describe('Only keys starting with this'),
            limit: limitParam(50, 200).describe('Most attribute keys returned (default 50)'),
            values: limitParam(10, 100).describe('Most values per key (default 10)'),
            maxSpans: z.coerce
              .number()
              .int()
              .min(1_000)
              .max(FACET_MAX_SPANS * 10)
              .default(FACET_MAX_SPANS)
              .describe('Count over at most about this many of the newest spans'),
          })
          .strict(),
        response: { 200: z.object({ facets: z.array(facetSchema), sample: sampleSchema }) },
      },
    },
    async (request) => {
      const { scope, prefix, limit, values, maxSpans } = request.query;
      assertOrdered(request.query);
      const { facets, sample } = await listFacets(deps.db, {
        projectId: request.principal!.projectId,
        window: resolveWindow(request.query, Date.now()),
        scope,
        prefix,
        keyLimit: limit,
        valueLimit: values,
        maxSpans,
      });
      return {
        facets,
        sample: {
          windowSpans: sample.windowSpans,
          spans: sample.spans,
          from: new Date(Number(sample.fromNs / 1_000_000n)).toISOString(),
          partial: sample.partial,
        },
      };
    },
  );
}
