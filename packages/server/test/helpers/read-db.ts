/**
 * A temporary chDB with the schema applied, and factories for the rows the pipeline writes,
 * for the read-side tests. chDB allows one data directory per process: one per test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChdb } from '../../src/storage/chdb.ts';
import { TABLE_COLUMNS } from '../../src/storage/columns.ts';
import { encodeCompactRows } from '../../src/storage/compact-rows.ts';
import type { Database } from '../../src/storage/database.ts';
import { migrate } from '../../src/storage/migrate.ts';
import type { LogRow, MetricRow, SpanRow } from '../../src/storage/rows.ts';
import { createTraceDurationIndex, type TraceIds } from '../../src/storage/trace-durations.ts';

export interface TestDb {
  db: Database;
  dir: string;
  close(): Promise<void>;
}

export async function openTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'pyflare-read-'));
  const db = openChdb(dir);
  await migrate(db);
  return {
    db,
    dir,
    async close() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A recent base time in ns (rows older than their retention are dropped at insert). */
export function recentNs(agoMs = 10 * 60_000): bigint {
  return BigInt(Date.now() - agoMs) * 1_000_000n;
}

export function spanRow(overrides: Partial<SpanRow> = {}): SpanRow {
  const start = overrides.start_time ?? recentNs().toString();
  const duration = overrides.duration_ns ?? 1_000_000;
  return {
    project_id: 'proj-a',
    trace_id: '0'.repeat(31) + '1',
    span_id: '0'.repeat(15) + '1',
    parent_span_id: '',
    trace_state: '',
    flags: 1,
    name: 'span',
    kind: 'internal',
    service_name: 'svc',
    environment: '',
    scope_name: 'test',
    scope_version: '1.0',
    start_time: start,
    end_time: (BigInt(start) + BigInt(duration)).toString(),
    duration_ns: duration,
    status_code: 'unset',
    status_message: '',
    operation: '',
    provider: '',
    request_model: '',
    response_model: '',
    input_tokens: 0,
    output_tokens: 0,
    cached_tokens: 0,
    total_tokens: 0,
    user_id: '',
    session_id: '',
    tags: [],
    input_text: '',
    output_text: '',
    input_messages: '',
    output_messages: '',
    retrieval_documents: '',
    inference_id: '',
    ml_features: '',
    ml_prediction: '',
    ml_label: '',
    embedding: [],
    attributes: {},
    attributes_json: '',
    resource_attributes: { 'service.name': overrides.service_name ?? 'svc' },
    resource_json: '',
    events_json: '',
    links_json: '',
    dropped_attributes_count: 0,
    dropped_events_count: 0,
    dropped_links_count: 0,
    retention_days: 30,
    ingested_at: Date.now(),
    ...overrides,
  };
}

/** Typed attributes: the text map for filters and the JSON for display, as the pipeline writes. */
export function withAttributes(
  attributes: Record<string, unknown>,
): Pick<SpanRow, 'attributes' | 'attributes_json'> {
  return {
    attributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    ),
    attributes_json: JSON.stringify(attributes),
  };
}

export function metricRow(overrides: Partial<MetricRow> = {}): MetricRow {
  const time = overrides.time ?? recentNs().toString();
  return {
    project_id: 'proj-a',
    metric_name: 'm',
    metric_type: 'gauge',
    description: '',
    unit: '',
    service_name: 'svc',
    scope_name: 'test',
    scope_version: '1.0',
    resource_attributes: { 'service.name': overrides.service_name ?? 'svc' },
    attributes: {},
    attributes_json: '',
    start_time: time,
    time,
    value: 0,
    count: 0,
    sum: 0,
    min: null,
    max: null,
    bucket_counts: [],
    explicit_bounds: [],
    exp_scale: 0,
    exp_zero_count: 0,
    exp_positive_offset: 0,
    exp_positive_counts: [],
    exp_negative_offset: 0,
    exp_negative_counts: [],
    quantiles: [],
    quantile_values: [],
    temporality: 'delta',
    is_monotonic: 0,
    flags: 0,
    exemplars_json: '',
    retention_days: 30,
    ingested_at: Date.now(),
    ...overrides,
  };
}

export function logRow(overrides: Partial<LogRow> = {}): LogRow {
  const time = overrides.time ?? recentNs().toString();
  return {
    project_id: 'proj-a',
    time,
    observed_time: time,
    severity_number: 9,
    severity_text: 'INFO',
    body: '',
    body_json: '',
    trace_id: '',
    span_id: '',
    flags: 0,
    event_name: '',
    service_name: 'svc',
    scope_name: 'test',
    scope_version: '1.0',
    resource_attributes: { 'service.name': overrides.service_name ?? 'svc' },
    attributes: {},
    attributes_json: '',
    retention_days: 30,
    ingested_at: Date.now(),
    ...overrides,
  };
}

/** Inserts rows as the server does (JSONCompactEachRow), in one insert (one part). */
/**
 * Inserts rows as the batch writer does, span rows with the duration index's upkeep around the
 * insert (storage/trace-durations.ts); `indexDurations: false` skips it, as a crash between
 * the insert and the upkeep would.
 */
export async function insertRows(
  db: Database,
  table: 'spans' | 'metrics' | 'logs',
  rows: object[],
  { indexDurations = true } = {},
): Promise<void> {
  const columns = TABLE_COLUMNS[table];
  if (table !== 'spans' || !indexDurations) {
    await db.insertRows(table, encodeCompactRows(rows, columns), columns);
    return;
  }
  const traces: TraceIds = new Map();
  for (const row of rows as { project_id?: string; trace_id: string }[]) {
    const projectId = row.project_id ?? 'default';
    let ids = traces.get(projectId);
    if (!ids) traces.set(projectId, (ids = new Set()));
    ids.add(row.trace_id);
  }
  const index = createTraceDurationIndex(db);
  const continued = await index.before(traces);
  await db.insertRows(table, encodeCompactRows(rows, columns), columns);
  await index.after(continued);
}
