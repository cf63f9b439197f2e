import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logRow, metricRow, spanRow } from '../../test/helpers/read-db.ts';
import { openChdb } from './chdb.ts';
import { LOG_COLUMNS, METRIC_COLUMNS, SPAN_COLUMNS } from './columns.ts';
import { createRowEncoder, encodeCompactRows } from './compact-rows.ts';
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';

// Values that break naive text encoders: quotes, backslashes, tabs, newlines, NUL, control
// characters, JSON and SQL look-alikes, TSV/CSV separators, astral and combining unicode.
const HOSTILE = [
  'plain',
  '',
  'quote " and \' apostrophe',
  'back\\slash \\" \\\\n \\t \\u0000',
  'tab\there\nnewline\r\ncrlf',
  'nul \u0000 inside',
  'controls \u0001\u001f\u007f\u0085\u2028\u2029',
  '["x","y"]\n{"project_id":"evil","trace_id":"',
  "{'map':'literal'}\t[1,2]\\N",
  'emoji 😀 astral 𝄞, combining é, rtl مرحبا, cjk 漢字',
  'x'.repeat(100_000),
];
// Lone surrogates cannot be encoded in UTF-8: they are stored as U+FFFD, as Buffer.from would.
const LONE = ['lone high \ud800 end', 'lone low \udfff end', '\udbff'];

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-compact-'));
  db = openChdb(dir);
  await migrate(db);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('encodeCompactRows through chDB', () => {
  it('round-trips hostile strings, maps and arrays in span rows', async () => {
    const all = [...HOSTILE, ...LONE];
    const rows = all.map((s, i) =>
      spanRow({
        span_id: i.toString(16).padStart(16, '0'),
        name: s,
        status_message: s,
        input_text: s,
        attributes_json: JSON.stringify({ v: s }),
        tags: [s, 'b'],
        attributes: { [s.slice(0, 50) || 'k']: s, other: 'x' },
        resource_attributes: { 'service.name': 'svc', hostile: s },
        embedding: [1.5, -2, 3.4e38, 1e-45],
        duration_ns: Number.MAX_SAFE_INTEGER,
        input_tokens: 2 ** 32 + 7,
      }),
    );
    await db.insertRows('spans', encodeCompactRows(rows, SPAN_COLUMNS), SPAN_COLUMNS);
    const stored = await db.query<{
      span_id: string;
      name: string;
      status_message: string;
      input_text: string;
      attributes_json: string;
      tags: string[];
      attributes: Record<string, string>;
      resource_attributes: Record<string, string>;
      embedding: number[];
      duration_ns: number;
      input_tokens: number;
    }>(
      `SELECT span_id, name, status_message, input_text, attributes_json, tags, attributes,
              resource_attributes, embedding, toString(duration_ns) AS duration_ns,
              toString(input_tokens) AS input_tokens
       FROM spans ORDER BY span_id`,
    );
    expect(stored).toHaveLength(all.length);
    const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
    stored.forEach((r, i) => {
      const s = utf8(all[i]!);
      expect(r.span_id).toBe(rows[i]!.span_id);
      expect(r.name).toBe(s);
      expect(r.status_message).toBe(s);
      expect(r.input_text).toBe(s);
      // JSON text inside a value is kept verbatim (a lone surrogate stays a `\ud800` escape).
      expect(r.attributes_json).toBe(rows[i]!.attributes_json);
      expect(r.tags).toEqual([s, 'b']);
      expect(r.attributes).toEqual({ [utf8(all[i]!.slice(0, 50)) || 'k']: s, other: 'x' });
      expect(r.resource_attributes).toEqual({ 'service.name': 'svc', hostile: s });
      expect(r.embedding).toEqual([1.5, -2, 3.4e38, 1e-45]);
      expect(String(r.duration_ns)).toBe(String(Number.MAX_SAFE_INTEGER));
      expect(String(r.input_tokens)).toBe(String(2 ** 32 + 7));
    });
  });

  it('round-trips extreme numbers and nulls in metric rows, hostile text in log rows', async () => {
    const metrics = [
      metricRow({
        metric_name: 'extreme',
        value: 1.7976931348623157e308,
        sum: -5e-324,
        count: Number.MAX_SAFE_INTEGER,
        min: null,
        max: -1.5,
        bucket_counts: [0, Number.MAX_SAFE_INTEGER],
        explicit_bounds: [-1e300, 0.1, 1e300],
        exp_scale: -2147483648,
        description: HOSTILE[7]!,
      }),
    ];
    await db.insertRows('metrics', encodeCompactRows(metrics, METRIC_COLUMNS), METRIC_COLUMNS);
    const [m] = await db.query<Record<string, unknown>>(
      `SELECT value, sum, toString(count) AS count, min, max, bucket_counts, explicit_bounds,
              exp_scale, description FROM metrics WHERE metric_name = 'extreme'`,
    );
    expect(m).toMatchObject({
      value: 1.7976931348623157e308,
      sum: -5e-324,
      count: String(Number.MAX_SAFE_INTEGER),
      min: null,
      max: -1.5,
      explicit_bounds: [-1e300, 0.1, 1e300],
      exp_scale: -2147483648,
      description: HOSTILE[7],
    });
    expect((m!.bucket_counts as unknown[]).map(String)).toEqual([
      '0',
      String(Number.MAX_SAFE_INTEGER),
    ]);

    const logs = HOSTILE.map((s) => logRow({ body: s, severity_text: s, attributes: { k: s } }));
    await db.insertRows('logs', encodeCompactRows(logs, LOG_COLUMNS), LOG_COLUMNS);
    const stored = await db.query<{ body: string; severity_text: string; a: string }>(
      `SELECT body, severity_text, attributes['k'] AS a FROM logs`,
    );
    expect(stored.map((r) => r.body).sort()).toEqual([...HOSTILE].sort());
    for (const r of stored) {
      expect(r.severity_text).toBe(r.body);
      expect(r.a).toBe(r.body);
    }
  });

  it('writes one array per row in the column order, null for a missing value', () => {
    const rows = [{ a: 1, m: { k: 'v' }, j: 'y"\n' }, { a: 2 }];
    expect(encodeCompactRows(rows, ['a', 'm', 'j']).toString('utf8')).toBe(
      '[1,{"k":"v"},"y\\"\\n"]\n[2,null,null]\n',
    );
    expect(encodeCompactRows([], ['a']).length).toBe(0);
  });

  it('writes the shared tail of runs of rows exactly as each row alone (resources switching)', () => {
    // Two resources whose rows alternate in runs; one carries a lone surrogate in its map.
    const a = { 'service.name': 'a', hostile: 'lone \ud800 x' };
    const b = { 'service.name': 'b', quote: '"\\' };
    const rows = [a, a, b, b, b, a, { ...a }, b].map((resource, i) =>
      spanRow({
        span_id: (i + 1).toString(16).padStart(16, '0'),
        name: `span ${i}`,
        resource_attributes: resource,
        service_name: resource['service.name'],
        scope_name: i < 4 ? 'one' : 'two',
      }),
    );
    const alone = rows.map((r) => encodeCompactRows([r], SPAN_COLUMNS).toString('utf8')).join('');
    expect(encodeCompactRows(rows, SPAN_COLUMNS).toString('utf8')).toBe(alone);
    const reference = rows
      .map((r) => {
        const values = SPAN_COLUMNS.map((c) => (r as unknown as Record<string, unknown>)[c]);
        return JSON.stringify(values).replaceAll('\\ud800', '\\ufffd') + '\n';
      })
      .join('');
    expect(alone).toBe(reference);
  });

  it('encodes rows pushed one at a time like a whole array, and only once', () => {
    const rows = HOSTILE.map((s, i) =>
      spanRow({ span_id: (i + 1).toString(16).padStart(16, '0'), name: s }),
    );
    const encoder = createRowEncoder(SPAN_COLUMNS);
    for (const r of rows) encoder.push(r);
    expect(encoder.rows).toBe(rows.length);
    const payload = encoder.finish();
    expect(payload.equals(encodeCompactRows(rows, SPAN_COLUMNS))).toBe(true);
    expect(() => encoder.push(rows[0]!)).toThrow();
    expect(() => encoder.finish()).toThrow();
    // The scratch space goes to the next encoder; the payload returned before is its own.
    const copy = Buffer.from(payload);
    encodeCompactRows(rows.slice(0, 2).reverse(), SPAN_COLUMNS);
    expect(payload.equals(copy)).toBe(true);
    expect(createRowEncoder(SPAN_COLUMNS).finish().length).toBe(0);
  });

  it('inserts an array of payloads as one insert, more parts than one writev takes', async () => {
    const parts = Array.from({ length: 700 }, (_, i) =>
      encodeCompactRows(
        [spanRow({ trace_id: 'e'.repeat(32), span_id: (i + 1).toString(16).padStart(16, '0') })],
        SPAN_COLUMNS,
      ),
    );
    await db.insertRows('spans', [Buffer.alloc(0), ...parts], SPAN_COLUMNS);
    const [r] = await db.query<{ n: number; ids: number }>(
      `SELECT count() AS n, uniqExact(span_id) AS ids FROM spans WHERE trace_id = {t:String}`,
      { t: 'e'.repeat(32) },
    );
    expect([Number(r!.n), Number(r!.ids)]).toEqual([700, 700]);
  });

  it('stores a column’s default for a missing value, and refuses a wrong column list', async () => {
    const partial = [{ project_id: 'p', trace_id: 'b'.repeat(32), span_id: 'c'.repeat(16) }];
    const full = spanRow();
    await db.insertRows(
      'spans',
      encodeCompactRows(
        [{ ...full, ...partial[0], name: undefined, tags: undefined }],
        SPAN_COLUMNS,
      ),
      SPAN_COLUMNS,
    );
    const [r] = await db.query<{ name: string; tags: string[] }>(
      `SELECT name, tags FROM spans WHERE span_id = {id:String}`,
      { id: 'c'.repeat(16) },
    );
    expect(r).toEqual({ name: '', tags: [] });
    await expect(
      db.insertRows('spans', encodeCompactRows(partial, ['project_id', 'nope']), [
        'project_id',
        'nope',
      ]),
    ).rejects.toThrow();
  });
});
