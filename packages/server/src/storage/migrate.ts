import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/**
 * A statement may be guarded by a line `-- @when <SELECT>` just above it: the runner runs it
 * only when that query's first value is true (non-zero). Migrations that rewrite the source of
 * truth use it so that a re-run after a crash cannot repeat a step that must happen once.
 */
const GUARD = /^--\s*@when\s+(.+)$/;

/**
 * Splits a migration file into statements: each ends with ';' at the end of a line. Comment
 * lines are dropped, except a guard (`-- @when ...`), which stays as the statement's first line.
 */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*$/m)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('--') || GUARD.test(line.trim()))
        .join('\n')
        .trim(),
    )
    .filter((s) => {
      if (GUARD.test(s)) throw new Error(`a guard without a statement: ${s}`);
      return s.length > 0;
    });
}

/** Runs one statement of a migration, after its guard when it has one (see {@link GUARD}). */
export async function applyStatement(db: Database, statement: string): Promise<boolean> {
  const newline = statement.indexOf('\n');
  const guard = GUARD.exec(newline < 0 ? statement : statement.slice(0, newline));
  if (guard) {
    const [row] = await db.query<Record<string, unknown>>(guard[1]!);
    const value = row ? Object.values(row)[0] : undefined;
    if (!value || value === '0') return false;
    statement = statement.slice(newline + 1);
  }
  await db.command(statement);
  return true;
}

/** Numbered SQL files `NNNN_name.sql`, in order. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      statements: splitStatements(readFileSync(`${dir}/${file}`, 'utf8')),
    }));
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order. Statements are
 * idempotent (IF NOT EXISTS, or guarded), so a crash between a statement and its record is
 * safe to re-run. Returns the versions applied.
 */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<number[]> {
  await db.command(
    `CREATE TABLE IF NOT EXISTS schema_migrations
     (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
     ENGINE = MergeTree ORDER BY version`,
  );
  const done = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map(
      (r) => r.version,
    ),
  );
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await applyStatement(db, statement);
    await db.command(
      'INSERT INTO schema_migrations (version, name) VALUES ({version:UInt32}, {name:String})',
      { version: m.version, name: m.name },
    );
    applied.push(m.version);
  }
  return applied;
}
