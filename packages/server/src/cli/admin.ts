import { resolve } from 'node:path';
import { emailSchema } from '../api/auth/schemas.ts';
import { AccountService } from '../auth/accounts.ts';
import { generatePassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/password.ts';
import { ROLES, SCOPES, type Role, type Scope } from '../auth/scopes.ts';
import { AuthService } from '../auth/service.ts';
import type { UserRecord } from '../auth/users-repository.ts';
import { PyflareError } from '../errors.ts';
import { openChdb } from '../storage/chdb.ts';
import { migrate } from '../storage/migrate.ts';

type AdminCommand =
  'keys.create' | 'keys.list' | 'keys.revoke' | 'projects.create' | 'projects.list';

interface AdminOptions {
  url?: string;
  apiKey?: string;
  dataDir?: string;
  json?: boolean;
  name?: string;
  scopes?: string;
  project?: string;
  keyId?: string;
  retentionDays?: string;
}

interface Row {
  [key: string]: unknown;
}

/**
 * Keys and projects commands. With a server running they go through its admin API (chDB
 * lets one process own a data directory); with none, they open the storage directly.
 */
export async function runAdminCommand(command: AdminCommand, opts: AdminOptions): Promise<void> {
  const url = opts.url ?? `http://127.0.0.1:${process.env.PYFLARE_PORT ?? 8080}`;
  const apiKey = opts.apiKey ?? process.env.PYFLARE_API_KEY;
  let result: Row | Row[];
  const viaApi = opts.dataDir === undefined && (await reachable(url));
  if (viaApi) {
    if (!apiKey) {
      throw new PyflareError(
        'UNAUTHENTICATED',
        `a server runs at ${url}: pass --api-key or set PYFLARE_API_KEY`,
      );
    }
    result = await overApi(command, opts, url, apiKey);
  } else {
    result = await offline(
      command,
      opts,
      resolve(opts.dataDir ?? process.env.PYFLARE_DATA_DIR ?? './pyflare-data'),
    );
  }
  print(command, result, opts.json === true);
}

function parseScopes(text = 'ingest'): Scope[] {
  const scopes = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of scopes) {
    if (!(SCOPES as readonly string[]).includes(s)) {
      throw new PyflareError('BAD_REQUEST', `unknown scope '${s}' (use ${SCOPES.join(', ')})`);
    }
  }
  return scopes as Scope[];
}

/**
 * True when a server answers at `url`, and when the probe times out (a busy server, or this
 * process slow on a loaded machine): only a refused or failed connection means none runs.
 * Going offline next to a running server would open its data directory a second time.
 */
async function reachable(url: string): Promise<boolean> {
  try {
    await fetch(new URL('/api/v1/health', url), { signal: AbortSignal.timeout(5000) });
    return true;
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError';
  }
}

async function overApi(
  command: AdminCommand,
  opts: AdminOptions,
  url: string,
  apiKey: string,
): Promise<Row | Row[]> {
  const call = async (method: string, path: string, body?: unknown): Promise<Row> => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const payload = (await response.json().catch(() => ({}))) as Row;
    if (!response.ok) {
      throw new PyflareError(
        'BAD_REQUEST',
        `${response.status} ${String(payload.detail ?? payload.title ?? response.statusText)}`,
      );
    }
    return payload;
  };
  switch (command) {
    case 'keys.create':
      return call('POST', '/api/v1/keys', {
        name: opts.name,
        scopes: parseScopes(opts.scopes),
        ...(opts.project ? { projectId: opts.project } : {}),
      });
    case 'keys.list': {
      const q = opts.project ? `?projectId=${encodeURIComponent(opts.project)}` : '';
      return (await call('GET', `/api/v1/keys${q}`)).keys as Row[];
    }
    case 'keys.revoke':
      return call('DELETE', `/api/v1/keys/${encodeURIComponent(opts.keyId ?? '')}`);
    case 'projects.create':
      return call('POST', '/api/v1/projects', {
        name: opts.name,
        ...(opts.retentionDays ? { retentionDays: Number(opts.retentionDays) } : {}),
      });
    case 'projects.list':
      return (await call('GET', '/api/v1/projects')).projects as Row[];
  }
}

async function offline(
  command: AdminCommand,
  opts: AdminOptions,
  dataDir: string,
): Promise<Row | Row[]> {
  const db = openChdb(dataDir);
  try {
    await migrate(db);
    const auth = new AuthService({ db, defaultRetentionDays: 30 });
    await auth.load();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const keyRow = (k: ReturnType<AuthService['keys']>[number]) => ({
      id: k.id,
      projectId: k.projectId,
      name: k.name,
      prefix: k.prefix,
      scopes: k.scopes,
      createdAt: iso(k.createdAt),
      lastUsedAt: iso(k.lastUsedAt),
      revokedAt: iso(k.revokedAt),
    });
    switch (command) {
      case 'keys.create': {
        const projectId = opts.project ?? auth.projects()[0]?.id;
        if (!projectId)
          throw new PyflareError('NOT_FOUND', 'no project exists yet: run `pyflare start` once');
        const created = await auth.createKey({
          projectId,
          name: opts.name ?? 'key',
          scopes: parseScopes(opts.scopes),
        });
        return { ...keyRow(created.record), key: created.key };
      }
      case 'keys.list':
        return auth.keys(opts.project).map(keyRow);
      case 'keys.revoke':
        return keyRow(await auth.revokeKey(opts.keyId ?? ''));
      case 'projects.create': {
        let project = await auth.createProject(opts.name ?? '');
        if (opts.retentionDays) {
          project = await auth.updateProject(project.id, {
            retentionDays: Number(opts.retentionDays),
          });
        }
        return { ...project, createdAt: iso(project.createdAt) };
      }
      case 'projects.list':
        return auth.projects().map((p) => ({ ...p, createdAt: iso(p.createdAt) }));
    }
  } finally {
    await db.close();
  }
}

function print(command: AdminCommand, result: Row | Row[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const rows = Array.isArray(result) ? result : [result];
  const columns = command.startsWith('keys')
    ? ['id', 'name', 'prefix', 'scopes', 'projectId', 'lastUsedAt', 'revokedAt']
    : ['id', 'name', 'retentionDays', 'captureContent', 'createdAt'];
  table(columns, rows);
  if (command === 'keys.create' && !Array.isArray(result)) {
    process.stdout.write(`\nkey (shown once): ${String(result.key)}\n`);
  }
}

function table(columns: string[], rows: Row[]): void {
  const cells = rows.map((r) => columns.map((c) => format(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write([line(columns), ...cells.map(line)].join('\n') + '\n');
}

function format(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

// ---- users (web UI accounts) ----

type UsersCommand = 'create' | 'list' | 'set-role' | 'remove' | 'reset-password';

interface UsersOptions {
  url?: string;
  dataDir?: string;
  json?: boolean;
  email?: string;
  name?: string;
  role?: string;
  project?: string;
  passwordStdin?: boolean;
}

/** The variable a new password is read from (argv is visible to every user in `ps`). */
export const PASSWORD_ENV = 'PYFLARE_USER_PASSWORD';

function parseRole(text: string | undefined): Role {
  if (text === undefined || !(ROLES as readonly string[]).includes(text)) {
    throw new PyflareError('BAD_REQUEST', `unknown role '${text ?? ''}' (use ${ROLES.join(', ')})`);
  }
  return text as Role;
}

function parseEmail(text: string | undefined): string {
  const parsed = emailSchema.safeParse(text ?? '');
  if (!parsed.success) throw new PyflareError('BAD_REQUEST', `'${text ?? ''}' is not an email`);
  return parsed.data;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** From stdin (--password-stdin) or $PYFLARE_USER_PASSWORD; undefined: generate one. */
async function newPassword(opts: UsersOptions): Promise<string | undefined> {
  const given = opts.passwordStdin ? await readStdin() : process.env[PASSWORD_ENV];
  if (given === undefined) return undefined;
  if (given.length < MIN_PASSWORD_LENGTH || given.length > MAX_PASSWORD_LENGTH) {
    throw new PyflareError(
      'BAD_REQUEST',
      `the password must have at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  return given;
}

/**
 * Users commands. They open the data directory (chDB lets one process own it), so the
 * server must be stopped; with one running, use the web UI or the users API.
 */
export async function runUsersCommand(command: UsersCommand, opts: UsersOptions): Promise<void> {
  const url = opts.url ?? `http://127.0.0.1:${process.env.PYFLARE_PORT ?? 8080}`;
  if (opts.dataDir === undefined && (await reachable(url))) {
    throw new PyflareError(
      'BAD_REQUEST',
      `a server runs at ${url}: manage users in its web UI or users API, or stop it and pass --data-dir`,
    );
  }
  const email = command === 'list' ? undefined : parseEmail(opts.email);
  const role = command === 'create' || command === 'set-role' ? parseRole(opts.role) : undefined;
  const password =
    command === 'create' || command === 'reset-password' ? await newPassword(opts) : undefined;
  const dataDir = resolve(opts.dataDir ?? process.env.PYFLARE_DATA_DIR ?? './pyflare-data');
  const db = openChdb(dataDir);
  let rows: Row[];
  let generated: string | undefined;
  try {
    await migrate(db);
    const auth = new AuthService({ db, defaultRetentionDays: 30 });
    await auth.load();
    const accounts = new AccountService({ db, auth, sessionTtlMs: 60_000 });
    await accounts.load();
    const projectOf = (): string => {
      const id = opts.project ?? auth.projects()[0]?.id;
      if (!id)
        throw new PyflareError('NOT_FOUND', 'no project exists yet: run `pyflare start` once');
      if (!auth.project(id)) throw new PyflareError('NOT_FOUND', `no project '${id}'`);
      return id;
    };
    const userOf = (address: string) => {
      const user = accounts.userByEmail(address);
      if (!user) throw new PyflareError('NOT_FOUND', `no user with email '${address}'`);
      return user;
    };
    const row = (user: UserRecord, projectId: string, r: Role): Row => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: r,
      projectId,
      lastLoginAt: user.lastLoginAt === null ? null : new Date(user.lastLoginAt).toISOString(),
    });
    switch (command) {
      case 'create': {
        const projectId = projectOf();
        generated = password === undefined ? generatePassword() : undefined;
        const user = await accounts.createUser({
          email: email!,
          name: opts.name ?? email!.split('@')[0]!,
          password: password ?? generated!,
          role: role!,
          projectId,
        });
        rows = [row(user, projectId, role!)];
        break;
      }
      case 'list': {
        const projects = opts.project ? [projectOf()] : auth.projects().map((p) => p.id);
        rows = projects.flatMap((p) => accounts.membersOf(p).map((m) => row(m.user, p, m.role)));
        break;
      }
      case 'set-role': {
        const projectId = projectOf();
        const user = userOf(email!);
        if (accounts.roleIn(user.id, projectId) === undefined) {
          await accounts.addMember(projectId, user.email, role!);
        } else {
          await accounts.updateMember(projectId, user.id, { role: role! });
        }
        rows = [row(user, projectId, role!)];
        break;
      }
      case 'remove': {
        const projectId = projectOf();
        const user = userOf(email!);
        const was = accounts.roleIn(user.id, projectId);
        if (!was) {
          throw new PyflareError(
            'NOT_FOUND',
            `'${user.email}' is no member of project '${projectId}'`,
          );
        }
        await accounts.removeMember(projectId, user.id);
        rows = [row(user, projectId, was)];
        break;
      }
      case 'reset-password': {
        const user = userOf(email!);
        const first = accounts.projectsOf(user.id)[0];
        if (!first) throw new PyflareError('NOT_FOUND', `'${user.email}' is in no project`);
        generated = password === undefined ? generatePassword() : undefined;
        await accounts.updateMember(first.project.id, user.id, {
          password: password ?? generated!,
        });
        rows = [row(user, first.project.id, first.role)];
        break;
      }
    }
  } finally {
    await db.close();
  }
  if (opts.json) {
    const out =
      command === 'list' ? rows : { ...rows[0], ...(generated ? { password: generated } : {}) };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  table(['id', 'email', 'name', 'role', 'projectId', 'lastLoginAt'], rows);
  if (generated) process.stdout.write(`\npassword (shown once): ${generated}\n`);
}
