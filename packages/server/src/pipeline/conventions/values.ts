import type { AnyValue } from '@pyflare/otlp';
import { valueToText } from '../attributes.ts';
import { MAX_EMBEDDING_DIMENSIONS, MAX_NAME_CHARS, MAX_TAGS, clip } from '../limits.ts';

/** Small readers shared by the conventions: attribute values to canonical scalars. */

/** Non-empty text of a scalar attribute (strings verbatim, numbers printed), clipped. */
export function text(v: AnyValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v : valueToText(v);
  return s === '' ? undefined : clip(s, MAX_NAME_CHARS);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A token count: a non-negative integer up to 2^53 from an int, a double or a decimal string.
 * Anything else (negative, NaN, "12abc", 1e30) is treated as absent, so the next source is
 * read. (A UInt64 column would silently wrap a larger number.)
 */
export function count(v: AnyValue | undefined): number | undefined {
  switch (typeof v) {
    case 'number':
      return v >= 0 && v <= Number.MAX_SAFE_INTEGER ? Math.trunc(v) : undefined;
    case 'bigint':
      return v >= 0n && v <= MAX_SAFE ? Number(v) : undefined;
    case 'string': {
      if (v.length === 0 || v.length > 16) return undefined;
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c < 48 || c > 57) return undefined;
      }
      const n = Number(v);
      return n <= Number.MAX_SAFE_INTEGER ? n : undefined;
    }
    default:
      return undefined;
  }
}

/** A finite number from a number, a bigint or a numeric string. */
export function finite(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * A structured value: strings that look like JSON arrays / objects are parsed (undefined when
 * they do not parse); anything else is returned as is.
 */
export function structured(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  return parseJson(v);
}

/** JSON.parse for text that starts with `[` or `{`; undefined otherwise or on error. */
export function parseJson(s: string): unknown {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  const c = s.charCodeAt(i);
  if (c !== 91 /* [ */ && c !== 123 /* { */) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

/** Plain object check that excludes arrays and bytes. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** The string at `key` of a record, or undefined. */
export function field(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** A tag list from an array of values or a comma-separated string. */
export function tagList(v: AnyValue | undefined): string[] | undefined {
  let items: unknown[];
  if (Array.isArray(v)) items = v;
  else if (typeof v === 'string') {
    const parsed = v.startsWith('[') ? parseJson(v) : undefined;
    items = Array.isArray(parsed) ? parsed : v.split(',');
  } else return undefined;
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number') continue;
    const tag = clip(String(item).trim(), 256);
    if (tag !== '' && !out.includes(tag)) out.push(tag);
    if (out.length >= MAX_TAGS) break;
  }
  return out.length > 0 ? out : undefined;
}

const MAX_FLOAT32 = 3.4028234663852886e38;

/**
 * An embedding vector from an array of numbers or a JSON string of one. A vector with a
 * non-numeric element, NaN, or a number beyond Float32 (the column type), or longer than
 * MAX_EMBEDDING_DIMENSIONS, is dropped whole: a partial vector would be a different point.
 */
export function toVector(v: AnyValue | undefined): number[] | undefined {
  const arr = typeof v === 'string' ? parseJson(v) : v;
  if (!Array.isArray(arr) || arr.length === 0 || arr.length > MAX_EMBEDDING_DIMENSIONS) {
    return undefined;
  }
  for (let i = 0; i < arr.length; i++) {
    const x: unknown = arr[i];
    if (typeof x !== 'number' || !(x >= -MAX_FLOAT32 && x <= MAX_FLOAT32)) return undefined;
  }
  return arr as number[];
}
