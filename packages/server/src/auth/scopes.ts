/** API key scopes. `admin` implies `read` and `ingest`. An ingest-only key cannot read. */
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, resolved once per request by the auth hook. */
export interface Principal {
  projectId: string;
  scopes: readonly Scope[];
  /** The API key id, or 'local' when auth is disabled. */
  keyId: string;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}
