import { z } from 'zod';
import type { AccountService } from '../../auth/accounts.ts';
import type { ApiKeyRecord, Project } from '../../auth/repository.ts';
import { SCOPES, type Principal } from '../../auth/scopes.ts';
import type { AuthService } from '../../auth/service.ts';
import { PyflareError } from '../../errors.ts';
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
 * The projects a principal administers: every one for an admin API key (or auth
 * disabled); for a user, those where their role is admin.
 */
function administers(accounts: AccountService, principal: Principal, projectId: string): boolean {
  if (principal.sessionId === undefined) return true;
  return principal.userId !== undefined && accounts.roleIn(principal.userId, projectId) === 'admin';
}

function assertAdministers(
  accounts: AccountService,
  principal: Principal,
  projectId: string,
): void {
  if (!administers(accounts, principal, projectId)) {
    throw new PyflareError('FORBIDDEN', `you are not an admin of project '${projectId}'`);
  }
}

/**
 * Projects and API keys. All need the `admin` scope: an admin key administers the
 * instance (every project), while data reads stay scoped to the key's own project. An
 * admin session (a user whose role is admin) administers the projects where they are
 * admin, and a project it creates makes them its admin.
 */
export function registerAdminRoutes(
  app: ApiApp,
  deps: { auth: AuthService; accounts: AccountService },
): void {
  const { auth, accounts } = deps;
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
    async (request) => ({
      projects: auth
        .projects()
        .filter(
          (p) =>
            request.principal!.sessionId === undefined ||
            accounts.roleIn(request.principal!.userId!, p.id) !== undefined,
        )
        .map(projectOut),
    }),
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
      const { userId, sessionId } = request.principal!;
      if (sessionId !== undefined && userId !== undefined) {
        await accounts.setRole(project.id, userId, 'admin');
      }
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
      assertAdministers(accounts, request.principal!, request.params.projectId);
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
    async (request) => {
      const principal = request.principal!;
      if (principal.sessionId === undefined) {
        return { keys: auth.keys(request.query.projectId).map(keyOut) };
      }
      // A session lists the keys of one project it administers, the current one by default.
      const projectId = request.query.projectId ?? principal.projectId;
      assertAdministers(accounts, principal, projectId);
      return { keys: auth.keys(projectId).map(keyOut) };
    },
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
      const projectId = request.body.projectId ?? request.principal!.projectId;
      assertAdministers(accounts, request.principal!, projectId);
      const created = await auth.createKey({
        projectId,
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
    async (request) => {
      const principal = request.principal!;
      const key = auth.keys().find((k) => k.id === request.params.keyId);
      if (key && !administers(accounts, principal, key.projectId)) {
        throw new PyflareError('NOT_FOUND', `no API key '${request.params.keyId}'`);
      }
      return keyOut(await auth.revokeKey(request.params.keyId));
    },
  );
}
