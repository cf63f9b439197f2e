import type { Database } from '../storage/database.ts';
import { nextVersion } from './repository.ts';

export interface SessionRecord {
  /** SHA-256 (hex) of the cookie's token. */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

interface SessionRow {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  csrfToken: r.csrf_token,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

const COLUMNS = `id, user_id, csrf_token, toUnixTimestamp64Milli(created_at) AS created_at,
  toUnixTimestamp64Milli(expires_at) AS expires_at`;

/** Sessions that have not ended nor expired at `now`. */
export async function listLiveSessions(db: Database, now: number): Promise<SessionRecord[]> {
  const rows = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM sessions FINAL
     WHERE deleted = 0 AND expires_at > fromUnixTimestamp64Milli({now:Int64}, 'UTC')`,
    { now: BigInt(now) },
  );
  return rows.map(toSession);
}

export async function getSession(db: Database, id: string): Promise<SessionRecord | undefined> {
  const rows = await db.query<SessionRow>(
    `SELECT ${COLUMNS} FROM sessions FINAL WHERE id = {id:String} AND deleted = 0`,
    { id },
  );
  return rows[0] ? toSession(rows[0]) : undefined;
}

/** Writes a session, or ends it when `deleted`. */
export async function saveSession(db: Database, s: SessionRecord, deleted = false): Promise<void> {
  await db.command(
    `INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, deleted, version)
     VALUES ({id:String}, {userId:String}, {csrf:String},
             fromUnixTimestamp64Milli({createdAt:Int64}, 'UTC'),
             fromUnixTimestamp64Milli({expiresAt:Int64}, 'UTC'), {deleted:UInt8}, {version:UInt64})`,
    {
      id: s.id,
      userId: s.userId,
      csrf: s.csrfToken,
      createdAt: BigInt(s.createdAt),
      expiresAt: BigInt(s.expiresAt),
      deleted: deleted ? 1 : 0,
      version: nextVersion(),
    },
  );
}
