import { mkdirSync } from 'node:fs';
import { Session } from 'chdb';
import { PyflareError } from '../errors.ts';
import type { Database, QueryParams } from './database.ts';

/** Tables that may be named in an insert; chDB's raw insert takes a table name verbatim. */
const INSERTABLE = new Set(['spans', 'metrics', 'logs', 'projects', 'api_keys']);

/**
 * The embedded engine: chDB (ClickHouse in-process) on a data directory. chDB allows one
 * data directory per process; every statement runs off the event loop on libuv's pool.
 */
export function openChdb(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  let session: Session | undefined;
  try {
    session = new Session(dataDir);
  } catch (cause) {
    throw new PyflareError('STORAGE_UNAVAILABLE', `cannot open chDB at ${dataDir}`, { cause });
  }
  const s = session;

  const wrap = (cause: unknown): never => {
    throw new PyflareError(
      'STORAGE_ERROR',
      cause instanceof Error ? cause.message : String(cause),
      {
        cause,
      },
    );
  };

  return {
    async query<T>(sql: string, params?: QueryParams): Promise<T[]> {
      const result = await (
        params
          ? s.queryBindAsync(sql, params, { format: 'JSONEachRow' })
          : s.queryAsync(sql, { format: 'JSONEachRow' })
      ).catch(wrap);
      const text = result.text();
      if (text.length === 0) return [];
      const rows: T[] = [];
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end === -1) end = text.length;
        if (end > start) rows.push(JSON.parse(text.slice(start, end)) as T);
        start = end + 1;
      }
      return rows;
    },
    async command(sql: string, params?: QueryParams): Promise<void> {
      await (params ? s.queryBindAsync(sql, params) : s.queryAsync(sql)).catch(wrap);
    },
    async insertRows(table: string, payload: Buffer, columns: readonly string[]): Promise<void> {
      if (!INSERTABLE.has(table)) throw new PyflareError('INTERNAL', `unknown table ${table}`);
      if (payload.length === 0) return;
      await s
        .insert({ table, values: payload, format: 'JSONCompactEachRow', columns: [...columns] })
        .catch(wrap);
    },
    async close(): Promise<void> {
      s.close();
    },
  };
}
