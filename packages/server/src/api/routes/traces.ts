import { z } from 'zod';
import { PyflareError } from '../../errors.ts';
import { getTrace } from '../../storage/queries/trace-detail.ts';
import { searchTraces } from '../../storage/queries/traces.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { filterParams, requestFilter } from './filter-params.ts';
import { cursorParam, limitParam, orderParam } from './params.ts';
import { nextCursorSchema, spanSchema, traceSummarySchema } from './schemas.ts';
import { registerWaterfallRoutes } from './trace-waterfall.ts';
import { assertOrdered, intersectBounds, resolveWindow } from './window.ts';

const listQuery = z
  .object({
    ...filterParams,
    sort: z
      .enum(['time', 'duration', 'tokens'])
      .default('time')
      .describe('time (start), duration or total tokens; default time'),
    order: orderParam,
    limit: limitParam(),
    cursor: cursorParam.optional(),
  })
  .strict();

const traceCursor = z.object({
  l: z.literal('traces'),
  s: z.enum(['time', 'duration', 'tokens']),
  o: z.enum(['asc', 'desc']),
  k: z.string().regex(/^-?\d{1,20}$/),
  id: z.string().max(64),
});

export const traceIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, 'a trace id is 32 hexadecimal characters')
  .transform((s) => s.toLowerCase());

/** Trace search and trace detail. */
export function registerTraceRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/api/v1/traces',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Search traces',
        description:
          'Trace summaries matching every filter given (plain parameters and `q`), newest first by default, keyset-paginated.',
        tags: ['traces'],
        querystring: listQuery,
        response: {
          200: z.object({ traces: z.array(traceSummarySchema), nextCursor: nextCursorSchema }),
        },
      },
    },
    async (request) => {
      const query = request.query;
      const projectId = request.principal!.projectId;
      const now = Date.now();
      assertOrdered(query);
      const after =
        query.cursor === undefined ? undefined : decodeCursor(query.cursor, traceCursor);
      if (after !== undefined && (after.s !== query.sort || after.o !== query.order)) {
        throw new PyflareError(
          'BAD_REQUEST',
          'invalid cursor (it belongs to another sort or order)',
        );
      }
      const filter = requestFilter(query, now);
      if (filter === null) return { traces: [], nextCursor: null };
      const window = resolveWindow(intersectBounds(query, filter.time), now);
      const page = await searchTraces(deps.db, {
        projectId,
        filter,
        window,
        sort: query.sort,
        order: query.order,
        limit: query.limit,
        ...(after ? { after: { key: after.k, traceId: after.id } } : {}),
      });
      return {
        traces: page.traces,
        nextCursor:
          page.next === null
            ? null
            : encodeCursor({
                l: 'traces',
                s: query.sort,
                o: query.order,
                k: page.next.key,
                id: page.next.traceId,
              }),
      };
    },
  );

  app.get(
    '/api/v1/traces/:traceId',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Get a trace',
        description: 'Every span of the trace, ordered by start time, and its summary.',
        tags: ['traces'],
        params: z.object({ traceId: traceIdParam }).strict(),
        response: {
          200: z.object({ trace: traceSummarySchema, spans: z.array(spanSchema) }),
        },
      },
    },
    async (request) => {
      const { traceId } = request.params;
      const detail = await getTrace(deps.db, request.principal!.projectId, traceId);
      if (detail === undefined) throw new PyflareError('NOT_FOUND', `trace ${traceId} not found`);
      return detail;
    },
  );

  registerWaterfallRoutes(app, deps, traceIdParam);
}
