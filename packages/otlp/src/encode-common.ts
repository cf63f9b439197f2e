import type { AnyValue, Attributes, InstrumentationScope, Resource } from './types.ts';
import { I64, LEN, VARINT } from './wire.ts';
import type { Writer } from './writer.ts';

/**
 * Protobuf encoding of the common.proto and resource.proto messages. Scalars at their
 * default value are left out, as proto3 does; oneof members are always written.
 */

/**
 * Which AnyValue kind a JS number is sent as: int_value for safe integers (but not -0,
 * which would come back as 0), double_value for everything else. Decoding gives the
 * same number back.
 */
export function isIntValue(n: number): boolean {
  return Number.isSafeInteger(n) && !Object.is(n, -0);
}

/** The body of an AnyValue message (without tag and length). */
export function writeAnyValueBody(w: Writer, v: AnyValue): void {
  if (v === null || v === undefined) return;
  switch (typeof v) {
    case 'string':
      w.tag(1, LEN); // 1 string_value: string
      w.string(v);
      return;
    case 'boolean':
      w.tag(2, VARINT); // 2 bool_value: bool
      w.bool(v);
      return;
    case 'number':
      if (isIntValue(v)) {
        w.tag(3, VARINT); // 3 int_value: int64
        w.int64(v);
      } else {
        w.tag(4, I64); // 4 double_value: double
        w.double(v);
      }
      return;
    case 'bigint':
      w.tag(3, VARINT); // 3 int_value: int64
      w.int64(v);
      return;
  }
  if (v instanceof Uint8Array) {
    w.tag(7, LEN); // 7 bytes_value: bytes
    w.bytes(v);
  } else if (Array.isArray(v)) {
    w.tag(5, LEN); // 5 array_value: ArrayValue
    const mark = w.fork();
    for (const item of v) {
      w.tag(1, LEN); // ArrayValue 1 values: repeated AnyValue
      const m = w.fork();
      writeAnyValueBody(w, item);
      w.join(m);
    }
    w.join(mark);
  } else {
    w.tag(6, LEN); // 6 kvlist_value: KeyValueList
    const mark = w.fork();
    writeKeyValues(w, 1, v); // KeyValueList 1 values: repeated KeyValue
    w.join(mark);
  }
}

/** Writes each entry of `attrs` as a KeyValue in repeated field `field`. */
export function writeKeyValues(w: Writer, field: number, attrs: Attributes): void {
  for (const key in attrs) {
    w.tag(field, LEN);
    const mark = w.fork();
    w.tag(1, LEN); // KeyValue 1 key: string
    w.string(key);
    w.tag(2, LEN); // KeyValue 2 value: AnyValue
    const m = w.fork();
    writeAnyValueBody(w, attrs[key]!);
    w.join(m);
    w.join(mark);
  }
}

export function writeString(w: Writer, field: number, s: string): void {
  if (s === '') return;
  w.tag(field, LEN);
  w.string(s);
}

export function writeUint32(w: Writer, field: number, n: number): void {
  if (n === 0) return;
  w.tag(field, VARINT);
  w.varint(n >>> 0);
}

export function writeEnum(w: Writer, field: number, n: number): void {
  if (n === 0) return;
  w.tag(field, VARINT);
  w.int32(n);
}

export function writeFixed64(w: Writer, field: number, n: bigint): void {
  if (n === 0n) return;
  w.tag(field, I64);
  w.fixed64(n);
}

export function writeId(w: Writer, field: number, hex: string): void {
  if (hex === '') return;
  w.tag(field, LEN);
  w.id(hex);
}

/** Resource as embedded message field `field`. */
export function writeResource(w: Writer, field: number, resource: Resource): void {
  w.tag(field, LEN);
  const mark = w.fork();
  writeKeyValues(w, 1, resource.attributes); // 1 attributes: repeated KeyValue
  writeUint32(w, 2, resource.droppedAttributesCount); // 2 dropped_attributes_count: uint32
  w.join(mark);
}

/** InstrumentationScope as embedded message field `field`. */
export function writeScope(w: Writer, field: number, scope: InstrumentationScope): void {
  w.tag(field, LEN);
  const mark = w.fork();
  writeString(w, 1, scope.name); // 1 name: string
  writeString(w, 2, scope.version); // 2 version: string
  writeKeyValues(w, 3, scope.attributes); // 3 attributes: repeated KeyValue
  writeUint32(w, 4, scope.droppedAttributesCount); // 4 dropped_attributes_count: uint32
  w.join(mark);
}
