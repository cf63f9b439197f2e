/**
 * Compiles a TraceFilter into the WHERE and HAVING parts of a query over the re-aggregated
 * `traces` table (see the semantics in packages/query/src/filter.ts):
 *
 * - the rows read: partial aggregates in the ten-minute buckets from an hour before the
 *   window to an hour after it (`traces` is ordered by bucket, migration 0004), so a window
 *   reads its own part of the table and a little on each side;
 * - trace-level conditions (time, services, models, users, sessions, status, duration,
 *   tokens, span count) on the re-aggregated trace, in HAVING;
 * - span-level conditions (name, operation, kind, provider, environment, attributes, text)
 *   as `trace_id [NOT] IN (SELECT trace_id FROM spans ...)` over the spans of the window;
 *   or, for a search by candidates (candidate-search.ts), left to the caller, with each
 *   positive attribute condition narrowing the traces by their attribute Bloom words.
 *
 * The hour on each side is the slack for traces whose spans arrive in separate batches:
 * a trace is judged by its partial aggregates starting within an hour of the window, so one
 * whose spans start more than an hour apart may be judged by a part of it.
 */
import type { AttributeCondition, NumberCondition, StringField, TraceFilter } from '@pyflare/query';
import { PyflareError } from '../../errors.ts';
import {
  conditionValues,
  spanAttributeSql,
  spanStringSql,
  spanTextSql,
  sqlOperator,
} from './span-conditions.ts';
import { windowSql, type SqlParams, type TimeWindow } from './sql-params.ts';
import { traceKey, traceKeys } from './trace-key.ts';

/**
 * Span conditions look at spans starting up to this long after the window's end (a trace
 * that starts inside the window may have spans that start after it), and trace conditions
 * at partial aggregates starting up to this long before and after the window.
 */
export const SPAN_WINDOW_SLACK_NS = 3_600_000_000_000n;

/** Width of `traces.start_bucket` (migration 0004), in seconds. */
const BUCKET_SECONDS = 600n;
/** DateTime's range: 1970 to 2106. */
const MAX_DATETIME_SECONDS = 4_294_967_295n;

/** The start of the bucket holding `ns`, in seconds, clamped to DateTime's range. */
export function bucketSeconds(ns: bigint): bigint {
  const seconds = ns < 0n ? 0n : ns / 1_000_000_000n;
  const bucket = (seconds / BUCKET_SECONDS) * BUCKET_SECONDS;
  return bucket > MAX_DATETIME_SECONDS ? MAX_DATETIME_SECONDS : bucket;
}

/**
 * `traces` rows whose bucket may hold a part of a trace starting in the window: from the
 * bucket an hour before the window to the bucket an hour after it.
 */
function bucketSql(params: SqlParams, window: TimeWindow): string {
  const from = `start_bucket >= toDateTime(${params.bind(
    'UInt32',
    Number(bucketSeconds(window.fromNs - SPAN_WINDOW_SLACK_NS)),
  )}, 'UTC')`;
  if (window.toNs === undefined) return from;
  return `${from} AND start_bucket <= toDateTime(${params.bind(
    'UInt32',
    Number(bucketSeconds(window.toNs + SPAN_WINDOW_SLACK_NS)),
  )}, 'UTC')`;
}

/** Trace-level string fields and the aggregated array each one checks. */
const TRACE_ARRAYS: Partial<Readonly<Record<StringField, string>>> = {
  service: 'services',
  model: 'models',
  user: 'users',
  session: 'sessions',
};

/** Sort keys over the re-aggregated trace, all Int64. */
export const TRACE_SORT_SQL = {
  time: 'toUnixTimestamp64Nano(min(start_time))',
  duration: '(toUnixTimestamp64Nano(max(end_time)) - toUnixTimestamp64Nano(min(start_time)))',
  tokens: 'toInt64(sum(total_tokens))',
} as const;
export type TraceSort = keyof typeof TRACE_SORT_SQL;

export interface TraceQueryParts {
  /** Conditions on the rows of `traces` (before GROUP BY trace_id). */
  where: string[];
  /** Conditions on the re-aggregated trace. */
  having: string[];
}

function traceNumberSql(condition: NumberCondition, params: SqlParams): string {
  const op = sqlOperator(condition.op);
  const value = params.bind('Int64', BigInt(Math.round(condition.value)));
  switch (condition.field) {
    case 'duration':
      return `${TRACE_SORT_SQL.duration} ${op} ${value}`;
    case 'tokens':
      return `sum(total_tokens) ${op} ${value}`;
    case 'spans':
      return `sum(span_count) ${op} ${value}`;
    default:
      throw new PyflareError('INVALID_QUERY', `unknown number field '${String(condition.field)}'`);
  }
}

/** `trace_id [NOT] IN (spans having ...)` for the span-level conditions. */
function spanSubqueries(
  positive: string[],
  negative: string[],
  spanWindow: string,
  projectParam: string,
): string[] {
  const base = `SELECT ${traceKey('trace_id')} FROM spans WHERE project_id = ${projectParam} AND ${spanWindow}`;
  const parts: string[] = [];
  if (positive.length === 1) {
    parts.push(`trace_id IN (${base} AND ${positive[0]})`);
  } else if (positive.length > 1) {
    // Each condition may hold on a different span of the trace.
    parts.push(
      `trace_id IN (${base} AND (${positive.join(' OR ')}) GROUP BY trace_id HAVING ${positive
        .map((c) => `countIf(${c}) > 0`)
        .join(' AND ')})`,
    );
  }
  if (negative.length > 0) {
    parts.push(`trace_id NOT IN (${base} AND (${negative.join(' OR ')}))`);
  }
  return parts;
}

/**
 * The span-level conditions of `filter`, as SQL over one span: those some span must meet, and
 * those no span may.
 */
export function spanConditionSql(
  filter: TraceFilter,
  params: SqlParams,
): { positive: string[]; negative: string[] } {
  const positive: string[] = [];
  const negative: string[] = [];
  for (const condition of filter.strings) {
    if (condition.field === 'trace' || TRACE_ARRAYS[condition.field] !== undefined) continue;
    (condition.negated ? negative : positive).push(spanStringSql(condition, params));
  }
  for (const condition of filter.attributes) {
    (condition.negated ? negative : positive).push(spanAttributeSql(condition, params));
  }
  for (const condition of filter.text) {
    (condition.negated ? negative : positive).push(spanTextSql(condition, params));
  }
  return { positive, negative };
}

/**
 * The set of `values` (a bound `Array(String)`) as the `<array>_bits` columns of `traces` hold
 * a trace's services, models, users and sessions (migration 0015): bit cityHash64(v) % 64 of
 * each value. A trace with none of the values can still share a bit with one of them.
 */
function valueBitsSql(values: string): string {
  return `arrayReduce('groupBitOr', arrayMap(v -> bitShiftLeft(toUInt64(1), cityHash64(v) % 64), ${values}))`;
}

/**
 * The positive trace-level string conditions (service, model, user, session) as conditions on
 * one span, for the check of candidates found by their bits only (see `compileTraceFilter`).
 * A trace has a value in its array exactly when one of its spans has it in a column: the
 * arrays are their spans' values, without the empty model, user and session (`traces_mv`).
 */
export function traceArraySpanSql(filter: TraceFilter, params: SqlParams): string[] {
  return filter.strings
    .filter((c) => !c.negated && TRACE_ARRAYS[c.field] !== undefined)
    .map((c) => {
      const values = c.field === 'service' ? c.values : c.values.filter((v) => v !== '');
      return values.length === 0 ? '0' : spanStringSql({ ...c, values }, params);
    });
}

/** The positive span-level conditions the Bloom words cannot narrow (see `narrowed`). */
export function otherPositiveSpanSql(filter: TraceFilter, params: SqlParams): string[] {
  const bloomable = new Set(bloomConditions(filter));
  return spanConditionSql(
    { ...filter, attributes: filter.attributes.filter((c) => !bloomable.has(c)) },
    params,
  ).positive;
}

/** The spans whose conditions count for traces starting in `window`: up to an hour after it. */
export function spanWindowOf(window: TimeWindow): TimeWindow {
  return {
    fromNs: window.fromNs,
    toNs: window.toNs === undefined ? undefined : window.toNs + SPAN_WINDOW_SLACK_NS,
  };
}

/** How span-level conditions are compiled (see CompileOptions). */
export type SpanConditionPlan = 'subquery' | 'candidates' | 'narrowed';

export interface CompileOptions {
  /** The bound project id (default `{projectId:String}`). */
  projectParam?: string;
  /**
   * `subquery` (default): span-level conditions as `trace_id [NOT] IN (SELECT ... FROM spans)`
   * over the window. `candidates`: left out, for the caller to check on the spans of the
   * traces found; each positive span-attribute condition narrows them by the traces' attribute
   * Bloom words instead (see candidate-search.ts). `narrowed`: as `candidates`, and the
   * other positive span conditions (names, kinds, text, non-narrowing attributes) narrow them
   * too, as a span subquery.
   */
  spanConditions?: SpanConditionPlan;
  /**
   * For `candidates` and `narrowed`: the Bloom probe of each of `bloomConditions(filter)`, in
   * its order, from the engine's hash of the pair (see `bloomProbeOf`).
   */
  bloomProbes?: readonly BloomProbe[];
}

/**
 * WHERE and HAVING for the traces matching `filter` whose start lies in `window`.
 * `filter.time` is ignored: the caller folds it into `window`.
 */
export function compileTraceFilter(
  filter: TraceFilter,
  window: TimeWindow,
  params: SqlParams,
  options: CompileOptions = {},
): TraceQueryParts {
  const projectParam = options.projectParam ?? '{projectId:String}';
  const byCandidates =
    options.spanConditions === 'candidates' || options.spanConditions === 'narrowed';
  const where: string[] = [];
  const having: string[] = [windowSql(params, 'min(start_time)', window)];

  const traceIds = filter.strings.filter((s) => s.field === 'trace' && !s.negated);
  const idRestriction = traceIds.map(
    (s) => `trace_id IN ${traceKeys(params.bind('Array(String)', conditionValues(s)))}`,
  );
  where.push(bucketSql(params, window), ...idRestriction);

  for (const condition of filter.strings) {
    if (condition.field === 'trace') {
      if (condition.negated) {
        where.push(
          `trace_id NOT IN ${traceKeys(params.bind('Array(String)', conditionValues(condition)))}`,
        );
      }
      continue;
    }
    const array = TRACE_ARRAYS[condition.field];
    if (array === undefined) continue;
    const values = params.bind('Array(String)', condition.values);
    if (byCandidates && !condition.negated) {
      // Whether the trace may have a value: its rows' bits (migration 0015), read instead of
      // the arrays; the candidates' spans are checked for it (traceArraySpanSql).
      having.push(`bitAnd(groupBitOr(${array}_bits), ${valueBitsSql(values)}) != 0`);
    } else {
      // Whether any part of the trace has a value: cheaper than merging the arrays.
      having.push(`max(hasAny(${array}, ${values})) = ${condition.negated ? 0 : 1}`);
    }
  }
  if (filter.status === 'error') having.push('sum(error_count) > 0');
  if (filter.status === 'ok') having.push('sum(error_count) = 0');
  for (const condition of filter.numbers) having.push(traceNumberSql(condition, params));

  if (byCandidates) {
    if (options.spanConditions === 'narrowed') {
      const others = otherPositiveSpanSql(filter, params);
      const spanWindow = windowSql(params, 'start_time', spanWindowOf(window));
      where.push(...spanSubqueries(others, [], spanWindow, projectParam));
    }
    // A trace has the pair only if one of its rows has all the pair's bits.
    const conditions = bloomConditions(filter);
    const probes = options.bloomProbes ?? [];
    if (probes.length !== conditions.length) {
      throw new Error(`${conditions.length} attribute conditions, ${probes.length} Bloom probes`);
    }
    for (const probe of probes) {
      where.push(
        `trace_id IN (SELECT trace_id FROM traces WHERE project_id = ${projectParam} AND ${bucketSql(
          params,
          window,
        )} AND ${attributeBloomSql(probe, params)})`,
      );
    }
    return { where, having };
  }
  const { positive, negative } = spanConditionSql(filter, params);
  if (positive.length > 0 || negative.length > 0) {
    const spanWindow = windowSql(params, 'start_time', spanWindowOf(window));
    // The span conditions are not restricted to the traces passing the trace-level ones
    // (`AND trace_id IN (SELECT ... FROM traces GROUP BY trace_id HAVING ...)`, until
    // 2026-12-02). That helped while `spans` was ordered by service; ordered by trace id
    // within each bucket (0006), a candidate set of some percent of the traces touches every
    // granule, so it pruned nothing and added a GROUP BY of the window: the `q=` combination
    // of the query bench at 10M spans took 124 ms of engine CPU with it, 70 ms without.
    // A filter with an attribute condition is searched by candidates first (traces.ts).
    where.push(...spanSubqueries(positive, negative, spanWindow, projectParam));
  }
  return { where, having };
}

/** Positive conditions on span attributes: the ones the traces' Bloom words can narrow. */
export function bloomConditions(filter: TraceFilter): AttributeCondition[] {
  return filter.attributes.filter((c) => !c.negated && c.scope === 'span');
}

/** Words of the attribute Bloom filter in `traces` (migrations 0011, 0014), 64 bits each. */
export const ATTRIBUTE_BLOOM_WORDS = 8;
/** Bits a (key, value) pair sets in its word (migration 0014). */
const BLOOM_BITS_PER_PAIR = 6;

/** Where a pair's bits lie in the blocked filter: one word and the bits in it. */
export interface BloomProbe {
  word: number;
  mask: bigint;
}

/**
 * The probe of a pair whose `cityHash64(key, value)` is `hash`, as `traces_mv` (0014) sets
 * it: the word is the hash's low three bits, and bytes 1 to 6 each pick a bit (their low six).
 */
export function bloomProbeOf(hash: bigint): BloomProbe {
  let mask = 0n;
  for (let byte = 1; byte <= BLOOM_BITS_PER_PAIR; byte++) {
    mask |= 1n << ((hash >> BigInt(8 * byte)) & 63n);
  }
  return { word: Number(hash & BigInt(ATTRIBUTE_BLOOM_WORDS - 1)), mask };
}

/**
 * "This `traces` row may have a span with the pair": all the pair's bits are set in its word.
 * One column per condition is read; the word is chosen here, not in SQL, because an
 * expression choosing a column from a bound hash is not folded and reads all eight.
 */
export function attributeBloomSql(probe: BloomProbe, params: SqlParams): string {
  const mask = params.bind('UInt64', probe.mask);
  return `bitAnd(attr_bloom_${probe.word}, ${mask}) = ${mask}`;
}
