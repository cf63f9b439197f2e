/** Who is signed in: `GET /auth/me`, sign-in (password or API key) and sign-out. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import {
  api,
  ApiError,
  getApiKey,
  setApiKey,
  setCsrfToken,
  setProjectId,
  setUnauthorizedHandler,
} from '../../../lib/api.ts';
import type { Me, Role } from '../../../lib/types.ts';

interface AuthState {
  me: Me | null;
  loading: boolean;
  role: Role;
  canWrite: boolean;
  isAdmin: boolean;
  signIn(email: string, password: string): Promise<void>;
  signInWithKey(key: string): Promise<void>;
  signOut(): Promise<void>;
  switchProject(id: string): void;
}

const AuthContext = createContext<AuthState | null>(null);

/** Who an API key is: admin when it may list keys, else a read-only viewer. */
async function keyIdentity(): Promise<Me> {
  let role: Role = 'viewer';
  try {
    await api('/keys', { quiet401: true });
    role = 'admin';
  } catch {
    /* not an admin key */
  }
  return {
    user: { id: 'api-key', email: 'API key', name: 'API key' },
    role,
    project: { id: '', name: 'Project' },
    projects: [],
  };
}

/** An API key's scopes as a role, for `/auth/me` answers to key-authenticated requests. */
function normalizeMe(raw: Me & { scopes?: string[] }): Me {
  if (raw.role) return raw;
  const scopes = raw.scopes ?? [];
  const role: Role = scopes.includes('admin') ? 'admin' : 'viewer';
  return { ...raw, role };
}

/**
 * The `me` query. `main.tsx` starts it before React mounts (with the first page's data), so
 * the session check and the list do not wait for each other or for the first render.
 */
export const meQuery = {
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      const me = normalizeMe(await api<Me>('/auth/me', { quiet401: true }));
      setCsrfToken(me.csrfToken);
      return me;
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 404)) return null;
      // An API key has no user (`/auth/me` answers 403): browse as the key's role.
      if (err instanceof ApiError && err.status === 403 && getApiKey()) return keyIdentity();
      throw err;
    }
  },
  staleTime: 60_000,
  retry: false,
} as const;

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery(meQuery);

  useEffect(() => {
    setUnauthorizedHandler(() => client.setQueryData(['me'], null));
    return () => setUnauthorizedHandler(undefined);
  }, [client]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      setApiKey(null);
      const res = await api<{ csrfToken?: string }>('/auth/login', {
        method: 'POST',
        body: { email, password },
        quiet401: true,
      });
      setCsrfToken(res.csrfToken);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      await client.refetchQueries({ queryKey: ['me'] });
    },
    [client],
  );

  const signInWithKey = useCallback(
    async (key: string) => {
      setApiKey(key);
      try {
        await api('/traces', { query: { limit: 1 }, quiet401: true });
      } catch (err) {
        setApiKey(null);
        throw err;
      }
      await client.refetchQueries({ queryKey: ['me'] });
      if (!client.getQueryData(['me'])) client.setQueryData<Me>(['me'], await keyIdentity());
    },
    [client],
  );

  const signOut = useCallback(async () => {
    const hadKey = getApiKey() !== null;
    setApiKey(null);
    if (!hadKey) {
      try {
        await api('/auth/logout', { method: 'POST', quiet401: true });
      } catch {
        /* already signed out */
      }
    }
    setCsrfToken(undefined);
    // Keep the `me` query object (its observer stays subscribed); drop everything else.
    client.setQueryData(['me'], null);
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  }, [client]);

  const switchProject = useCallback(
    (id: string) => {
      setProjectId(id);
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      void client.refetchQueries({ queryKey: ['me'] });
    },
    [client],
  );

  const value = useMemo<AuthState>(() => {
    const me = query.data ?? null;
    const role: Role = me?.role ?? 'viewer';
    return {
      me,
      loading: query.isPending,
      role,
      canWrite: role === 'member' || role === 'admin',
      isAdmin: role === 'admin',
      signIn,
      signInWithKey,
      signOut,
      switchProject,
    };
  }, [query.data, query.isPending, signIn, signInWithKey, signOut, switchProject]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
