import type { JsonObject, JsonReader } from './json-reader.ts';
import type { AnyValue, Attributes, InstrumentationScope, Resource } from './types.ts';
import { newAttributes } from './decode-common.ts';

/** OTLP/JSON decoding of the common.proto and resource.proto messages. */

/**
 * An AnyValue object: `{ "stringValue": "x" }`, `{ "intValue": "5" }`, … ; `{}` or null
 * is the empty value (null). Two members of the oneof set at once is an error.
 */
export function anyValueFromJson(r: JsonReader, v: unknown, key: string | number): AnyValue {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) return r.fail('expected an AnyValue object', key);
  const obj = v as JsonObject;
  let value: AnyValue = null;
  let seen: string | undefined;
  r.push(key);
  for (const k in obj) {
    const member = obj[k];
    if (member === null || member === undefined) continue; // null is the same as absent
    let decoded: AnyValue;
    switch (k) {
      case 'stringValue':
        decoded = r.string(obj, k);
        break;
      case 'boolValue':
        decoded = r.bool(obj, k);
        break;
      case 'intValue':
        decoded = r.int64(member, k);
        break;
      case 'doubleValue':
        decoded = r.doubleValue(member, k);
        break;
      case 'bytesValue':
        decoded = r.bytes(member, k);
        break;
      case 'arrayValue':
        decoded = arrayValueFromJson(r, obj, k);
        break;
      case 'kvlistValue':
        decoded = kvlistFromJson(r, obj, k);
        break;
      default:
        continue; // unknown fields are ignored
    }
    if (seen !== undefined) r.fail(`AnyValue has both ${seen} and ${k} set`);
    seen = k;
    value = decoded;
  }
  r.pop();
  return value;
}

function arrayValueFromJson(r: JsonReader, obj: JsonObject, key: string): AnyValue[] {
  const arr = r.object(obj, key);
  r.push(key);
  r.deeper();
  const values = arr ? r.scalars(arr, 'values', (v, i) => anyValueFromJson(r, v, i)) : [];
  r.anyDepth--;
  r.pop();
  return values;
}

function kvlistFromJson(r: JsonReader, obj: JsonObject, key: string): Attributes {
  const kv = r.object(obj, key);
  r.push(key);
  r.deeper();
  const values = kv ? attributesFromJson(r, kv, 'values') : newAttributes();
  r.anyDepth--;
  r.pop();
  return values;
}

/** A repeated KeyValue field as a null-prototype map (the last duplicate key wins). */
export function attributesFromJson(r: JsonReader, obj: JsonObject, key: string): Attributes {
  const attributes = newAttributes();
  r.list(obj, key, (kv) => {
    attributes[r.string(kv, 'key')] = anyValueFromJson(r, kv.value, 'value');
  });
  return attributes;
}

export function resourceFromJson(r: JsonReader, obj: JsonObject | undefined): Resource {
  if (obj === undefined) return { attributes: newAttributes(), droppedAttributesCount: 0 };
  return r.within('resource', () => ({
    attributes: attributesFromJson(r, obj, 'attributes'),
    droppedAttributesCount: r.int32(obj, 'droppedAttributesCount', true),
  }));
}

export function scopeFromJson(r: JsonReader, obj: JsonObject | undefined): InstrumentationScope {
  if (obj === undefined) {
    return { name: '', version: '', attributes: newAttributes(), droppedAttributesCount: 0 };
  }
  return r.within('scope', () => ({
    name: r.string(obj, 'name'),
    version: r.string(obj, 'version'),
    attributes: attributesFromJson(r, obj, 'attributes'),
    droppedAttributesCount: r.int32(obj, 'droppedAttributesCount', true),
  }));
}
