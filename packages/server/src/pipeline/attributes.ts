import type { AnyValue, Attributes } from '@pyflare/otlp';
import { MAX_ATTRIBUTE_CHARS, MAX_KEY_CHARS, MAX_VALUE_DEPTH, clip, truncate } from './limits.ts';

/** A value JSON can hold exactly. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The two stored forms of one attribute map (see `flattenAttributes`). */
export interface FlatAttributes {
  /** Every value as text, for the `Map(String, String)` columns. */
  map: Record<string, string>;
  /**
   * The values that are not strings (numbers, booleans, arrays, kvlists, bytes, null), typed,
   * as one JSON object; `''` when every value is a string. Read back over `map` (see
   * `typedAttributes` in storage/queries/json-columns.ts).
   */
  json: string;
}

const DEPTH_MARKER = '[depth limit]';

/**
 * An AnyValue as a JSON-safe value, returning `v` itself (no copy) when it already is one:
 * - strings longer than MAX_ATTRIBUTE_CHARS are truncated with a marker;
 * - int64 values beyond 2^53 (`bigint`) become decimal strings, so no digit is lost;
 * - NaN, Infinity and -Infinity become the strings "NaN", "Infinity", "-Infinity"
 *   (JSON has no such numbers, and `null` would lose that a value was sent);
 * - bytes become standard base64 strings;
 * - arrays stay arrays and kvlists become objects (null-prototype, so a key such as
 *   `__proto__` is plain data).
 */
export function toPlain(v: AnyValue, maxChars = MAX_ATTRIBUTE_CHARS, depth = 0): JsonValue {
  switch (typeof v) {
    case 'string':
      return truncate(v, maxChars);
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'boolean':
      return v;
    case 'bigint':
      return v.toString();
    case 'object':
      if (v === null) return null;
      if (depth >= MAX_VALUE_DEPTH) return DEPTH_MARKER;
      if (Array.isArray(v)) return arrayToPlain(v, maxChars, depth + 1);
      if (v instanceof Uint8Array) return bytesToBase64(v);
      return kvlistToPlain(v, maxChars, depth + 1);
    default:
      return null; // undefined: not an AnyValue, but harmless
  }
}

function arrayToPlain(v: AnyValue[], maxChars: number, depth: number): JsonValue[] {
  let out: JsonValue[] | undefined;
  for (let i = 0; i < v.length; i++) {
    const item = v[i]!;
    const p = toPlain(item, maxChars, depth);
    if (out) out.push(p);
    else if (p !== item) {
      out = v.slice(0, i) as JsonValue[];
      out.push(p);
    }
  }
  return out ?? (v as JsonValue[]);
}

function kvlistToPlain(
  v: { [key: string]: AnyValue },
  maxChars: number,
  depth: number,
): { [key: string]: JsonValue } {
  const keys = Object.keys(v);
  let out: { [key: string]: JsonValue } | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = v[key]!;
    const k = storedKey(key);
    const p = toPlain(item, maxChars, depth);
    if (out) out[k] = p;
    else if (p !== item || k !== key) {
      out = copyPrefix(v, keys, i);
      out[k] = p;
    }
  }
  return out ?? (v as { [key: string]: JsonValue });
}

/** A key as stored: clipped to MAX_KEY_CHARS and well formed. */
function storedKey(key: string): string {
  return clip(key, MAX_KEY_CHARS);
}

/** A null-prototype object holding `keys[0, end)` of `source`, whose values are already plain. */
function copyPrefix(
  source: { [key: string]: unknown },
  keys: readonly string[],
  end: number,
): { [key: string]: JsonValue } {
  const out = Object.create(null) as { [key: string]: JsonValue };
  for (let j = 0; j < end; j++) out[keys[j]!] = source[keys[j]!] as JsonValue;
  return out;
}

/** Standard base64; very long byte strings are cut like long strings. */
export function bytesToBase64(bytes: Uint8Array): string {
  const maxBytes = (MAX_ATTRIBUTE_CHARS / 4) * 3;
  if (bytes.byteLength <= maxBytes) {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, maxBytes).toString('base64');
  return head + `…[truncated, ${bytes.byteLength} bytes]`;
}

/** A plain value as map text: strings verbatim, scalars printed, arrays and objects as JSON. */
function plainToText(p: JsonValue): string {
  if (typeof p === 'string') return p;
  if (p === null) return '';
  if (typeof p === 'object') return truncate(JSON.stringify(p), MAX_ATTRIBUTE_CHARS);
  return String(p);
}

/** An AnyValue as text, as stored in the attribute maps. */
export function valueToText(v: AnyValue): string {
  return plainToText(toPlain(v));
}

/**
 * Both stored forms of an attribute map in one pass. Keys in `skip` are left out (content
 * attributes when the project does not capture content); `keys` may pass `Object.keys(attrs)`
 * when the caller already has it.
 *
 * String values, most of an attribute map's bytes, are stored once, in the map; the JSON
 * holds only the values whose type the map's text loses. Storing every value in both forms
 * made each span row half as large again and its insert about 1.8× slower (measured in
 * docs/architecture/ingest.md).
 *
 * The map is an ordinary object (V8 gives it fast properties, which build and serialize
 * faster than a null-prototype dictionary); a `__proto__` key is defined as an own property,
 * so it is plain data there too.
 */
export function flattenAttributes(
  attrs: Attributes,
  skip?: ReadonlySet<string>,
  keys: readonly string[] = Object.keys(attrs),
): FlatAttributes {
  const map: Record<string, string> = {};
  let typed: string | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (skip !== undefined && skip.has(key)) continue;
    const k = storedKey(key);
    const p = toPlain(attrs[key]!);
    const text = plainToText(p);
    if (k === '__proto__') {
      Object.defineProperty(map, k, { value: text, enumerable: true, writable: true });
    } else {
      map[k] = text;
    }
    if (typeof p !== 'string') {
      typed =
        (typed === undefined ? '{' : typed + ',') + JSON.stringify(k) + ':' + JSON.stringify(p);
    }
  }
  return { map, json: typed === undefined ? '' : typed + '}' };
}

/** The typed JSON form of an attribute map alone (events, links, metrics exemplars). */
export function attributesToJson(attrs: Attributes): string {
  const keys = Object.keys(attrs);
  let copy: { [key: string]: JsonValue } | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = attrs[key]!;
    const k = storedKey(key);
    const p = toPlain(v);
    if (copy) copy[k] = p;
    else if (p !== v || k !== key) {
      copy = copyPrefix(attrs, keys, i);
      copy[k] = p;
    }
  }
  return JSON.stringify(copy ?? attrs);
}
