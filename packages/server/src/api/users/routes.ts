import { z } from 'zod';
import type { AccountService } from '../../auth/accounts.ts';
import type { Role } from '../../auth/scopes.ts';
import type { UserRecord } from '../../auth/users-repository.ts';
import { SMALL_BODY } from '../auth/routes.ts';
import { emailSchema, newPasswordSchema, roleSchema, userNameSchema } from '../auth/schemas.ts';
import type { ApiApp } from '../types.ts';

const memberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string().describe('ISO 8601'),
  lastLoginAt: z.string().nullable().describe('ISO 8601; null before the first login'),
});

const memberOut = (user: UserRecord, role: Role) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role,
  createdAt: new Date(user.createdAt).toISOString(),
  lastLoginAt: user.lastLoginAt === null ? null : new Date(user.lastLoginAt).toISOString(),
});

const userIdParam = z.object({ userId: z.string().min(1).max(100) }).strict();

/**
 * The users of the current project (admin only): list, add, change (name, role, password)
 * and remove. The last admin of a project cannot be demoted or removed (409).
 */
export function registerUserRoutes(app: ApiApp, deps: { accounts: AccountService }): void {
  const { accounts } = deps;
  const admin = { scope: 'admin' as const };

  app.get(
    '/api/v1/users',
    {
      config: admin,
      schema: {
        summary: 'List the users of the current project',
        tags: ['users'],
        response: { 200: z.object({ users: z.array(memberSchema) }) },
      },
    },
    async (request) => ({
      users: accounts
        .membersOf(request.principal!.projectId)
        .map(({ user, role }) => memberOut(user, role)),
    }),
  );

  app.post(
    '/api/v1/users',
    {
      config: admin,
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Add a user to the current project',
        description: '409 CONFLICT when a user with that email exists.',
        tags: ['users'],
        body: z
          .object({
            email: emailSchema,
            name: userNameSchema,
            password: newPasswordSchema,
            role: roleSchema,
          })
          .strict(),
        response: { 201: memberSchema },
      },
    },
    async (request, reply) => {
      const { email, name, password, role } = request.body;
      const user = await accounts.createUser({
        email,
        name,
        password,
        role,
        projectId: request.principal!.projectId,
      });
      return reply.status(201).send(memberOut(user, role));
    },
  );

  app.post(
    '/api/v1/users/members',
    {
      config: admin,
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Add an existing user (of another project) to the current project',
        description:
          '404 NOT_FOUND when no user has that email; 409 CONFLICT when they are a member of ' +
          'the current project already. Change their role with PATCH /api/v1/users/{userId}, ' +
          'remove them with DELETE.',
        tags: ['users'],
        body: z.object({ email: emailSchema, role: roleSchema }).strict(),
        response: { 201: memberSchema },
      },
    },
    async (request, reply) => {
      const { email, role } = request.body;
      const user = await accounts.addMember(request.principal!.projectId, email, role);
      return reply.status(201).send(memberOut(user, role));
    },
  );

  app.patch(
    '/api/v1/users/:userId',
    {
      config: admin,
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Change a user of the current project',
        description:
          'A new password ends the user’s sessions. Demoting the last admin answers 409.',
        tags: ['users'],
        params: userIdParam,
        body: z
          .object({
            name: userNameSchema.optional(),
            role: roleSchema.optional(),
            password: newPasswordSchema.optional(),
          })
          .strict(),
        response: { 200: memberSchema },
      },
    },
    async (request) => {
      const patch = Object.fromEntries(
        Object.entries(request.body).filter(([, v]) => v !== undefined),
      );
      const { user, role } = await accounts.updateMember(
        request.principal!.projectId,
        request.params.userId,
        patch,
      );
      return memberOut(user, role);
    },
  );

  app.delete(
    '/api/v1/users/:userId',
    {
      config: admin,
      schema: {
        summary: 'Remove a user from the current project; their sessions end',
        description: 'A user left in no project is deleted. Removing the last admin answers 409.',
        tags: ['users'],
        params: userIdParam,
        response: { 204: z.null().describe('Removed') },
      },
    },
    async (request, reply) => {
      await accounts.removeMember(request.principal!.projectId, request.params.userId);
      return reply.status(204).send(null);
    },
  );
}
