import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChdb } from '../storage/chdb.ts';
import { TABLE_COLUMNS, type RowTable } from '../storage/columns.ts';
import { encodeCompactRows } from '../storage/compact-rows.ts';
import type { Database } from '../storage/database.ts';
import { migrate } from '../storage/migrate.ts';
import { normalizeLogs } from './normalize-logs.ts';
import { normalizeMetrics } from './normalize-metrics.ts';
import { normalizeTraces } from './normalize-spans.ts';
import { attrs, ctx, event, span, traces } from './testing/fixtures.ts';

/** The rows the pipeline produces, inserted into chDB itself (the real peer) and read back. */

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pyflare-pipeline-'));
  db = openChdb(dir);
  await migrate(db);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Inserts rows as the server's batch writer does. */
async function insert(table: RowTable, rows: object[]): Promise<void> {
  await db.insertRows(table, encodeCompactRows(rows, TABLE_COLUMNS[table]), TABLE_COLUMNS[table]);
}

describe('normalized rows in chDB', () => {
  it('insert hostile spans and read back what was stored', async () => {
    const hostile = attrs({
      constructor: 'c',
      nan: NaN,
      big: 2n ** 64n - 1n,
      bytes: new Uint8Array([1, 2]),
    });
    hostile['__proto__'] = 'p';
    hostile['lone\ud800'] = 'x\udc00'; // lone surrogates, as OTLP/JSON can carry
    const now = BigInt(Date.now()) * 1_000_000n;
    const out = normalizeTraces(
      traces([
        span({
          spanId: 'aaaaaaaaaaaaaaaa',
          name: 'chat',
          startTimeUnixNano: now - 1000n,
          endTimeUnixNano: now,
          attributes: attrs({
            ...hostile,
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.usage.input_tokens': 12,
            'gen_ai.usage.output_tokens': 3,
            'gen_ai.input.messages':
              '[{"role":"user","parts":[{"type":"text","content":"héllo \\u0000"}]}]',
            'pyflare.tags': ['a', 'b'],
            'pyflare.embedding': [0.5, -1.25],
            huge: 'x'.repeat(200_000),
          }),
          events: [event('exception', { 'exception.message': 'boom' })],
        }),
      ]),
      ctx({ nowMs: Date.now() }),
    );
    expect(out.rows).toHaveLength(1);
    await insert('spans', out.rows);
    const [back] = await db.query<Record<string, unknown>>(
      `SELECT operation, provider, request_model, input_tokens, total_tokens, tags, embedding,
              input_text, attributes['__proto__'] AS proto, attributes['nan'] AS nan,
              attributes['big'] AS big, length(attributes['huge']) AS huge_len,
              attributes['lone\uFFFD'] AS lone,
              attributes['constructor'] AS ctor, events_json
       FROM spans WHERE span_id = 'aaaaaaaaaaaaaaaa'`,
    );
    expect(back).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      request_model: 'gpt-4o',
      input_tokens: 12,
      total_tokens: 15,
      tags: ['a', 'b'],
      embedding: [0.5, -1.25],
      input_text: 'héllo \u0000',
      proto: 'p',
      nan: 'NaN',
      big: '18446744073709551615',
      ctor: 'c',
      lone: 'x\ufffd',
    });
    expect(back!['huge_len']).toBeLessThan(70_000);
    expect(JSON.parse(back!['events_json'] as string)).toHaveLength(1);
  });

  it('insert metric and log rows', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const c = ctx({ nowMs: Date.now() });
    const resource = { attributes: attrs({ 'service.name': 'svc' }), droppedAttributesCount: 0 };
    const scope = { name: 's', version: '', attributes: attrs(), droppedAttributesCount: 0 };
    const metrics = normalizeMetrics(
      {
        resourceMetrics: [
          {
            resource,
            schemaUrl: '',
            scopeMetrics: [
              {
                scope,
                schemaUrl: '',
                metrics: [
                  {
                    name: 'latency',
                    description: '',
                    unit: 's',
                    metadata: attrs(),
                    data: {
                      type: 'histogram',
                      aggregationTemporality: 2,
                      dataPoints: [
                        {
                          attributes: attrs({ route: '/' }),
                          startTimeUnixNano: 0n, // unknown start: 1970, zero-padded
                          timeUnixNano: now,
                          count: 2,
                          sum: 3,
                          bucketCounts: [1, 1],
                          explicitBounds: [1],
                          exemplars: [],
                          flags: 0,
                          min: undefined,
                          max: 2,
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
      c,
    );
    const logs = normalizeLogs(
      {
        resourceLogs: [
          {
            resource,
            schemaUrl: '',
            scopeLogs: [
              {
                scope,
                schemaUrl: '',
                logRecords: [
                  {
                    timeUnixNano: 0n,
                    observedTimeUnixNano: 0n, // stored as the server clock
                    severityNumber: 17,
                    severityText: 'ERROR',
                    body: attrs({ msg: 'm' }),
                    attributes: attrs(),
                    droppedAttributesCount: 0,
                    flags: 0,
                    traceId: '',
                    spanId: '',
                    eventName: '',
                  },
                ],
              },
            ],
          },
        ],
      },
      c,
    );
    await insert('metrics', metrics.rows);
    await insert('logs', logs.rows);
    const [m] = await db.query(
      `SELECT value, min, max, bucket_counts, toUnixTimestamp64Nano(start_time) AS start
       FROM metrics WHERE metric_name = 'latency'`,
    );
    expect(m).toEqual({ value: 1.5, min: null, max: 2, bucket_counts: [1, 1], start: 0 });
    const [l] = await db.query(`SELECT body, severity_text FROM logs WHERE service_name = 'svc'`);
    expect(l).toEqual({ body: '{"msg":"m"}', severity_text: 'ERROR' });
  });
});
