import { PyflareError } from '../errors.ts';
import type { Database } from '../storage/database.ts';
import { newId } from './keys.ts';
import { DUMMY_PASSWORD_HASH, generatePassword, hashPassword, verifyPassword } from './password.ts';
import type { Project } from './repository.ts';
import type { Role } from './scopes.ts';
import type { AuthService } from './service.ts';
import { SessionStore } from './sessions.ts';
import type { SessionRecord } from './sessions-repository.ts';
import {
  listMemberships,
  listUsers,
  saveMembership,
  saveUser,
  type Membership,
  type UserRecord,
} from './users-repository.ts';

export const FIRST_ADMIN_EMAIL = 'admin@localhost';

export interface AccountServiceOptions {
  db: Database;
  /** Projects live there. */
  auth: AuthService;
  /** A session ends this long after its last use. */
  sessionTtlMs: number;
  refreshMs?: number;
  now?: () => number;
}

export interface ProjectRole {
  project: Project;
  role: Role;
}

export interface LiveSession {
  session: SessionRecord;
  user: UserRecord;
  /** True when this use moved the expiry forward (the cookie should be sent again). */
  extended: boolean;
}

export interface NewSession {
  token: string;
  session: SessionRecord;
  user: UserRecord;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/**
 * Users, their roles in projects, and their browser sessions (sessions.ts). Users and
 * memberships are few and cached in memory (like keys in AuthService). Every change is
 * written to storage (ReplacingMergeTree rows) before the cache is updated.
 */
export class AccountService {
  readonly #db: Database;
  readonly #auth: AuthService;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #users = new Map<string, UserRecord>();
  #members: Membership[] = [];
  readonly #sessions: SessionStore;
  /** Bumped by every local write; a load that overlaps one is not applied. */
  #writes = 0;
  /** Changes to users and memberships run one at a time (checks like "last admin" hold). */
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AccountServiceOptions) {
    this.#db = options.db;
    this.#auth = options.auth;
    this.#sessions = new SessionStore({
      db: options.db,
      ttlMs: options.sessionTtlMs,
      ...(options.now ? { now: options.now } : {}),
    });
    this.#refreshMs = options.refreshMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  get sessionTtlMs(): number {
    return this.#sessions.ttlMs;
  }

  async load(): Promise<void> {
    const writes = this.#writes;
    const [users, members] = await Promise.all([
      listUsers(this.#db),
      listMemberships(this.#db),
      this.#sessions.load(),
    ]);
    if (writes !== this.#writes) return;
    this.#users = new Map(users.map((u) => [u.id, u]));
    this.#members = members;
  }

  startRefresh(onError: (e: unknown) => void): void {
    this.#timer = setInterval(() => {
      this.load().catch(onError);
    }, this.#refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /**
   * With no users: `admin@localhost`, admin of the default project, with `password` or a
   * generated one. Returns the generated password so the caller can print it once.
   */
  async bootstrap(password?: string): Promise<{ user: UserRecord; password?: string } | undefined> {
    await this.load();
    if (this.#users.size > 0) return undefined;
    const generated = password === undefined ? generatePassword() : undefined;
    const user = await this.createUser({
      email: FIRST_ADMIN_EMAIL,
      name: 'Admin',
      password: password ?? generated!,
      role: 'admin',
      projectId: this.#auth.defaultProject().id,
    });
    return { user, ...(generated ? { password: generated } : {}) };
  }

  // ---- users and memberships ----

  user(id: string): UserRecord | undefined {
    return this.#users.get(id);
  }

  userByEmail(email: string): UserRecord | undefined {
    const wanted = normalizeEmail(email);
    for (const u of this.#users.values()) if (u.email === wanted) return u;
    return undefined;
  }

  roleIn(userId: string, projectId: string): Role | undefined {
    return this.#members.find((m) => m.userId === userId && m.projectId === projectId)?.role;
  }

  /** The user's projects with their role, oldest project first. */
  projectsOf(userId: string): ProjectRole[] {
    return this.#members
      .filter((m) => m.userId === userId)
      .flatMap((m) => {
        const project = this.#auth.project(m.projectId);
        return project ? [{ project, role: m.role }] : [];
      })
      .sort(
        (a, b) =>
          a.project.createdAt - b.project.createdAt || (a.project.id < b.project.id ? -1 : 1),
      );
  }

  /** Members of a project, oldest first. */
  membersOf(projectId: string): { user: UserRecord; role: Role }[] {
    return this.#members
      .filter((m) => m.projectId === projectId)
      .flatMap((m) => {
        const user = this.#users.get(m.userId);
        return user ? [{ user, role: m.role }] : [];
      });
  }

  /** The first admin of the default project: who a caller is when auth is disabled. */
  localAdmin(): { user: UserRecord; projectId: string } | undefined {
    const projectId = this.#auth.defaultProject().id;
    const admin = this.membersOf(projectId).find((m) => m.role === 'admin');
    return admin ? { user: admin.user, projectId } : undefined;
  }

  createUser(input: {
    email: string;
    name: string;
    password: string;
    role: Role;
    projectId: string;
  }): Promise<UserRecord> {
    return this.#serial(() => this.#createUser(input));
  }

  async #createUser(input: {
    email: string;
    name: string;
    password: string;
    role: Role;
    projectId: string;
  }): Promise<UserRecord> {
    const email = normalizeEmail(input.email);
    if (this.userByEmail(email)) {
      throw new PyflareError('CONFLICT', `a user with email '${email}' exists`);
    }
    if (!this.#auth.project(input.projectId)) {
      throw new PyflareError('NOT_FOUND', `no project '${input.projectId}'`);
    }
    const user: UserRecord = {
      id: newId('usr'),
      email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      createdAt: this.#now(),
      lastLoginAt: null,
      deleted: false,
    };
    this.#writes++;
    await saveUser(this.#db, user);
    this.#users.set(user.id, user);
    await this.#setRole(input.projectId, user.id, input.role);
    return user;
  }

  /**
   * Adds an existing user (by email) to the project with `role`: 404 when no user has that
   * email, 409 when they are a member already (change their role instead).
   */
  addMember(projectId: string, email: string, role: Role): Promise<UserRecord> {
    return this.#serial(async () => {
      const user = this.userByEmail(email);
      if (!user)
        throw new PyflareError('NOT_FOUND', `no user with email '${normalizeEmail(email)}'`);
      if (!this.#auth.project(projectId)) {
        throw new PyflareError('NOT_FOUND', `no project '${projectId}'`);
      }
      if (this.roleIn(user.id, projectId)) {
        throw new PyflareError(
          'CONFLICT',
          `'${user.email}' is a member of this project already: change their role instead`,
        );
      }
      await this.#setRole(projectId, user.id, role);
      return user;
    });
  }

  /** Adds the user to the project with `role`, or changes their role there. */
  setRole(projectId: string, userId: string, role: Role): Promise<void> {
    return this.#serial(() => this.#setRole(projectId, userId, role));
  }

  async #setRole(projectId: string, userId: string, role: Role): Promise<void> {
    const existing = this.#members.find((m) => m.projectId === projectId && m.userId === userId);
    const membership: Membership = existing
      ? { ...existing, role }
      : { projectId, userId, role, createdAt: this.#now() };
    this.#writes++;
    await saveMembership(this.#db, membership);
    this.#members = existing
      ? this.#members.map((m) => (m === existing ? membership : m))
      : [...this.#members, membership];
  }

  #assertNotLastAdmin(projectId: string, userId: string): void {
    if (this.roleIn(userId, projectId) !== 'admin') return;
    const admins = this.membersOf(projectId).filter((m) => m.role === 'admin');
    if (admins.length <= 1) {
      throw new PyflareError(
        'CONFLICT',
        'the last admin of a project cannot be demoted or removed',
      );
    }
  }

  /** Changes a member of `projectId`; 404 when they are not one, 409 for the last admin. */
  updateMember(
    projectId: string,
    userId: string,
    patch: { name?: string; role?: Role; password?: string },
  ): Promise<{ user: UserRecord; role: Role }> {
    return this.#serial(() => this.#updateMember(projectId, userId, patch));
  }

  async #updateMember(
    projectId: string,
    userId: string,
    patch: { name?: string; role?: Role; password?: string },
  ): Promise<{ user: UserRecord; role: Role }> {
    const user = this.#users.get(userId);
    const role = this.roleIn(userId, projectId);
    if (!user || !role) throw new PyflareError('NOT_FOUND', `no user '${userId}' in this project`);
    if (patch.role !== undefined && patch.role !== 'admin')
      this.#assertNotLastAdmin(projectId, userId);
    let next = user;
    if (patch.name !== undefined || patch.password !== undefined) {
      next = {
        ...user,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.password !== undefined
          ? { passwordHash: await hashPassword(patch.password) }
          : {}),
      };
      this.#writes++;
      await saveUser(this.#db, next);
      this.#users.set(userId, next);
    }
    if (patch.role !== undefined && patch.role !== role)
      await this.#setRole(projectId, userId, patch.role);
    // A password set by an admin ends the user's sessions: whoever held them must log in anew.
    if (patch.password !== undefined) await this.endSessionsOf(userId);
    return { user: next, role: patch.role ?? role };
  }

  /**
   * Removes the user from the project and ends their sessions; a user left in no project
   * is deleted (their email becomes free).
   */
  removeMember(projectId: string, userId: string): Promise<void> {
    return this.#serial(() => this.#removeMember(projectId, userId));
  }

  async #removeMember(projectId: string, userId: string): Promise<void> {
    const membership = this.#members.find((m) => m.projectId === projectId && m.userId === userId);
    const user = this.#users.get(userId);
    if (!membership || !user)
      throw new PyflareError('NOT_FOUND', `no user '${userId}' in this project`);
    this.#assertNotLastAdmin(projectId, userId);
    this.#writes++;
    await saveMembership(this.#db, membership, true);
    this.#members = this.#members.filter((m) => m !== membership);
    if (!this.#members.some((m) => m.userId === userId)) {
      await saveUser(this.#db, { ...user, deleted: true });
      this.#users.delete(userId);
    }
    await this.endSessionsOf(userId);
  }

  /**
   * The caller's own password change; other sessions of the user end. False when the
   * current password is wrong.
   */
  async changePassword(
    userId: string,
    currentPassword: string,
    newPassword: string,
    keepSessionId?: string,
  ): Promise<boolean> {
    const user = this.#users.get(userId);
    if (!user) throw new PyflareError('UNAUTHENTICATED', 'no such user');
    if (!(await verifyPassword(currentPassword, user.passwordHash))) return false;
    const next = { ...user, passwordHash: await hashPassword(newPassword) };
    this.#writes++;
    await saveUser(this.#db, next);
    this.#users.set(userId, next);
    await this.endSessionsOf(userId, keepSessionId);
    return true;
  }

  // ---- sessions ----

  /**
   * Checks an email and password; on success starts a session. Unknown emails cost the
   * same scrypt work as wrong passwords, and both answer the same.
   */
  async login(email: string, password: string): Promise<NewSession | undefined> {
    const user = this.userByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) return undefined;
    const { token, session } = await this.#sessions.start(user.id);
    const loggedIn = { ...user, lastLoginAt: session.createdAt };
    this.#writes++;
    await saveUser(this.#db, loggedIn);
    this.#users.set(user.id, loggedIn);
    return { token, session, user: loggedIn };
  }

  /** The live session of a cookie's token and its user, moving its expiry forward (sliding). */
  async resolveSession(token: string): Promise<LiveSession | undefined> {
    const live = await this.#sessions.resolve(token);
    const user = live && this.#users.get(live.session.userId);
    return live && user ? { ...live, user } : undefined;
  }

  csrfTokenOf(sessionId: string): string | undefined {
    return this.#sessions.get(sessionId)?.csrfToken;
  }

  /** True while the session exists, has not expired and its user exists (for WebSockets). */
  isLive(sessionId: string): boolean {
    const s = this.#sessions.get(sessionId);
    return s !== undefined && this.#users.has(s.userId);
  }

  endSession(sessionId: string): Promise<void> {
    return this.#sessions.end(sessionId);
  }

  /** Ends every session of the user but `exceptId`. */
  endSessionsOf(userId: string, exceptId?: string): Promise<void> {
    return this.#sessions.endAllOf(userId, exceptId);
  }

  /** Calls `listener` with the id of each session this process ends; returns the remover. */
  onSessionEnd(listener: (sessionId: string) => void): () => void {
    return this.#sessions.onEnd(listener);
  }
}
