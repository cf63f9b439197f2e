/**
 * The filter parameters shared by `GET /api/v1/traces` and `GET /api/v1/spans`: plain
 * parameters and the query language (`q=`), both turned into one TraceFilter.
 */
import {
  emptyFilter,
  parseQuery,
  QuerySyntaxError,
  type StringField,
  type TraceFilter,
} from '@pyflare/query';
import { z } from 'zod';
import { PyflareError } from '../../errors.ts';
import { attributeParam, durationParam, listParam, timeParam } from './params.ts';

/** Plain parameters that become string conditions, and their field. */
const STRING_PARAMS = {
  service: 'service',
  model: 'model',
  provider: 'provider',
  user: 'user',
  session: 'session',
  name: 'name',
  operation: 'operation',
  kind: 'kind',
  environment: 'environment',
  traceId: 'trace',
} as const satisfies Record<string, StringField>;

export const filterParams = {
  service: listParam('Service name').optional(),
  model: listParam('Model (request or response model)').optional(),
  provider: listParam('Provider / system (openai, anthropic, ...)').optional(),
  user: listParam('User id').optional(),
  session: listParam('Session id').optional(),
  name: listParam('Span name').optional(),
  operation: listParam(
    'Operation kind (llm, chat, embedding, retrieval, tool, agent, ...)',
  ).optional(),
  kind: listParam('Span kind (server, client, internal, producer, consumer)').optional(),
  environment: listParam('Deployment environment').optional(),
  traceId: listParam('Trace id (32 hex characters)').optional(),
  status: z.enum(['error', 'ok']).optional().describe('error: has an error span; ok: has none'),
  minDuration: durationParam('Minimum duration').optional(),
  maxDuration: durationParam('Maximum duration').optional(),
  attr: attributeParam('Span attribute equality').optional(),
  resourceAttr: attributeParam('Resource attribute equality').optional(),
  search: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('Case-insensitive text in a span name, status message, prompt or completion'),
  q: z.string().max(4096).optional().describe('A query in the PyFlare query language'),
  utcOffsetMinutes: z.coerce
    .number()
    .int()
    .min(-840)
    .max(840)
    .optional()
    .describe('Offset from UTC at which q reads dates and today/yesterday (default 0)'),
  from: timeParam('Start of the window (default: 24 hours before `to` or now)').optional(),
  to: timeParam('End of the window (default: open-ended)').optional(),
};

export type FilterParams = z.output<z.ZodObject<typeof filterParams>>;

/** The filter of the plain parameters (time stays in the request's from/to). */
export function filterFromParams(p: FilterParams): TraceFilter {
  const filter = emptyFilter();
  for (const [param, field] of Object.entries(STRING_PARAMS) as [
    keyof typeof STRING_PARAMS,
    StringField,
  ][]) {
    const values = p[param];
    if (values !== undefined) filter.strings.push({ field, values, negated: false });
  }
  if (p.status !== undefined) filter.status = p.status;
  if (p.minDuration !== undefined) {
    filter.numbers.push({ field: 'duration', op: '>=', value: p.minDuration });
  }
  if (p.maxDuration !== undefined) {
    filter.numbers.push({ field: 'duration', op: '<=', value: p.maxDuration });
  }
  for (const { key, value } of p.attr ?? []) {
    filter.attributes.push({ scope: 'span', key, value, negated: false });
  }
  for (const { key, value } of p.resourceAttr ?? []) {
    filter.attributes.push({ scope: 'resource', key, value, negated: false });
  }
  if (p.search !== undefined) filter.text.push({ text: p.search, negated: false });
  return filter;
}

/** Parses `q`; a syntax error becomes 400 INVALID_QUERY with its position. */
export function filterFromQuery(q: string, now: number, utcOffsetMinutes = 0): TraceFilter {
  try {
    return parseQuery(q, { now, utcOffsetMinutes }).filter;
  } catch (e) {
    if (e instanceof QuerySyntaxError) {
      throw new PyflareError('INVALID_QUERY', e.message, {
        cause: e,
        details: { start: e.start, end: e.end, queryErrorCode: e.code },
      });
    }
    throw e;
  }
}

/**
 * Both filters at once (every condition of each must hold); null when they cannot both
 * hold (status:error with status=ok). Time ranges intersect.
 */
export function mergeFilters(a: TraceFilter, b: TraceFilter): TraceFilter | null {
  if (a.status !== undefined && b.status !== undefined && a.status !== b.status) return null;
  const merged: TraceFilter = {
    strings: [...a.strings, ...b.strings],
    attributes: [...a.attributes, ...b.attributes],
    numbers: [...a.numbers, ...b.numbers],
    text: [...a.text, ...b.text],
  };
  const status = a.status ?? b.status;
  if (status !== undefined) merged.status = status;
  const time = a.time ?? b.time;
  if (time !== undefined) merged.time = time;
  return merged;
}

/** The request's whole filter: its parameters and its q, or null when nothing can match. */
export function requestFilter(p: FilterParams, now: number): TraceFilter | null {
  const params = filterFromParams(p);
  if (p.q === undefined || p.q.trim() === '') return params;
  return mergeFilters(params, filterFromQuery(p.q, now, p.utcOffsetMinutes));
}
