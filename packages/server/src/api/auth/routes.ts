import { z } from 'zod';
import { normalizeEmail, type AccountService } from '../../auth/accounts.ts';
import { safeEqual } from '../../auth/sessions.ts';
import type { LoginLimiter } from '../../auth/login-limiter.ts';
import { getPreferences, savePreferences, type Preferences } from '../../auth/preferences.ts';
import type { Principal } from '../../auth/scopes.ts';
import type { AuthService } from '../../auth/service.ts';
import { PyflareError } from '../../errors.ts';
import type { Database } from '../../storage/database.ts';
import {
  clearSessionCookies,
  CSRF_HEADER,
  firstHeader,
  SESSION_COOKIE,
  setSessionCookies,
} from '../cookies.ts';
import type { ApiApp } from '../types.ts';
import {
  loginBody,
  loginResponse,
  meResponse,
  passwordBody,
  preferencesPatch,
  storedPreferencesSchema,
} from './schemas.ts';

export interface AuthRouteDeps {
  db: Database;
  auth: AuthService;
  accounts: AccountService;
  limiter: LoginLimiter;
}

/** Auth routes take small bodies only. */
export const SMALL_BODY = 16 * 1024;

const userOut = (u: { id: string; email: string; name: string }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
});

function projectsOut(accounts: AccountService, userId: string) {
  return accounts
    .projectsOf(userId)
    .map(({ project, role }) => ({ id: project.id, name: project.name, role }));
}

function retryLater(seconds: number): PyflareError {
  return new PyflareError('RATE_LIMITED', `too many failed attempts; retry in ${seconds} s`, {
    retryAfter: seconds,
  });
}

/** The user behind a route with `config.user` (the auth hook guarantees one). */
const userIdOf = (principal: Principal | undefined): string => {
  if (principal?.userId === undefined) throw new PyflareError('FORBIDDEN', 'no user');
  return principal.userId;
};

/** Login, logout, the caller's identity, password and preferences. */
export function registerAuthRoutes(app: ApiApp, deps: AuthRouteDeps): void {
  const { accounts, limiter, db } = deps;

  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Log in with email and password; sets the session and CSRF cookies',
        description:
          'Wrong email and wrong password answer the same 401 INVALID_CREDENTIALS. 10 failures in 15 minutes from one address or for one email answer 429 with Retry-After.',
        tags: ['auth'],
        security: [],
        body: loginBody,
        response: { 200: loginResponse },
      },
    },
    async (request, reply) => {
      const email = normalizeEmail(request.body.email);
      const keys = [`ip:${request.ip}`, `email:${email}`];
      const wait = limiter.retryAfter(keys);
      if (wait > 0) throw retryLater(wait);
      const started = await accounts.login(email, request.body.password);
      if (!started) {
        limiter.fail(keys);
        throw new PyflareError('INVALID_CREDENTIALS', 'wrong email or password');
      }
      limiter.reset(`email:${email}`);
      const projects = projectsOut(accounts, started.user.id);
      if (projects.length === 0) {
        await accounts.endSession(started.session.id);
        throw new PyflareError('FORBIDDEN', 'your account is not a member of any project');
      }
      setSessionCookies(
        request,
        reply,
        started.token,
        started.session.csrfToken,
        accounts.sessionTtlMs,
      );
      return { user: userOut(started.user), csrfToken: started.session.csrfToken, projects };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { public: true },
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Log out: ends the session and clears its cookies',
        description:
          'Needs the x-csrf-token header while the session is live; without a live session it only clears the cookies.',
        tags: ['auth'],
        security: [],
        response: { 204: z.null().describe('Logged out') },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      const live = token ? await accounts.resolveSession(token) : undefined;
      if (live) {
        const sent = firstHeader(request.headers[CSRF_HEADER]);
        if (sent === undefined || !safeEqual(sent, live.session.csrfToken)) {
          throw new PyflareError('CSRF', `logging out needs the ${CSRF_HEADER} header`);
        }
        await accounts.endSession(live.session.id);
      }
      clearSessionCookies(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { user: true },
      schema: {
        summary: 'The logged-in user, their role in the current project, and their projects',
        tags: ['auth'],
        response: { 200: meResponse },
      },
    },
    async (request) => {
      const principal = request.principal!;
      const userId = userIdOf(principal);
      const user = accounts.user(userId);
      const project = deps.auth.project(principal.projectId);
      if (!user || !project) throw new PyflareError('UNAUTHENTICATED', 'no such user');
      const csrf =
        principal.sessionId !== undefined ? accounts.csrfTokenOf(principal.sessionId) : null;
      return {
        user: userOut(user),
        role: principal.role ?? 'admin',
        project: { id: project.id, name: project.name },
        projects: projectsOut(accounts, userId),
        csrfToken: csrf ?? null,
        preferences: await getPreferences(db, userId),
      };
    },
  );

  app.put(
    '/api/v1/auth/me/password',
    {
      config: { user: true },
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Change your password; your other sessions end',
        description:
          'A wrong current password answers 400 (and counts toward the login rate limit).',
        tags: ['auth'],
        body: passwordBody,
        response: { 204: z.null().describe('Changed') },
      },
    },
    async (request, reply) => {
      const principal = request.principal!;
      const userId = userIdOf(principal);
      const key = [`user:${userId}`];
      const wait = limiter.retryAfter(key);
      if (wait > 0) throw retryLater(wait);
      const changed = await accounts.changePassword(
        userId,
        request.body.currentPassword,
        request.body.newPassword,
        principal.sessionId,
      );
      if (!changed) {
        limiter.fail(key);
        throw new PyflareError('BAD_REQUEST', 'the current password is wrong');
      }
      limiter.reset(key[0]!);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me/preferences',
    {
      config: { user: true },
      schema: {
        summary: 'Your preferences',
        tags: ['auth'],
        response: { 200: storedPreferencesSchema },
      },
    },
    async (request) => getPreferences(db, userIdOf(request.principal)),
  );

  app.put(
    '/api/v1/auth/me/preferences',
    {
      config: { user: true },
      bodyLimit: SMALL_BODY,
      schema: {
        summary: 'Change your preferences',
        description:
          'A field given replaces the stored one, null clears it, a field left out is kept. Answers the stored object.',
        tags: ['auth'],
        body: preferencesPatch,
        response: { 200: storedPreferencesSchema },
      },
    },
    async (request) => {
      const userId = userIdOf(request.principal);
      const next: Record<string, unknown> = { ...(await getPreferences(db, userId)) };
      for (const [k, v] of Object.entries(request.body)) {
        if (v === null) delete next[k];
        else if (v !== undefined) next[k] = v;
      }
      await savePreferences(db, userId, next as Preferences);
      return next as Preferences;
    },
  );
}
