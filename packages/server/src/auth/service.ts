import { PyflareError } from '../errors.ts';
import type { Database } from '../storage/database.ts';
import { generateApiKey, hashApiKey, keyDisplayPrefix, newId } from './keys.ts';
import {
  listApiKeys,
  listProjects,
  saveApiKey,
  saveProject,
  type ApiKeyRecord,
  type Project,
} from './repository.ts';
import type { Principal, Scope } from './scopes.ts';

export interface AuthServiceOptions {
  db: Database;
  defaultRetentionDays: number;
  /** How often to re-read keys and projects written by other processes. */
  refreshMs?: number;
  /** How often at most to record a key's last use. */
  touchEveryMs?: number;
  now?: () => number;
}

export interface CreatedKey {
  key: string;
  record: ApiKeyRecord;
}

/**
 * Projects and API keys, cached in memory (they are few and read on every request) and
 * kept in storage as ReplacingMergeTree rows. Changes made through this service update the
 * cache at once; changes from other processes show within `refreshMs`.
 */
export class AuthService {
  readonly #db: Database;
  readonly #defaultRetentionDays: number;
  readonly #refreshMs: number;
  readonly #touchEveryMs: number;
  readonly #now: () => number;
  #byHash = new Map<string, ApiKeyRecord>();
  #projects = new Map<string, Project>();
  #loadedAt = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: AuthServiceOptions) {
    this.#db = options.db;
    this.#defaultRetentionDays = options.defaultRetentionDays;
    this.#refreshMs = options.refreshMs ?? 10_000;
    this.#touchEveryMs = options.touchEveryMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  async load(): Promise<void> {
    const [projects, keys] = await Promise.all([listProjects(this.#db), listApiKeys(this.#db)]);
    this.#projects = new Map(projects.map((p) => [p.id, p]));
    this.#byHash = new Map(keys.map((k) => [k.keyHash, k]));
    this.#loadedAt = this.#now();
  }

  /** Re-reads state periodically so keys revoked by another process stop working. */
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
   * On an empty store: the default project and an admin key (the seed if given).
   * Returns the key in clear text when one was created, so the caller can print it once.
   */
  async bootstrap(seedKey?: string): Promise<{ project: Project; key?: string } | undefined> {
    if (this.#loadedAt === 0) await this.load();
    if (this.#projects.size > 0) return undefined;
    const project = await this.createProject('default', 'default');
    const created = await this.createKey({
      projectId: project.id,
      name: 'admin (created at first start)',
      scopes: ['admin'],
      key: seedKey,
    });
    return { project, key: seedKey ? undefined : created.key };
  }

  projects(): Project[] {
    return [...this.#projects.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  project(id: string): Project | undefined {
    return this.#projects.get(id);
  }

  /** The project used when auth is disabled: the first one created. */
  defaultProject(): Project {
    const first = this.projects()[0];
    if (!first) throw new PyflareError('INTERNAL', 'no project exists');
    return first;
  }

  async createProject(name: string, id = newId('prj')): Promise<Project> {
    if ([...this.#projects.values()].some((p) => p.name === name)) {
      throw new PyflareError('CONFLICT', `a project named '${name}' exists`);
    }
    const project: Project = {
      id,
      name,
      retentionDays: this.#defaultRetentionDays,
      captureContent: true,
      createdAt: this.#now(),
    };
    await saveProject(this.#db, project);
    this.#projects.set(project.id, project);
    return project;
  }

  async updateProject(
    id: string,
    patch: Partial<Pick<Project, 'name' | 'retentionDays' | 'captureContent'>>,
  ): Promise<Project> {
    const current = this.#projects.get(id);
    if (!current) throw new PyflareError('NOT_FOUND', `no project '${id}'`);
    const next = { ...current, ...patch };
    await saveProject(this.#db, next);
    this.#projects.set(id, next);
    return next;
  }

  keys(projectId?: string): ApiKeyRecord[] {
    return [...this.#byHash.values()]
      .filter((k) => projectId === undefined || k.projectId === projectId)
      .sort((a, b) => a.createdAt - b.createdAt);
  }

  async createKey(input: {
    projectId: string;
    name: string;
    scopes: Scope[];
    key?: string;
  }): Promise<CreatedKey> {
    if (!this.#projects.has(input.projectId)) {
      throw new PyflareError('NOT_FOUND', `no project '${input.projectId}'`);
    }
    if (input.scopes.length === 0) throw new PyflareError('BAD_REQUEST', 'a key needs a scope');
    const key = input.key ?? generateApiKey();
    const keyHash = hashApiKey(key);
    if (this.#byHash.has(keyHash)) throw new PyflareError('CONFLICT', 'that key exists');
    const record: ApiKeyRecord = {
      id: newId('key'),
      projectId: input.projectId,
      name: input.name,
      prefix: keyDisplayPrefix(key),
      keyHash,
      scopes: [...new Set(input.scopes)],
      createdAt: this.#now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await saveApiKey(this.#db, record);
    this.#byHash.set(keyHash, record);
    return { key, record };
  }

  async revokeKey(id: string, projectId?: string): Promise<ApiKeyRecord> {
    const record = [...this.#byHash.values()].find(
      (k) => k.id === id && (projectId === undefined || k.projectId === projectId),
    );
    if (!record) throw new PyflareError('NOT_FOUND', `no API key '${id}'`);
    if (record.revokedAt !== null) return record;
    const revoked = { ...record, revokedAt: this.#now() };
    await saveApiKey(this.#db, revoked);
    this.#byHash.set(revoked.keyHash, revoked);
    return revoked;
  }

  /** The principal for a presented key, or undefined for unknown and revoked keys. */
  authenticate(key: string): Principal | undefined {
    const record = this.#byHash.get(hashApiKey(key));
    if (!record || record.revokedAt !== null) return undefined;
    if (!this.#projects.has(record.projectId)) return undefined;
    const now = this.#now();
    if (record.lastUsedAt === null || now - record.lastUsedAt > this.#touchEveryMs) {
      const touched = { ...record, lastUsedAt: now };
      this.#byHash.set(record.keyHash, touched);
      // Best effort: last-used is informational and must never fail a request.
      saveApiKey(this.#db, touched).catch(() => undefined);
    }
    return { projectId: record.projectId, scopes: record.scopes, keyId: record.id };
  }
}

/** The key presented in `Authorization: Bearer <key>` or `x-api-key`, if any. */
export function extractApiKey(headers: {
  authorization?: string | string[] | undefined;
  'x-api-key'?: string | string[] | undefined;
}): string | undefined {
  const auth = first(headers.authorization);
  if (auth) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  return first(headers['x-api-key'])?.trim() || undefined;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
