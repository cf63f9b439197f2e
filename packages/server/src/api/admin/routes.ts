import { z } from 'zod';
import type { ApiKeyRecord, Project } from '../../auth/repository.ts';
import { SCOPES } from '../../auth/scopes.ts';
import type { AuthService } from '../../auth/service.ts';
import type { ApiApp } from '../types.ts';

const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  retentionDays: z.number().int(),
  captureContent: z.boolean(),
  createdAt: z.string().describe('ISO 8601'),
});

const keySchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognize it'),
  scopes: z.array(z.enum(SCOPES)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const projectOut = (p: Project) => ({ ...p, createdAt: new Date(p.createdAt).toISOString() });
const keyOut = (k: ApiKeyRecord) => ({
  id: k.id,
  projectId: k.projectId,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: new Date(k.createdAt).toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

const name = z.string().trim().min(1).max(200);

/**
 * Projects and API keys. All need the `admin` scope: an admin key administers the
 * instance (every project), while data reads stay scoped to the key's own project.
 */
export function registerAdminRoutes(app: ApiApp, deps: { auth: AuthService }): void {
  const { auth } = deps;
  const admin = { scope: 'admin' as const };

  app.get(
    '/api/v1/projects',
    {
      config: admin,
      schema: {
        summary: 'List projects',
        tags: ['admin'],
        response: { 200: z.object({ projects: z.array(projectSchema) }) },
      },
    },
    async () => ({ projects: auth.projects().map(projectOut) }),
  );

  app.post(
    '/api/v1/projects',
    {
      config: admin,
      schema: {
        summary: 'Create a project',
        tags: ['admin'],
        body: z
          .object({
            name,
            retentionDays: z.number().int().min(1).max(3650).optional(),
            captureContent: z.boolean().optional(),
          })
          .strict(),
        response: { 201: projectSchema },
      },
    },
    async (request, reply) => {
      let project = await auth.createProject(request.body.name);
      const { retentionDays, captureContent } = request.body;
      if (retentionDays !== undefined || captureContent !== undefined) {
        project = await auth.updateProject(project.id, {
          ...(retentionDays !== undefined ? { retentionDays } : {}),
          ...(captureContent !== undefined ? { captureContent } : {}),
        });
      }
      return reply.status(201).send(projectOut(project));
    },
  );

  app.patch(
    '/api/v1/projects/:projectId',
    {
      config: admin,
      schema: {
        summary: 'Change a project’s settings (retention applies to data ingested afterwards)',
        tags: ['admin'],
        params: z.object({ projectId: z.string().min(1).max(100) }),
        body: z
          .object({
            name: name.optional(),
            retentionDays: z.number().int().min(1).max(3650).optional(),
            captureContent: z.boolean().optional(),
          })
          .strict(),
        response: { 200: projectSchema },
      },
    },
    async (request) => {
      const patch = Object.fromEntries(
        Object.entries(request.body).filter(([, v]) => v !== undefined),
      );
      return projectOut(await auth.updateProject(request.params.projectId, patch));
    },
  );

  app.get(
    '/api/v1/keys',
    {
      config: admin,
      schema: {
        summary: 'List API keys (never the secrets)',
        tags: ['admin'],
        querystring: z.object({ projectId: z.string().min(1).max(100).optional() }).strict(),
        response: { 200: z.object({ keys: z.array(keySchema) }) },
      },
    },
    async (request) => ({ keys: auth.keys(request.query.projectId).map(keyOut) }),
  );

  app.post(
    '/api/v1/keys',
    {
      config: admin,
      schema: {
        summary: 'Create an API key; the key is in the response and never shown again',
        tags: ['admin'],
        body: z
          .object({
            name,
            scopes: z.array(z.enum(SCOPES)).min(1),
            projectId: z.string().min(1).max(100).optional(),
          })
          .strict(),
        response: { 201: keySchema.extend({ key: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await auth.createKey({
        projectId: request.body.projectId ?? request.principal!.projectId,
        name: request.body.name,
        scopes: request.body.scopes,
      });
      return reply.status(201).send({ ...keyOut(created.record), key: created.key });
    },
  );

  app.delete(
    '/api/v1/keys/:keyId',
    {
      config: admin,
      schema: {
        summary: 'Revoke an API key (takes effect at once)',
        tags: ['admin'],
        params: z.object({ keyId: z.string().min(1).max(100) }),
        response: { 200: keySchema },
      },
    },
    async (request) => keyOut(await auth.revokeKey(request.params.keyId)),
  );
}
