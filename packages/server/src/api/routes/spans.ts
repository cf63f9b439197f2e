import { z } from 'zod';
import { PyflareError } from '../../errors.ts';
import { searchSpans } from '../../storage/queries/spans.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { filterParams, requestFilter } from './filter-params.ts';
import { cursorParam, limitParam, orderParam } from './params.ts';
import { nextCursorSchema, spanSummarySchema } from './schemas.ts';
import { assertOrdered, intersectBounds, resolveWindow } from './window.ts';

const listQuery = z
  .object({
    ...filterParams,
    sort: z.enum(['time', 'duration']).default('time').describe('time (start) or duration'),
    order: orderParam,
    limit: limitParam(),
    cursor: cursorParam.optional(),
  })
  .strict();

const spanCursor = z.object({
  l: z.literal('spans'),
  s: z.enum(['time', 'duration']),
  o: z.enum(['asc', 'desc']),
  k: z.string().regex(/^-?\d{1,20}$/),
  t: z.string().max(64),
  id: z.string().max(64),
});

/** Span search: the trace filters, each applied to single spans. */
export function registerSpanRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/api/v1/spans',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Search spans',
        description:
          'Spans matching every filter given, each condition checked on the span itself (q conditions too; `spans:` is refused).',
        tags: ['traces'],
        querystring: listQuery,
        response: {
          200: z.object({ spans: z.array(spanSummarySchema), nextCursor: nextCursorSchema }),
        },
      },
    },
    async (request) => {
      const query = request.query;
      const now = Date.now();
      assertOrdered(query);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, spanCursor);
      if (after !== undefined && (after.s !== query.sort || after.o !== query.order)) {
        throw new PyflareError(
          'BAD_REQUEST',
          'invalid cursor (it belongs to another sort or order)',
        );
      }
      const filter = requestFilter(query, now);
      if (filter === null) return { spans: [], nextCursor: null };
      const page = await searchSpans(deps.db, {
        projectId: request.principal!.projectId,
        filter,
        window: resolveWindow(intersectBounds(query, filter.time), now),
        sort: query.sort,
        order: query.order,
        limit: query.limit,
        ...(after ? { after: { key: after.k, traceId: after.t, spanId: after.id } } : {}),
      });
      return {
        spans: page.spans,
        nextCursor:
          page.next === null
            ? null
            : encodeCursor({
                l: 'spans',
                s: query.sort,
                o: query.order,
                k: page.next.key,
                t: page.next.traceId,
                id: page.next.spanId,
              }),
      };
    },
  );
}
