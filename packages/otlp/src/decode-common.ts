import type { Reader } from './reader.ts';
import type { AnyValue, Attributes, InstrumentationScope, Resource } from './types.ts';

/**
 * Messages of opentelemetry/proto/common/v1/common.proto and resource/v1/resource.proto.
 * Case labels are whole tags, `(field_number << 3) | wire_type`, with the proto field
 * number and name beside each; a known field with another wire type is skipped like an
 * unknown field (as the Go and Java protobuf runtimes do).
 */

/** An empty null-prototype attribute map. */
export function newAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

/** AnyValue: the value of the oneof that is set (the last one, if several are); null when none. */
export function decodeAnyValue(r: Reader): AnyValue {
  r.open('AnyValue');
  let value: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 string_value: string
        value = r.string();
        break;
      case 16: // 2 bool_value: bool
        value = r.bool();
        break;
      case 24: // 3 int_value: int64
        value = r.int64();
        break;
      case 33: // 4 double_value: double
        value = r.double();
        break;
      case 42: // 5 array_value: ArrayValue
        value = decodeArrayValue(r);
        break;
      case 50: // 6 kvlist_value: KeyValueList
        value = decodeKeyValueList(r);
        break;
      case 58: // 7 bytes_value: bytes
        value = r.bytes();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return value;
}

/** ArrayValue, one AnyValue nesting level. */
function decodeArrayValue(r: Reader): AnyValue[] {
  r.open('ArrayValue');
  r.deeper();
  const values: AnyValue[] = [];
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      values.push(decodeAnyValue(r)); // 1 values: repeated AnyValue
    } else {
      r.skip(tag);
    }
  }
  r.anyDepth--;
  r.close();
  return values;
}

/** KeyValueList, one AnyValue nesting level. */
function decodeKeyValueList(r: Reader): Attributes {
  r.openRecord('KeyValueList');
  r.deeper();
  const values = newAttributes();
  while (r.pos < r.end) {
    const tag = r.tag();
    if (tag === 10) {
      decodeKeyValue(r, values); // 1 values: repeated KeyValue
    } else {
      r.skip(tag);
    }
  }
  r.anyDepth--;
  r.close();
  return values;
}

/** KeyValue, stored into `into` (the last duplicate key wins). */
export function decodeKeyValue(r: Reader, into: Attributes): void {
  r.open('KeyValue');
  let key = '';
  let value: AnyValue = null;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 key: string
        key = r.key();
        break;
      case 18: // 2 value: AnyValue
        value = decodeAnyValue(r);
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  into[key] = value;
}

/** opentelemetry.proto.resource.v1.Resource */
export function decodeResource(r: Reader): Resource {
  r.openRecord('Resource');
  const attributes = newAttributes();
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 16: // 2 dropped_attributes_count: uint32
        droppedAttributesCount = r.varint32();
        break;
      default: // 3 entity_refs (development) is not kept
        r.skip(tag);
    }
  }
  r.close();
  return { attributes, droppedAttributesCount };
}

export function emptyResource(): Resource {
  return { attributes: newAttributes(), droppedAttributesCount: 0 };
}

/** opentelemetry.proto.common.v1.InstrumentationScope */
export function decodeScope(r: Reader): InstrumentationScope {
  r.openRecord('InstrumentationScope');
  let name = '';
  let version = '';
  const attributes = newAttributes();
  let droppedAttributesCount = 0;
  while (r.pos < r.end) {
    const tag = r.tag();
    switch (tag) {
      case 10: // 1 name: string
        name = r.string();
        break;
      case 18: // 2 version: string
        version = r.string();
        break;
      case 26: // 3 attributes: repeated KeyValue
        decodeKeyValue(r, attributes);
        break;
      case 32: // 4 dropped_attributes_count: uint32
        droppedAttributesCount = r.varint32();
        break;
      default:
        r.skip(tag);
    }
  }
  r.close();
  return { name, version, attributes, droppedAttributesCount };
}

export function emptyScope(): InstrumentationScope {
  return { name: '', version: '', attributes: newAttributes(), droppedAttributesCount: 0 };
}
