/**
 * Facets for the search sidebar: the built-in fields (service, model, status, ...) and the
 * attribute keys most used in a time window, each with its most frequent values.
 */
import { z } from 'zod';
import type { Database } from '../database.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';

export interface FacetValue {
  value: string;
  count: number;
}

export interface Facet {
  key: string;
  /** A built-in field (a filter parameter of its own) rather than an attribute key. */
  builtin: boolean;
  /** Spans with a (non-empty, for built-ins) value for the key. */
  count: number;
  /** Distinct values (approximate above ~65k). */
  distinctValues: number;
  /** The most frequent values, most frequent first. */
  values: FacetValue[];
}

export interface FacetQuery {
  projectId: string;
  window: TimeWindow;
  /** Counts come from at most about this many of the window's newest spans. */
  maxSpans?: number;
  scope: 'span' | 'resource';
  /** Only keys starting with this. */
  prefix: string;
  keyLimit: number;
  valueLimit: number;
}

/** What the counts were taken from. */
export interface FacetSample {
  /** Spans in the requested window. */
  windowSpans: number;
  /** Spans the counts are from: the newest ones, from `fromNs` to the window's end. */
  spans: number;
  /** Start of the part of the window read, ns since the epoch (the window's start when whole). */
  fromNs: bigint;
  /** True when only the newest part of the window was read. */
  partial: boolean;
}

/**
 * Default for `maxSpans`. Facet counts read every key and value of every span they cover (at
 * 1M spans the four statements took 2.3–3.7 s, and they grow with the window), so a large
 * window is counted over its newest spans only: 0.7–0.9 s at 1M spans with this default.
 * A larger window costs only a longer per-minute count, which reads one column.
 */
export const FACET_MAX_SPANS = 200_000;

/** Built-in facets, in display order, with the column each reads. */
export const BUILTIN_FACETS = [
  ['service', 'service_name'],
  ['model', 'request_model'],
  ['status', 'status_code'],
  ['operation', 'operation'],
  ['provider', 'provider'],
  ['environment', 'environment'],
  ['user', 'user_id'],
  ['session', 'session_id'],
] as const;

/** Facet counts scan their whole window: they let trace lookups and list pages go first. */
const BULK = { lane: 'bulk' } as const;

const keyRow = z.object({ key: z.string(), count: z.number(), distinct_values: z.number() });
const valueRow = z.object({ key: z.string(), value: z.string(), count: z.number() });

function assemble(
  keys: z.output<typeof keyRow>[],
  values: z.output<typeof valueRow>[],
  builtin: boolean,
): Facet[] {
  const byKey = new Map<string, FacetValue[]>();
  for (const v of values) {
    const list = byKey.get(v.key) ?? [];
    list.push({ value: v.value, count: v.count });
    byKey.set(v.key, list);
  }
  return keys.map((k) => ({
    key: k.key,
    builtin,
    count: k.count,
    distinctValues: k.distinct_values,
    values: byKey.get(k.key) ?? [],
  }));
}

async function builtinFacets(db: Database, q: FacetQuery): Promise<Facet[]> {
  const chosen = BUILTIN_FACETS.filter(([name]) => name.startsWith(q.prefix));
  if (chosen.length === 0) return [];
  const params = new SqlParams({ projectId: q.projectId });
  // Names and columns come from the fixed table above.
  const pairs = chosen.map(([name, column]) => `('${name}', toString(${column}))`).join(', ');
  const from = `FROM spans ARRAY JOIN [${pairs}] AS f
    WHERE project_id = {projectId:String} AND ${windowSql(params, 'start_time', q.window)}
      AND f.2 != ''`;
  const limit = params.bind('UInt32', q.valueLimit);
  const keys = await db.query(
    `SELECT f.1 AS key, count() AS count, uniq(f.2) AS distinct_values ${from} GROUP BY key`,
    params.values,
    BULK,
  );
  const values = await db.query(
    `SELECT f.1 AS key, f.2 AS value, count() AS count ${from}
     GROUP BY key, value ORDER BY key, count DESC, value LIMIT ${limit} BY key`,
    params.values,
    BULK,
  );
  const parsedKeys = new Map(keys.map((r) => keyRow.parse(r)).map((r) => [r.key, r]));
  const ordered = chosen.flatMap(([name]) => parsedKeys.get(name) ?? []);
  return assemble(
    ordered,
    values.map((r) => valueRow.parse(r)),
    true,
  );
}

async function attributeFacets(db: Database, q: FacetQuery): Promise<Facet[]> {
  const map = q.scope === 'resource' ? 'resource_attributes' : 'attributes';
  const params = new SqlParams({ projectId: q.projectId });
  const from = `FROM spans ARRAY JOIN mapKeys(${map}) AS key, mapValues(${map}) AS value
    WHERE project_id = {projectId:String} AND ${windowSql(params, 'start_time', q.window)}
      AND startsWith(key, ${params.bind('String', q.prefix)})`;
  const keys = (
    await db.query(
      `SELECT toString(key) AS key, count() AS count, uniq(value) AS distinct_values ${from}
       GROUP BY key ORDER BY count DESC, key LIMIT ${params.bind('UInt32', q.keyLimit)}`,
      params.values,
      BULK,
    )
  ).map((r) => keyRow.parse(r));
  if (keys.length === 0) return [];
  const values = (
    await db.query(
      `SELECT toString(key) AS key, value, count() AS count ${from}
         AND key IN ${params.bind(
           'Array(String)',
           keys.map((k) => k.key),
         )}
       GROUP BY key, value ORDER BY key, count DESC, value
       LIMIT ${params.bind('UInt32', q.valueLimit)} BY key`,
      params.values,
      BULK,
    )
  ).map((r) => valueRow.parse(r));
  return assemble(keys, values, false);
}

/**
 * The newest part of the window holding about `maxSpans` spans, from the window's span count
 * per minute (one column read; the minute boundary means it may hold up to a minute's spans
 * more). The whole window when it holds no more than that.
 */
async function newestPart(db: Database, q: FacetQuery): Promise<FacetSample> {
  const params = new SqlParams({ projectId: q.projectId });
  const rows = await db.query<{ minute: number; n: number }>(
    `SELECT toUnixTimestamp(toStartOfMinute(start_time)) AS minute, count() AS n
     FROM spans
     WHERE project_id = {projectId:String} AND ${windowSql(params, 'start_time', q.window)}
     GROUP BY minute ORDER BY minute DESC`,
    params.values,
    BULK,
  );
  const max = q.maxSpans ?? FACET_MAX_SPANS;
  const windowSpans = rows.reduce((a, r) => a + Number(r.n), 0);
  let spans = 0;
  for (const r of rows) {
    spans += Number(r.n);
    const fromNs = BigInt(r.minute) * 1_000_000_000n;
    if (spans >= max && fromNs > q.window.fromNs) {
      return { windowSpans, spans, fromNs, partial: spans < windowSpans };
    }
  }
  return { windowSpans, spans: windowSpans, fromNs: q.window.fromNs, partial: false };
}

/**
 * Built-in facets first (span scope only), then attribute keys by how many spans carry them,
 * counted over the window's newest `maxSpans` spans (`sample` says which).
 */
export async function listFacets(
  db: Database,
  q: FacetQuery,
): Promise<{ facets: Facet[]; sample: FacetSample }> {
  const sample = await newestPart(db, q);
  if (sample.spans === 0) return { facets: [], sample };
  const part: FacetQuery = { ...q, window: { fromNs: sample.fromNs, toNs: q.window.toNs } };
  const builtins = q.scope === 'span' ? await builtinFacets(db, part) : [];
  return { facets: [...builtins, ...(await attributeFacets(db, part))], sample };
}
