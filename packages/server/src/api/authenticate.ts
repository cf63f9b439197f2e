import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService } from '../auth/accounts.ts';
import { safeEqual } from '../auth/sessions.ts';
import { hasRole, hasScope, ROLE_SCOPES, type Principal } from '../auth/scopes.ts';
import { extractApiKey, type AuthService } from '../auth/service.ts';
import { isLoopback } from '../config/config.ts';
import { PyflareError } from '../errors.ts';
import {
  clearSessionCookies,
  CSRF_HEADER,
  firstHeader,
  PROJECT_HEADER,
  SESSION_COOKIE,
  setSessionCookies,
} from './cookies.ts';

export interface AuthenticateDeps {
  auth: AuthService;
  accounts: AccountService;
  /** Auth disabled: every caller is the local admin. */
  authDisabled: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WS_PATH = '/api/v1/ws';

/** The project a session works in: the header's (a membership is needed) or the first one. */
function pickProject(
  accounts: AccountService,
  userId: string,
  wanted: string | undefined,
): { projectId: string; role: Principal['role'] & string } {
  const projects = accounts.projectsOf(userId);
  if (wanted !== undefined && wanted !== '') {
    const found = projects.find((p) => p.project.id === wanted);
    if (!found) throw new PyflareError('FORBIDDEN', `you are not a member of project '${wanted}'`);
    return { projectId: found.project.id, role: found.role };
  }
  const first = projects[0];
  if (!first) throw new PyflareError('FORBIDDEN', 'you are not a member of any project');
  return { projectId: first.project.id, role: first.role };
}

/**
 * Who is calling: an API key (`Authorization: Bearer` or `x-api-key`; a key that is sent
 * is the credential, even with a cookie), else the session cookie, else nobody. A session's
 * state-changing request must carry the CSRF token (double submit). Throws 401 for a
 * credential that does not work, 403 for a project the user is not in or a bad CSRF token.
 */
export async function authenticate(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AuthenticateDeps,
): Promise<Principal | undefined> {
  // Browsers cannot set headers on a WebSocket: there the project comes as ?project=.
  const fromQuery =
    request.routeOptions.url === WS_PATH
      ? (request.query as { project?: unknown } | undefined)?.project
      : undefined;
  const wantedProject = (
    firstHeader(request.headers[PROJECT_HEADER]) ??
    (typeof fromQuery === 'string' ? fromQuery : undefined)
  )?.trim();
  if (deps.authDisabled) {
    // Loopback only: a page on another name that resolves to 127.0.0.1 (DNS rebinding) must
    // not get the local admin's rights.
    const name = request.hostname.replace(/^\[|\]$/g, '');
    if (!isLoopback(name)) {
      throw new PyflareError(
        'FORBIDDEN',
        `with auth disabled only loopback names are served (Host '${name.slice(0, 100)}')`,
      );
    }
    const local = deps.accounts.localAdmin();
    const projectId =
      wantedProject && deps.auth.project(wantedProject)
        ? wantedProject
        : deps.auth.defaultProject().id;
    return {
      projectId,
      scopes: ['admin'],
      keyId: 'local',
      role: 'admin',
      ...(local ? { userId: local.user.id } : {}),
    };
  }
  const key = extractApiKey(request.headers);
  if (key !== undefined) {
    const principal = deps.auth.authenticate(key);
    if (!principal) throw new PyflareError('UNAUTHENTICATED', 'invalid or revoked API key');
    return principal;
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token === undefined || token === '') return undefined;
  const live = await deps.accounts.resolveSession(token);
  if (!live) {
    clearSessionCookies(request, reply);
    throw new PyflareError('UNAUTHENTICATED', 'your session has expired or ended; log in again');
  }
  if (!SAFE_METHODS.has(request.method)) {
    const sent = firstHeader(request.headers[CSRF_HEADER]);
    if (sent === undefined || !safeEqual(sent, live.session.csrfToken)) {
      throw new PyflareError(
        'CSRF',
        `a request with a session cookie that changes state needs the ${CSRF_HEADER} header`,
      );
    }
  }
  if (live.extended) {
    setSessionCookies(
      request,
      reply,
      token,
      live.session.csrfToken,
      live.session.expiresAt - Date.now(),
    );
  }
  const { projectId, role } = pickProject(deps.accounts, live.user.id, wantedProject);
  return {
    projectId,
    scopes: ROLE_SCOPES[role],
    userId: live.user.id,
    role,
    sessionId: live.session.id,
  };
}

/** What a route's config asks of the caller; throws 403 with the reason. */
export function checkAccess(
  principal: Principal,
  config: { scope?: 'ingest' | 'read' | 'admin'; role?: Principal['role']; user?: boolean },
): void {
  const needed = config.scope ?? 'read';
  if (!hasScope(principal, needed)) {
    throw new PyflareError(
      'FORBIDDEN',
      principal.role !== undefined
        ? `your role '${principal.role}' cannot do this (it needs ${needed === 'admin' ? 'admin' : `the '${needed}' scope`})`
        : `this API key lacks the '${needed}' scope`,
    );
  }
  if (config.user === true && principal.userId === undefined) {
    throw new PyflareError(
      'FORBIDDEN',
      'this route acts on a user: log in (API keys have no user)',
    );
  }
  if (config.role !== undefined && !hasRole(principal, config.role)) {
    throw new PyflareError(
      'FORBIDDEN',
      `your role '${principal.role ?? 'none'}' cannot do this (it needs ${config.role} or above)`,
    );
  }
}
