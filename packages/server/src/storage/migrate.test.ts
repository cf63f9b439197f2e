import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTraces } from '../pipeline/normalize-spans.ts';
import { attrs, ctx, span, traces } from '../pipeline/testing/fixtures.ts';
import { openChdb } from './chdb.ts';
import { SPAN_COLUMNS } from './columns.ts';
import { encodeCompactRows } from './compact-rows.ts';
import type { Database } from './database.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { getTrace } from './queries/trace-detail.ts';

/** Upgrading a data directory written by an older schema, in real chDB. */

let dir: string;
let db: Database;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-migrate-'));
  db = openChdb(dir);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const TRACE = '5b8efff798038103d269b633813fc60c';

describe('migrations', () => {
  it('upgrade a database holding rows written before 0003, which read back unchanged', async () => {
    const all = loadMigrations();
    expect(all.map((m) => m.version)).toEqual(all.map((_, i) => i + 1));
    expect(await migrate(db, all.slice(0, 2))).toEqual([1, 2]);

    // A row as the server wrote it before 0003: every value in the typed JSON too.
    const values = { s: 'text', n: 42, d: 1.5, b: true, list: ['a', 1] };
    const now = ctx({ nowMs: Date.now() });
    const times = {
      startTimeUnixNano: BigInt(Date.now() - 1000) * 1_000_000n,
      endTimeUnixNano: BigInt(Date.now()) * 1_000_000n,
    };
    const [row] = normalizeTraces(
      traces([span({ traceId: TRACE, attributes: attrs(values), ...times })]),
      now,
    ).rows;
    const old = { ...row!, attributes_json: JSON.stringify(values) };
    await db.insertRows('spans', encodeCompactRows([old], SPAN_COLUMNS), SPAN_COLUMNS);

    expect(await migrate(db, all)).toEqual(all.slice(2).map((m) => m.version));
    const types = await db.query<{ name: string; type: string }>(
      `SELECT name, type FROM system.columns
       WHERE database = currentDatabase() AND table IN ('spans', 'logs', 'metrics')
         AND name IN ('attributes', 'resource_attributes')`,
    );
    expect(types).toHaveLength(6);
    for (const t of types) expect(t.type).toBe('Map(String, String)');

    // A row written after: the typed JSON holds only the values that are not strings.
    const [fresh] = normalizeTraces(
      traces([span({ traceId: TRACE, attributes: attrs(values), ...times })]),
      now,
    ).rows;
    expect(JSON.parse(fresh!.attributes_json)).toEqual({ n: 42, d: 1.5, b: true, list: ['a', 1] });
    await db.insertRows('spans', encodeCompactRows([fresh!], SPAN_COLUMNS), SPAN_COLUMNS);

    const trace = await getTrace(db, now.projectId, TRACE);
    expect(trace?.spans).toHaveLength(2);
    for (const s of trace!.spans) expect(s.attributes).toEqual(values);
    expect(await migrate(db, all)).toEqual([]);
  });
});
