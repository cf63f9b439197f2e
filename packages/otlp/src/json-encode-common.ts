import { encodeBase64 } from './base64.ts';
import { isIntValue } from './encode-common.ts';
import type { AnyValue, Attributes, InstrumentationScope, Resource } from './types.ts';

/**
 * OTLP/JSON encoding helpers (proto3 JSON mapping with hex ids and integer enums):
 * fields at their default value are left out, as proto3 JSON printers do; 64-bit
 * integers are decimal strings; non-finite doubles are "NaN" / "Infinity" / "-Infinity".
 */

export type Json = Record<string, unknown>;

/** A double as JSON: a number, or the proto3 JSON names of the non-finite values. */
export function jsonDouble(n: number): number | string {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

/** Sets `obj[key]` unless the value is the field's default ('' / 0 / 0n / false / []). */
export function put(obj: Json, key: string, value: unknown): void {
  if (value === '' || value === 0 || value === 0n || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  obj[key] = typeof value === 'bigint' ? value.toString() : value;
}

export function anyValueToJson(v: AnyValue): Json {
  if (v === null || v === undefined) return {};
  switch (typeof v) {
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'number':
      return isIntValue(v) ? { intValue: String(v) } : { doubleValue: jsonDouble(v) };
    case 'bigint':
      return { intValue: v.toString() };
  }
  if (v instanceof Uint8Array) return { bytesValue: encodeBase64(v) };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValueToJson) } };
  return { kvlistValue: { values: attributesToJson(v) } };
}

export function attributesToJson(attrs: Attributes): Json[] {
  const out: Json[] = [];
  for (const key in attrs) out.push({ key, value: anyValueToJson(attrs[key]!) });
  return out;
}

export function resourceToJson(resource: Resource): Json {
  const out: Json = {};
  put(out, 'attributes', attributesToJson(resource.attributes));
  put(out, 'droppedAttributesCount', resource.droppedAttributesCount);
  return out;
}

export function scopeToJson(scope: InstrumentationScope): Json {
  const out: Json = {};
  put(out, 'name', scope.name);
  put(out, 'version', scope.version);
  put(out, 'attributes', attributesToJson(scope.attributes));
  put(out, 'droppedAttributesCount', scope.droppedAttributesCount);
  return out;
}
