import { mkdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Session } from 'chdb';
import { PyflareError } from '../errors.ts';
import type { Database, QueryOptions, QueryParams } from './database.ts';
import { ReadQueue } from './read-queue.ts';
import { binaryColumnTypes, binaryHeader } from './row-binary.ts';

/** Column names as written in this codebase (storage/columns.ts); checked, never quoted. */
const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

/** A ClickHouse string literal: backslashes and quotes escaped. */
function sqlString(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** Buffers per writev call, well under every platform's IOV_MAX (1024 on Linux). */
const WRITEV_PARTS = 512;

/**
 * Writes `parts` one after the other into a new file with vectored writes: a batch of many
 * request payloads reaches the disk without first being copied into one buffer (a copy of
 * up to the whole batch, tens of MB, on the event loop).
 */
async function spoolFile(file: string, parts: readonly Buffer[]): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (let i = 0; i < parts.length; i += WRITEV_PARTS) {
      let chunk = parts.slice(i, i + WRITEV_PARTS);
      let left = chunk.reduce((n, p) => n + p.length, 0);
      // writev may write less than asked (as write may): continue where it stopped.
      while (left > 0) {
        const { bytesWritten } = await handle.writev(chunk);
        left -= bytesWritten;
        if (left === 0) break;
        let skip = bytesWritten;
        while (skip >= chunk[0]!.length) skip -= chunk.shift()!.length;
        chunk = [chunk[0]!.subarray(skip), ...chunk.slice(1)];
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * Parallel parsing off: the engine then parses an insert on one thread instead of cutting it
 * into segments for a pool. In the embedded server the engine shares the machine with the
 * event loop that decodes and serializes the next requests, so what counts is CPU per row:
 * interleaved in one process at load average 9–13, the same 6,000-row inserts took 12–47%
 * less CPU (median per run) and no more wall time in each of four runs
 * (docs/architecture/ingest.md, "Insert settings"). The bench's raw insert (c) goes through
 * this same call, so it is measured with the setting too.
 */
const INSERT_SETTINGS = 'input_format_parallel_parsing = 0';

/** RowBinaryWithNamesAndTypes headers, one per column list. */
const HEADERS = new Map<readonly string[], Buffer>();

function headerOf(columns: readonly string[], types: Parameters<typeof binaryHeader>[1]): Buffer {
  let header = HEADERS.get(columns);
  if (!header) HEADERS.set(columns, (header = binaryHeader(columns, types)));
  return header;
}

/** Tables that may be named in an insert; it names the table verbatim. */
const INSERTABLE = new Set(['spans', 'metrics', 'logs', 'projects', 'api_keys']);

/**
 * The embedded engine: chDB (ClickHouse in-process) on a data directory. chDB allows one
 * data directory per process; every statement runs off the event loop on libuv's pool.
 *
 * Two connections to the directory: one for the ingest inserts (`insertRows`), one for
 * everything else. A connection runs one statement at a time, so with a single one every
 * API read and the ingest's own lookups waited for the insert in flight (hundreds of ms
 * under load; docs/architecture/ingest.md, "A connection for inserts"). chDB supports
 * several connections to one directory; they share the engine and its data, and an insert
 * is visible to the other connection once it returns. (chDB itself runs parameterized
 * statements one at a time across all connections; inserts here have no parameters.)
 */
export function openChdb(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  let session: Session | undefined;
  let insertSession: Session | undefined;
  try {
    session = new Session(dataDir);
    insertSession = new Session(dataDir);
  } catch (cause) {
    session?.close();
    throw new PyflareError('STORAGE_UNAVAILABLE', `cannot open chDB at ${dataDir}`, { cause });
  }
  const s = session;
  const ins = insertSession;
  // Insert payloads are handed to the engine as files (see insertRows). Files left by a
  // crash belong to inserts that were never acknowledged: they are removed, not replayed.
  const spool = join(dataDir, 'insert-spool');
  rmSync(spool, { recursive: true, force: true });
  mkdirSync(spool, { recursive: true });
  let spooled = 0;
  // Every statement on the read connection waits its turn here, not on libuv's pool.
  const reads = new ReadQueue();

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
    async query<T>(sql: string, params?: QueryParams, options?: QueryOptions): Promise<T[]> {
      const result = await reads
        .run(options?.lane ?? 'interactive', () =>
          params
            ? s.queryBindAsync(sql, params, { format: 'JSONEachRow' })
            : s.queryAsync(sql, { format: 'JSONEachRow' }),
        )
        .catch(wrap);
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
      await reads
        .run('interactive', () => (params ? s.queryBindAsync(sql, params) : s.queryAsync(sql)))
        .catch(wrap);
    },
    /**
     * The payload is written to a file in the data directory and inserted with
     * `INSERT ... FROM INFILE`, which the engine parses 2–4× faster than the same bytes
     * passed through chDB's in-memory insert call (interleaved in one process; measured in
     * docs/architecture/ingest.md). The statement returns once the rows are in a part on
     * disk, as the in-memory insert did; the file is removed either way. A RowBinary column
     * list (`SPAN_BINARY_COLUMNS`, storage/row-binary.ts) means a RowBinary payload;
     * any other list, JSONCompactEachRow (as `Database.insertRows` describes).
     */
    async insertRows(
      table: string,
      payload: Buffer | readonly Buffer[],
      columns: readonly string[],
    ): Promise<void> {
      if (!INSERTABLE.has(table)) throw new PyflareError('INTERNAL', `unknown table ${table}`);
      for (const c of columns) {
        if (!COLUMN_NAME.test(c)) throw new PyflareError('INTERNAL', `bad column name ${c}`);
      }
      const parts = (Buffer.isBuffer(payload) ? [payload] : payload).filter((p) => p.length > 0);
      if (parts.length === 0) return;
      // A RowBinary column list (storage/row-binary.ts): the rows follow a header naming
      // each column and its type, which the engine checks against the table.
      const types = binaryColumnTypes(columns);
      let format = 'JSONCompactEachRow';
      if (types !== undefined) {
        parts.unshift(headerOf(columns, types));
        format = 'RowBinaryWithNamesAndTypes';
      }
      const file = join(spool, `${process.pid}-${++spooled}.${types ? 'bin' : 'jsonl'}`);
      try {
        await spoolFile(file, parts);
        await ins
          .queryAsync(
            `INSERT INTO ${table} (${columns.join(', ')}) FROM INFILE ${sqlString(file)} ` +
              `SETTINGS ${INSERT_SETTINGS} FORMAT ${format}`,
          )
          .catch(wrap);
      } finally {
        await rm(file, { force: true });
      }
    },
    async close(): Promise<void> {
      ins.close();
      s.close();
    },
  };
}
