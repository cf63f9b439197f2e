import { MAX_QUERY_LENGTH } from '@pyflare/query';
import { z } from 'zod';
import { newId } from '../../auth/keys.ts';
import { PyflareError } from '../../errors.ts';
import type { Database } from '../../storage/database.ts';
import { SMALL_BODY } from '../auth/routes.ts';
import { filterFromQuery } from '../routes/filter-params.ts';
import type { ApiApp } from '../types.ts';
import { listSavedQueries, saveSavedQuery, type SavedQuery } from './repository.ts';

/** At most this many saved queries per user and project. */
export const MAX_SAVED_QUERIES = 200;

const savedQuerySchema = z.object({
  id: z.string(),
  name: z.string(),
  query: z.string().describe('In the PyFlare query language'),
  timeRange: z.string().nullable().describe('As saved (e.g. last-1h); null when none'),
  createdAt: z.string().describe('ISO 8601'),
});

const out = (q: SavedQuery) => ({
  id: q.id,
  name: q.name,
  query: q.query,
  timeRange: q.timeRange,
  createdAt: new Date(q.createdAt).toISOString(),
});

/** The caller's saved trace queries in the current project (members and admins). */
export function registerSavedQueryRoutes(app: ApiApp, deps: { db: Database }): void {
  const { db } = deps;
  const access = { user: true, role: 'member' as const };

  app.get(
    '/api/v1/saved-queries',
    {
      config: access,
      schema: {
        summary: 'Your saved queries in the current project',
        tags: ['saved-queries'],
        response: { 200: z.object({ savedQueries: z.array(savedQuerySchema) }) },
      },
    },
    async (request) => {
      const { projectId, userId } = request.principal!;
      return { savedQueries: (await listSavedQueries(db, projectId, userId!)).map(out) };
    },
  );

  app.post(
    '/api/v1/saved-queries',
    {
      config: access,
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Save a query',
        description: 'The query must parse (400 INVALID_QUERY with the position otherwise).',
        tags: ['saved-queries'],
        body: z
          .object({
            name: z.string().trim().min(1).max(200),
            query: z.string().max(MAX_QUERY_LENGTH),
            timeRange: z.string().trim().min(1).max(200).nullable().optional(),
          })
          .strict(),
        response: { 201: savedQuerySchema },
      },
    },
    async (request, reply) => {
      const { projectId, userId } = request.principal!;
      const { name, query, timeRange } = request.body;
      filterFromQuery(query, Date.now());
      const existing = await listSavedQueries(db, projectId, userId!);
      if (existing.length >= MAX_SAVED_QUERIES) {
        throw new PyflareError(
          'CONFLICT',
          `you have ${MAX_SAVED_QUERIES} saved queries in this project; delete one first`,
        );
      }
      const saved: SavedQuery = {
        id: newId('sq'),
        projectId,
        userId: userId!,
        name,
        query,
        timeRange: timeRange ?? null,
        createdAt: Date.now(),
      };
      await saveSavedQuery(db, saved);
      return reply.status(201).send(out(saved));
    },
  );

  app.delete(
    '/api/v1/saved-queries/:id',
    {
      config: access,
      schema: {
        summary: 'Delete one of your saved queries',
        tags: ['saved-queries'],
        params: z.object({ id: z.string().min(1).max(100) }).strict(),
        response: { 204: z.null().describe('Deleted') },
      },
    },
    async (request, reply) => {
      const { projectId, userId } = request.principal!;
      const found = (await listSavedQueries(db, projectId, userId!)).find(
        (q) => q.id === request.params.id,
      );
      if (!found) throw new PyflareError('NOT_FOUND', `no saved query '${request.params.id}'`);
      await saveSavedQuery(db, found, true);
      return reply.status(204).send(null);
    },
  );
}
