import { z } from 'zod';
import type { Database } from '../database.ts';
import { parseJson, typedAttributes } from './json-columns.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';

export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  /** The body with its type kept (string, number, object, array ...), or null. */
  body: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, string>;
  traceId: string;
  spanId: string;
  serviceName: string;
  scope: { name: string; version: string };
  eventName: string;
  flags: number;
}

/** Where a page of logs ends: the last record's time and a hash breaking ties. */
export interface LogKey {
  timeNs: string;
  tieBreak: string;
}

export interface LogQuery {
  projectId: string;
  traceId?: string;
  spanId?: string;
  /** Required unless `traceId` is given. */
  window?: TimeWindow;
  services: string[];
  /** Records with at least this severity number (1 trace ... 21 fatal). */
  minSeverity?: number;
  /** Case-insensitive substring of the body. */
  text?: string;
  attributes: { key: string; value: string }[];
  limit: number;
  after?: LogKey;
}

export interface LogPage {
  logs: LogRecord[];
  next: LogKey | null;
}

/** Tells apart records with the same timestamp, for stable pagination. */
const TIE_BREAK = 'cityHash64(observed_time, trace_id, span_id, body, attributes_json)';

const logRow = z.object({
  time_ns: z.string(),
  observed_ns: z.string(),
  severity_number: z.number(),
  severity_text: z.string(),
  body: z.string(),
  body_json: z.string(),
  attributes: z.record(z.string(), z.string()),
  attributes_json: z.string(),
  resource_attributes: z.record(z.string(), z.string()),
  trace_id: z.string(),
  span_id: z.string(),
  service_name: z.string(),
  scope_name: z.string(),
  scope_version: z.string(),
  event_name: z.string(),
  flags: z.number(),
  tie_break: z.string(),
});

function toLogRecord(row: z.output<typeof logRow>): LogRecord {
  const typed = parseJson(row.body_json);
  return {
    timeUnixNano: row.time_ns,
    observedTimeUnixNano: row.observed_ns,
    severityNumber: row.severity_number,
    severityText: row.severity_text,
    body: typed !== undefined ? typed : row.body !== '' ? row.body : null,
    attributes: typedAttributes(row.attributes, row.attributes_json),
    resource: row.resource_attributes,
    traceId: row.trace_id,
    spanId: row.span_id,
    serviceName: row.service_name,
    scope: { name: row.scope_name, version: row.scope_version },
    eventName: row.event_name,
    flags: row.flags,
  };
}

/** Logs newest first, by trace (and span) or by window, service, severity and text. */
export async function searchLogs(db: Database, q: LogQuery): Promise<LogPage> {
  const params = new SqlParams({ projectId: q.projectId });
  const where = ['project_id = {projectId:String}'];
  if (q.window !== undefined) where.push(windowSql(params, 'time', q.window));
  if (q.traceId !== undefined) where.push(`trace_id = ${params.bind('String', q.traceId)}`);
  if (q.spanId !== undefined) where.push(`span_id = ${params.bind('String', q.spanId)}`);
  if (q.services.length > 0) {
    where.push(`service_name IN ${params.bind('Array(String)', q.services)}`);
  }
  if (q.minSeverity !== undefined) {
    where.push(`severity_number >= ${params.bind('UInt8', q.minSeverity)}`);
  }
  if (q.text !== undefined && q.text !== '') {
    where.push(`positionCaseInsensitiveUTF8(body, ${params.bind('String', q.text)}) > 0`);
  }
  for (const { key, value } of q.attributes) {
    const k = params.bind('String', key);
    where.push(
      `mapContains(attributes, ${k}) AND attributes[${k}] = ${params.bind('String', value)}`,
    );
  }
  if (q.after !== undefined) {
    where.push(
      `(time, ${TIE_BREAK}) < (${`fromUnixTimestamp64Nano(${params.bind('Int64', BigInt(q.after.timeNs))}, 'UTC')`}, ${params.bind(
        'UInt64',
        BigInt(q.after.tieBreak),
      )})`,
    );
  }
  const sql = `
SELECT
  toString(toUnixTimestamp64Nano(time)) AS time_ns,
  toString(toUnixTimestamp64Nano(observed_time)) AS observed_ns,
  severity_number, severity_text, body, body_json, attributes, attributes_json,
  resource_attributes, trace_id, span_id, service_name, scope_name, scope_version,
  event_name, flags, toString(${TIE_BREAK}) AS tie_break
FROM logs
WHERE ${where.join('\n  AND ')}
ORDER BY time DESC, ${TIE_BREAK} DESC
LIMIT ${params.bind('UInt32', q.limit + 1)}`;
  const rows = (await db.query(sql, params.values)).map((r) => logRow.parse(r));
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    logs: page.map(toLogRecord),
    next:
      rows.length > q.limit && last !== undefined
        ? { timeNs: last.time_ns, tieBreak: last.tie_break }
        : null,
  };
}
