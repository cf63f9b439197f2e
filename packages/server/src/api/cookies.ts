import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'pyflare_session';
export const CSRF_COOKIE = 'pyflare_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const PROJECT_HEADER = 'x-pyflare-project';

/** Secure only over HTTPS: a cookie marked Secure is never sent back over plain HTTP. */
const secure = (request: FastifyRequest) => request.protocol === 'https';

/** Sets the session cookie (HttpOnly) and the CSRF cookie (readable by the page's scripts). */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  csrfToken: string,
  maxAgeMs: number,
): void {
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    secure: secure(request),
    maxAge: Math.max(1, Math.floor(maxAgeMs / 1000)),
  };
  reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  const common = { path: '/', sameSite: 'lax' as const, secure: secure(request) };
  reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, { ...common, httpOnly: false });
}

export function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
