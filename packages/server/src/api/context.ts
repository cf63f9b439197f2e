import type { Principal, Role } from '../auth/scopes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook for every route that is not public. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Routes that need no credentials (health, readiness, OpenAPI, login, the UI's files). */
    public?: boolean;
    /** The scope a route needs; defaults to 'read'. Roles map to scopes (auth/scopes.ts). */
    scope?: 'ingest' | 'read' | 'admin';
    /** The least role a session needs, beyond the scope (e.g. 'member' for saved queries). */
    role?: Role;
    /** The route acts on the calling user (preferences, saved queries): API keys are refused. */
    user?: boolean;
  }
}

export {};
