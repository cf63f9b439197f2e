import type { Principal } from '../auth/scopes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook for every route that is not public. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Routes that need no credentials (health, readiness, OpenAPI). */
    public?: boolean;
    /** The scope a route needs; defaults to 'read'. */
    scope?: 'ingest' | 'read' | 'admin';
  }
}

export {};
