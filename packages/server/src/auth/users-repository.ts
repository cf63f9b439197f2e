import type { Database } from '../storage/database.ts';
import { nextVersion } from './repository.ts';
import { ROLES, type Role } from './scopes.ts';

export interface UserRecord {
  id: string;
  /** Lower-case; unique among users that are not deleted. */
  email: string;
  name: string;
  passwordHash: string;
  createdAt: number;
  lastLoginAt: number | null;
  deleted: boolean;
}

export interface Membership {
  projectId: string;
  userId: string;
  role: Role;
  createdAt: number;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
  last_login_at: number | null;
}

interface MemberRow {
  project_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  email: r.email,
  name: r.name,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
  deleted: false,
});

const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

export async function listUsers(db: Database): Promise<UserRecord[]> {
  const rows = await db.query<UserRow>(
    `SELECT id, email, name, password_hash, toUnixTimestamp64Milli(created_at) AS created_at,
       if(isNull(last_login_at), NULL, toUnixTimestamp64Milli(assumeNotNull(last_login_at))) AS last_login_at
     FROM users FINAL WHERE deleted = 0 ORDER BY created_at, id`,
  );
  return rows.map(toUser);
}

export async function saveUser(db: Database, u: UserRecord): Promise<void> {
  await db.command(
    `INSERT INTO users (id, email, name, password_hash, created_at, last_login_at, deleted, version)
     VALUES ({id:String}, {email:String}, {name:String}, {hash:String},
             fromUnixTimestamp64Milli({createdAt:Int64}, 'UTC'),
             if({lastLogin:Int64} = 0, NULL, fromUnixTimestamp64Milli({lastLogin:Int64}, 'UTC')),
             {deleted:UInt8}, {version:UInt64})`,
    {
      id: u.id,
      email: u.email,
      name: u.name,
      hash: u.passwordHash,
      createdAt: BigInt(u.createdAt),
      lastLogin: BigInt(u.lastLoginAt ?? 0),
      deleted: u.deleted ? 1 : 0,
      version: nextVersion(),
    },
  );
}

export async function listMemberships(db: Database): Promise<Membership[]> {
  const rows = await db.query<MemberRow>(
    `SELECT project_id, user_id, role, toUnixTimestamp64Milli(created_at) AS created_at
     FROM project_members FINAL WHERE deleted = 0 ORDER BY created_at, project_id, user_id`,
  );
  return rows.flatMap((r) =>
    isRole(r.role)
      ? [{ projectId: r.project_id, userId: r.user_id, role: r.role, createdAt: r.created_at }]
      : [],
  );
}

/** Writes a membership, or removes it when `deleted`. */
export async function saveMembership(db: Database, m: Membership, deleted = false): Promise<void> {
  await db.command(
    `INSERT INTO project_members (project_id, user_id, role, created_at, deleted, version)
     VALUES ({projectId:String}, {userId:String}, {role:String},
             fromUnixTimestamp64Milli({createdAt:Int64}, 'UTC'), {deleted:UInt8}, {version:UInt64})`,
    {
      projectId: m.projectId,
      userId: m.userId,
      role: m.role,
      createdAt: BigInt(m.createdAt),
      deleted: deleted ? 1 : 0,
      version: nextVersion(),
    },
  );
}
