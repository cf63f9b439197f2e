import { nextVersion } from '../../auth/repository.ts';
import type { Database } from '../../storage/database.ts';

export interface SavedQuery {
  id: string;
  projectId: string;
  userId: string;
  name: string;
  query: string;
  /** As the client gave it (e.g. `last-1h`); null when none. */
  timeRange: string | null;
  createdAt: number;
}

interface Row {
  id: string;
  project_id: string;
  user_id: string;
  name: string;
  query: string;
  time_range: string;
  created_at: number;
}

const toSavedQuery = (r: Row): SavedQuery => ({
  id: r.id,
  projectId: r.project_id,
  userId: r.user_id,
  name: r.name,
  query: r.query,
  timeRange: r.time_range === '' ? null : r.time_range,
  createdAt: r.created_at,
});

/** A user's saved queries in a project, oldest first. */
export async function listSavedQueries(
  db: Database,
  projectId: string,
  userId: string,
): Promise<SavedQuery[]> {
  const rows = await db.query<Row>(
    `SELECT id, project_id, user_id, name, query, time_range,
       toUnixTimestamp64Milli(created_at) AS created_at
     FROM saved_queries FINAL
     WHERE project_id = {projectId:String} AND user_id = {userId:String} AND deleted = 0
     ORDER BY created_at, id`,
    { projectId, userId },
  );
  return rows.map(toSavedQuery);
}

/** Writes a saved query, or deletes it when `deleted`. */
export async function saveSavedQuery(db: Database, q: SavedQuery, deleted = false): Promise<void> {
  await db.command(
    `INSERT INTO saved_queries (project_id, user_id, id, name, query, time_range, created_at, deleted, version)
     VALUES ({projectId:String}, {userId:String}, {id:String}, {name:String}, {query:String},
             {timeRange:String}, fromUnixTimestamp64Milli({createdAt:Int64}, 'UTC'),
             {deleted:UInt8}, {version:UInt64})`,
    {
      projectId: q.projectId,
      userId: q.userId,
      id: q.id,
      name: q.name,
      query: q.query,
      timeRange: q.timeRange ?? '',
      createdAt: BigInt(q.createdAt),
      deleted: deleted ? 1 : 0,
      version: nextVersion(),
    },
  );
}
