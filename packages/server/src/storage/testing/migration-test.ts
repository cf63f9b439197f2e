import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attributes } from '@pyflare/otlp';
import { parseQuery } from '@pyflare/query';
import { afterAll, beforeAll } from 'vitest';
import { normalizeTraces } from '../../pipeline/normalize-spans.ts';
import { ctx, span, traces } from '../../pipeline/testing/fixtures.ts';
import { openChdb } from '../chdb.ts';
import { SPAN_COLUMNS } from '../columns.ts';
import { encodeCompactRows } from '../compact-rows.ts';
import type { Database } from '../database.ts';
import { applyStatement, loadMigrations, migrate } from '../migrate.ts';
import type { TraceSort } from '../queries/trace-filter-sql.ts';
import type { TraceSummary } from '../queries/trace-summary.ts';
import { searchTraces } from '../queries/traces.ts';
import type { SpanRow } from '../rows.ts';

/**
 * What the tests of one migration share: a real chDB data directory for the file (chDB allows
 * one per process), spans stored as ingest stores them, and the steps of an upgrade.
 */

/** A fresh data directory opened before the file's tests, closed and removed after them. */
export function useMigrationDatabase(name: string): { readonly db: Database } {
  let dir = '';
  let db: Database | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `pyflare-${name}-`));
    db = openChdb(dir);
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get db(): Database {
      if (!db) throw new Error('the database opens in beforeAll');
      return db;
    },
  };
}

/** The project, clock and span builder of the file's rows: spans a minute before now. */
export function spanRowBuilder() {
  const now = ctx({ nowMs: Date.now() });
  const startNs = BigInt(Date.now() - 60_000) * 1_000_000n;
  let spanNo = 0;
  /** One span of `traceId`, starting `ms` after the base, lasting `lengthMs`, normalized. */
  const row = (traceId: string, ms: number, lengthMs: number, attributes: Attributes): SpanRow =>
    normalizeTraces(
      traces([
        span({
          traceId,
          spanId: (++spanNo).toString(16).padStart(16, '0'),
          startTimeUnixNano: startNs + BigInt(ms) * 1_000_000n,
          endTimeUnixNano: startNs + BigInt(ms + lengthMs) * 1_000_000n,
          attributes,
        }),
      ]),
      now,
    ).rows[0]!;
  return { now, row };
}

/** Stores rows in one insert, as a batch of the ingest pipeline does. */
export const insertSpans = (db: Database, rows: SpanRow[]) =>
  db.insertRows('spans', encodeCompactRows(rows, SPAN_COLUMNS), SPAN_COLUMNS);

const ALL = loadMigrations();

/** Applies every migration before `version`: the schema the data under test was written in. */
export async function migrateBefore(db: Database, version: number): Promise<void> {
  await migrate(
    db,
    ALL.filter((m) => m.version < version),
  );
}

/**
 * Applies the migrations up to `version` and then runs its statements again, as a start after
 * a crash between the statements and the record would; returns the versions the first pass
 * applied.
 */
export async function migrateThrough(db: Database, version: number): Promise<number[]> {
  const applied = await migrate(
    db,
    ALL.filter((m) => m.version <= version),
  );
  const target = ALL.find((m) => m.version === version);
  if (!target) throw new Error(`no migration ${version}`);
  for (const statement of target.statements) await applyStatement(db, statement);
  return applied;
}

/** Applies every migration not applied yet. */
export const migrateAll = (db: Database) => migrate(db, ALL);

/**
 * `store`'s database, recording the SQL of each query in `statements` (to tell which plan a
 * search took).
 */
export function recordingDatabase(store: { readonly db: Database }): {
  db: Database;
  statements: string[];
} {
  const statements: string[] = [];
  const db = new Proxy({} as Database, {
    get: (_, key: keyof Database) =>
      key === 'query'
        ? (((sql, params, options) => {
            statements.push(sql);
            return store.db.query(sql, params, options);
          }) satisfies Database['query'])
        : store.db[key],
  });
  return { db, statements };
}

/** The first ten traces of the project matching the query `q`, over all time. */
export async function searchEverything(
  db: Database,
  projectId: string,
  q: string,
  sort: TraceSort = 'time',
  order: 'asc' | 'desc' = 'asc',
): Promise<TraceSummary[]> {
  const page = await searchTraces(db, {
    projectId,
    filter: parseQuery(q, { now: Date.now() }).filter,
    window: { fromNs: 0n, toNs: undefined },
    sort,
    order,
    limit: 10,
  });
  return page.traces;
}
