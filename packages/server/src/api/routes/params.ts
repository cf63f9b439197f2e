/**
 * Query-string parameters shared by the read routes, as zod schemas. Each parses the text
 * a URL carries into what the repositories take (epoch ms, nanoseconds, lists).
 */
import { parseDuration } from '@pyflare/query';
import { z } from 'zod';

/** Largest `limit` a page may ask for. */
export const MAX_LIMIT = 1000;

/** `limit`: 1..MAX_LIMIT, default `fallback`. */
export const limitParam = (fallback = 50, max = MAX_LIMIT) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(max)
    .default(fallback)
    .describe(`Page size (1-${max}, default ${fallback})`);

/** A parameter that may be repeated (`service=a&service=b`): always a list. */
export const listParam = (what: string) =>
  z
    .union([z.string().min(1).max(1000), z.array(z.string().min(1).max(1000)).max(100)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .describe(`${what}; repeat the parameter for alternatives (any of them matches)`);

const EPOCH_MS = /^\d{1,15}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[Tt ][\d:.]+(?:[Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch milliseconds, or an ISO 8601 date/date-time (UTC unless it has an offset). */
export function parseTime(text: string): number | undefined {
  if (EPOCH_MS.test(text)) return Number(text);
  if (!ISO_DATE.test(text)) return undefined;
  const withZone = /[Zz]|[+-]\d{2}:?\d{2}$/.test(text.slice(10)) ? text : `${text}Z`;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : withZone);
  return Number.isNaN(ms) ? undefined : ms;
}

export const timeParam = (what: string) =>
  z
    .string()
    .transform((text, ctx) => {
      const ms = parseTime(text);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected epoch milliseconds or an ISO 8601 time, got '${text}'`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .describe(`${what}: epoch milliseconds or ISO 8601 (e.g. 2026-11-01T10:00:00Z), inclusive`);

const BARE_NUMBER = /^\d+(?:\.\d+)?$/;

/** A duration with its unit (`250ms`, `1.5s`, `2m`; ns, us, ms, s, m, h, d) → ns. */
export function parseDurationNs(text: string): number | undefined {
  if (BARE_NUMBER.test(text)) return undefined;
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

export const durationParam = (what: string) =>
  z
    .string()
    .transform((text, ctx) => {
      const ns = parseDurationNs(text);
      if (ns === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a duration with a unit (e.g. 250ms, 1.5s, 2m, 1000000ns), got '${text}'`,
        });
        return z.NEVER;
      }
      return ns;
    })
    .describe(`${what}: a duration with its unit, e.g. 250ms, 1.5s, 2m, 1000000ns`);

/** `key:value`, split at the first colon. */
export interface AttributePair {
  key: string;
  value: string;
}

export function parseAttributePair(text: string): AttributePair | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { key: text.slice(0, colon), value: text.slice(colon + 1) };
}

export const attributeParam = (what: string) =>
  z
    .union([z.string(), z.array(z.string()).max(50)])
    .transform((v, ctx) => {
      const pairs: AttributePair[] = [];
      for (const text of Array.isArray(v) ? v : [v]) {
        const pair = parseAttributePair(text);
        if (pair === undefined) {
          ctx.addIssue({ code: 'custom', message: `expected key:value, got '${text}'` });
          return z.NEVER;
        }
        pairs.push(pair);
      }
      return pairs;
    })
    .describe(
      `${what}, as key:value (split at the first colon; the value is compared as text); repeat for several (all must hold)`,
    );

export const cursorParam = z
  .string()
  .max(2000)
  .describe('Opaque cursor from the previous page (its nextCursor)');

export const orderParam = z.enum(['desc', 'asc']).default('desc').describe('Default desc');
