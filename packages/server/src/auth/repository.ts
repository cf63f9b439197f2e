import type { Database } from '../storage/database.ts';
import { SCOPES, type Scope } from './scopes.ts';

export interface Project {
  id: string;
  name: string;
  retentionDays: number;
  captureContent: boolean;
  createdAt: number;
}

export interface ApiKeyRecord {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  keyHash: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

interface ProjectRow {
  id: string;
  name: string;
  retention_days: number;
  capture_content: number;
  created_at: number;
}

interface KeyRow {
  id: string;
  project_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  name: r.name,
  retentionDays: r.retention_days,
  captureContent: r.capture_content === 1,
  createdAt: r.created_at,
});

const toKey = (r: KeyRow): ApiKeyRecord => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  prefix: r.prefix,
  keyHash: r.key_hash,
  scopes: r.scopes.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s)),
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** Versions order the rows of a ReplacingMergeTree; a clock in ns keeps them increasing. */
export const nextVersion = (() => {
  let last = 0n;
  return (): bigint => {
    const now = process.hrtime.bigint() + BigInt(Date.now()) * 1_000_000n;
    last = now > last ? now : last + 1n;
    return last;
  };
})();

const PROJECT_COLUMNS = `id, name, retention_days, capture_content,
  toUnixTimestamp64Milli(created_at) AS created_at`;

export async function listProjects(db: Database): Promise<Project[]> {
  const rows = await db.query<ProjectRow>(
    `SELECT ${PROJECT_COLUMNS} FROM projects FINAL WHERE deleted = 0 ORDER BY created_at, id`,
  );
  return rows.map(toProject);
}

export async function getProject(db: Database, id: string): Promise<Project | undefined> {
  const rows = await db.query<ProjectRow>(
    `SELECT ${PROJECT_COLUMNS} FROM projects FINAL WHERE id = {id:String} AND deleted = 0`,
    { id },
  );
  return rows[0] ? toProject(rows[0]) : undefined;
}

export async function saveProject(db: Database, p: Project): Promise<void> {
  await db.command(
    `INSERT INTO projects (id, name, retention_days, capture_content, created_at, deleted, version)
     VALUES ({id:String}, {name:String}, {retention:UInt16}, {capture:UInt8},
             fromUnixTimestamp64Milli({createdAt:Int64}, 'UTC'), 0, {version:UInt64})`,
    {
      id: p.id,
      name: p.name,
      retention: p.retentionDays,
      capture: p.captureContent ? 1 : 0,
      createdAt: BigInt(p.createdAt),
      version: nextVersion(),
    },
  );
}

const KEY_COLUMNS = `id, project_id, name, prefix, key_hash, scopes,
  toUnixTimestamp64Milli(created_at) AS created_at,
  if(isNull(last_used_at), NULL, toUnixTimestamp64Milli(assumeNotNull(last_used_at))) AS last_used_at,
  if(isNull(revoked_at), NULL, toUnixTimestamp64Milli(assumeNotNull(revoked_at))) AS revoked_at`;

export async function listApiKeys(db: Database): Promise<ApiKeyRecord[]> {
  const rows = await db.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM api_keys FINAL ORDER BY created_at, id`,
  );
  return rows.map(toKey);
}

export async function saveApiKey(db: Database, k: ApiKeyRecord): Promise<void> {
  await db.command(
    `INSERT INTO api_keys (id, project_id, name, prefix, key_hash, scopes, created_at, last_used_at, revoked_at, version)
     VALUES ({id:String}, {projectId:String}, {name:String}, {prefix:String}, {hash:String},
             {scopes:Array(String)}, fromUnixTimestamp64Milli({createdAt:Int64}, 'UTC'),
             if({lastUsed:Int64} = 0, NULL, fromUnixTimestamp64Milli({lastUsed:Int64}, 'UTC')),
             if({revoked:Int64} = 0, NULL, fromUnixTimestamp64Milli({revoked:Int64}, 'UTC')),
             {version:UInt64})`,
    {
      id: k.id,
      projectId: k.projectId,
      name: k.name,
      prefix: k.prefix,
      hash: k.keyHash,
      scopes: k.scopes,
      createdAt: BigInt(k.createdAt),
      lastUsed: BigInt(k.lastUsedAt ?? 0),
      revoked: BigInt(k.revokedAt ?? 0),
      version: nextVersion(),
    },
  );
}
