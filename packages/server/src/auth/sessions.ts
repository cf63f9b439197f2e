import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../storage/database.ts';
import {
  getSession,
  listLiveSessions,
  saveSession,
  type SessionRecord,
} from './sessions-repository.ts';

/** The cookie's token: 32 random bytes, base64url (43 characters). */
const TOKEN_RE = /^[\w-]{43}$/;

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface SessionStoreOptions {
  db: Database;
  /** A session ends this long after its last use. */
  ttlMs: number;
  now?: () => number;
}

/**
 * Browser sessions: cached in memory, looked up in storage on a miss (so a session made by
 * another API process works at once), with a sliding expiry. Only the SHA-256 of a token is
 * kept, in memory and in storage.
 */
export class SessionStore {
  readonly #db: Database;
  readonly ttlMs: number;
  readonly #now: () => number;
  #sessions = new Map<string, SessionRecord>();
  readonly #endListeners = new Set<(sessionId: string) => void>();
  /** Bumped by every local end; a load that overlaps one is not applied. */
  #writes = 0;

  constructor(options: SessionStoreOptions) {
    this.#db = options.db;
    this.ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  async load(): Promise<void> {
    const writes = this.#writes;
    const sessions = await listLiveSessions(this.#db, this.#now());
    if (writes !== this.#writes) return;
    this.#sessions = new Map(sessions.map((s) => [s.id, s]));
  }

  /** A new session of the user; the token goes in the cookie and is never stored. */
  async start(userId: string): Promise<{ token: string; session: SessionRecord }> {
    const now = this.#now();
    const token = randomBytes(32).toString('base64url');
    const session: SessionRecord = {
      id: sessionIdOf(token),
      userId,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      expiresAt: now + this.ttlMs,
    };
    this.#writes++;
    await saveSession(this.#db, session);
    this.#sessions.set(session.id, session);
    return { token, session };
  }

  /**
   * The live session of a cookie's token, its expiry moved forward (at most every
   * min(ttl/2, 1 h), so reads do not write on every request).
   */
  async resolve(token: string): Promise<{ session: SessionRecord; extended: boolean } | undefined> {
    if (!TOKEN_RE.test(token)) return undefined;
    const id = sessionIdOf(token);
    let session = this.#sessions.get(id);
    if (!session) {
      session = await getSession(this.#db, id);
      if (session) this.#sessions.set(id, session);
    }
    if (!session) return undefined;
    const now = this.#now();
    if (session.expiresAt <= now) {
      this.#sessions.delete(id);
      return undefined;
    }
    const extendEvery = Math.min(this.ttlMs / 2, 3_600_000);
    if (now + this.ttlMs - session.expiresAt < extendEvery) return { session, extended: false };
    session = { ...session, expiresAt: now + this.ttlMs };
    this.#sessions.set(id, session);
    // Best effort: a lost extension only shortens the session.
    saveSession(this.#db, session).catch(() => undefined);
    return { session, extended: true };
  }

  get(sessionId: string): SessionRecord | undefined {
    const s = this.#sessions.get(sessionId);
    return s !== undefined && s.expiresAt > this.#now() ? s : undefined;
  }

  async end(sessionId: string): Promise<void> {
    const session = this.#sessions.get(sessionId) ?? (await getSession(this.#db, sessionId));
    if (!session) return;
    this.#writes++;
    await saveSession(this.#db, session, true);
    this.#sessions.delete(sessionId);
    for (const listener of this.#endListeners) listener(sessionId);
  }

  /** Ends every session of the user but `exceptId`, including those made by other processes. */
  async endAllOf(userId: string, exceptId?: string): Promise<void> {
    const ids = new Set(
      [...this.#sessions.values()]
        .filter((s) => s.userId === userId && s.id !== exceptId)
        .map((s) => s.id),
    );
    for (const s of await listLiveSessions(this.#db, this.#now())) {
      if (s.userId === userId && s.id !== exceptId && !ids.has(s.id)) {
        this.#sessions.set(s.id, s);
        ids.add(s.id);
      }
    }
    for (const id of ids) await this.end(id);
  }

  /** Calls `listener` with the id of each session this process ends; returns the remover. */
  onEnd(listener: (sessionId: string) => void): () => void {
    this.#endListeners.add(listener);
    return () => {
      this.#endListeners.delete(listener);
    };
  }
}
