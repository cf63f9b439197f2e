import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentNs, spanRow } from '../../test/helpers/read-db.ts';
import { openChdb } from './chdb.ts';
import { SPAN_COLUMNS } from './columns.ts';
import { encodeCompactRows } from './compact-rows.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import {
  INGEST_COLUMNS,
  SPAN_BINARY_COLUMNS,
  SPAN_BINARY_TYPES,
  createBinaryRowEncoder,
  encodeBinaryRows,
} from './row-binary.ts';
import type { SpanRow } from './rows.ts';

// As in compact-rows.test.ts, plus lengths around each LEB128 size step (127/128 bytes,
// 16383/16384) and non-ASCII strings whose worst-case length needs a longer prefix than
// their real one.
const HOSTILE = [
  'plain',
  '',
  'quote " and \' apostrophe',
  'back\\slash \\" \\\\n \\t \\u0000',
  'tab\there\nnewline\r\ncrlf',
  'nul \u0000 inside',
  'controls \u0001\u001f\u007f\u0085\u2028\u2029',
  'emoji 😀 astral 𝄞, combining é, rtl مرحبا, cjk 漢字',
  'é'.repeat(30),
  'é'.repeat(100),
  'x'.repeat(47),
  'x'.repeat(48),
  'x'.repeat(49),
  'x'.repeat(127),
  'x'.repeat(128),
  'x'.repeat(16_383),
  'x'.repeat(16_384),
  'é' + 'x'.repeat(16_383),
  'x'.repeat(100_000),
  'lone high \ud800 end',
  '\udbff',
];

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-rowbinary-'));
  db = openChdb(dir);
  await migrate(db);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The rows of `project`, every column but `project_id`, as the engine returns them. */
async function stored(project: string): Promise<Record<string, unknown>[]> {
  return db.query(
    `SELECT * EXCEPT project_id, toString(duration_ns) AS d, toString(input_tokens) AS it
     FROM spans WHERE project_id = {p:String} ORDER BY span_id`,
    { p: project },
  );
}

/** One clock reading for both formats' rows. */
const now = recentNs();
const nowMs = Date.now();

function hostileRows(project: string): SpanRow[] {
  const big = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, `v${i}`]));
  return HOSTILE.map((s, i) =>
    spanRow({
      project_id: project,
      span_id: i.toString(16).padStart(16, '0'),
      start_time: now.toString(),
      end_time: (now + BigInt(i)).toString(),
      name: s.slice(0, 200),
      status_message: s,
      input_text: s,
      input_messages: JSON.stringify([{ role: 'user', content: s }]),
      attributes_json: JSON.stringify({ v: s }),
      tags: i % 2 ? [s, 'b'] : [],
      attributes: i === 3 ? big : { [s.slice(0, 50) || 'k']: s, other: 'x' },
      // Alternating resources: the shared tail is encoded again whenever it changes.
      resource_attributes: i % 3 ? { 'service.name': 'svc', hostile: s } : { a: 'b' },
      service_name: i % 3 ? 'svc' : 'other',
      embedding: i % 2 ? [1.5, -2, 3.4e38, 1e-45] : [],
      duration_ns: i === 0 ? Number.MAX_SAFE_INTEGER : i,
      input_tokens: 2 ** 32 + 7,
      output_tokens: 2 ** 53 - 1,
      flags: 0xffffffff,
      retention_days: 65535,
      ingested_at: nowMs,
    }),
  );
}

describe('RowBinary span rows through chDB', () => {
  it('declares the types the migrations give the spans table', async () => {
    const described = await db.query<{ name: string; type: string }>('DESCRIBE TABLE spans');
    const types = Object.fromEntries(described.map((c) => [c.name, c.type]));
    for (const c of SPAN_COLUMNS) expect([c, SPAN_BINARY_TYPES[c]]).toEqual([c, types[c]]);
    expect(INGEST_COLUMNS.spans).toBe(SPAN_BINARY_COLUMNS);
  });

  it('stores exactly what the same rows store as JSONCompactEachRow', async () => {
    await db.insertRows(
      'spans',
      encodeCompactRows(hostileRows('json'), SPAN_COLUMNS),
      SPAN_COLUMNS,
    );
    // Two payloads in one insert, as the batch writer hands them over.
    const rows = hostileRows('binary');
    const half = rows.length >> 1;
    await db.insertRows(
      'spans',
      [
        encodeBinaryRows(rows.slice(0, half), SPAN_BINARY_COLUMNS),
        encodeBinaryRows(rows.slice(half), SPAN_BINARY_COLUMNS),
      ],
      SPAN_BINARY_COLUMNS,
    );
    const fromJson = await stored('json');
    expect(fromJson).toHaveLength(HOSTILE.length);
    expect(await stored('binary')).toEqual(fromJson);
    expect(fromJson[0]!.d).toBe(String(Number.MAX_SAFE_INTEGER));
  });

  it('stores missing values as the column defaults, as JSON null does', async () => {
    // Only what the table's TTL needs to keep the row (a recent time, a retention).
    const sparse = {
      span_id: 'a',
      trace_id: 't',
      start_time: now.toString(),
      retention_days: 30,
      ingested_at: nowMs,
    };
    await db.insertRows(
      'spans',
      encodeCompactRows([{ ...sparse, project_id: 'sparse-json' }], SPAN_COLUMNS),
      SPAN_COLUMNS,
    );
    await db.insertRows(
      'spans',
      encodeBinaryRows([{ ...sparse, project_id: 'sparse-binary' }], SPAN_BINARY_COLUMNS),
      SPAN_BINARY_COLUMNS,
    );
    const fromJson = await stored('sparse-json');
    expect(fromJson).toHaveLength(1);
    expect(await stored('sparse-binary')).toEqual(fromJson);
  });

  it('fails the insert on a truncated payload instead of storing part of a row', async () => {
    const whole = encodeBinaryRows([spanRow({ project_id: 'cut' })], SPAN_BINARY_COLUMNS);
    await expect(
      db.insertRows('spans', whole.subarray(0, whole.length - 3), SPAN_BINARY_COLUMNS),
    ).rejects.toThrow();
    expect(await stored('cut')).toEqual([]);
  });

  it('refuses pushes after finish', () => {
    const e = createBinaryRowEncoder(SPAN_BINARY_COLUMNS);
    e.push(spanRow());
    expect(e.rows).toBe(1);
    expect(e.finish().length).toBeGreaterThan(0);
    expect(() => e.push(spanRow())).toThrow();
  });
});
