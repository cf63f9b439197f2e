/** API key scopes. `admin` implies `read` and `ingest`. An ingest-only key cannot read. */
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** A user's role in a project (a membership), weakest first. */
export const ROLES = ['viewer', 'member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling, resolved once per request by the auth hook: an API key, a browser
 * session (a user with a role in the project), or the local caller when auth is disabled.
 */
export interface Principal {
  projectId: string;
  scopes: readonly Scope[];
  /** The API key id ('local' when auth is disabled); absent for a session. */
  keyId?: string;
  /** The user, for a session (and for auth disabled: the first admin user). */
  userId?: string;
  /** The user's role in `projectId`, for a session. */
  role?: Role;
  /** The session (the SHA-256 of its token), for a cookie-authenticated request. */
  sessionId?: string;
}

/**
 * What a role may do, as the scopes the routes ask for: viewers and members read, admins
 * administer the project. Members' extra rights (their saved queries) are checked by role.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  viewer: ['read'],
  member: ['read'],
  admin: ['admin'],
};

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

/** True when the principal's role is at least `role` (API keys have no role). */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.role !== undefined && ROLES.indexOf(principal.role) >= ROLES.indexOf(role);
}
