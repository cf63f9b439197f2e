/**
 * Hand-built protobuf bytes for wire-level tests, independent of our encoders: just
 * enough of the wire format (tags, varints, length prefixes, little-endian fixed) to
 * write any field, including malformed ones.
 */

export type Bytes = number[];

export function varint(n: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: Bytes = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export const tag = (field: number, wireType: number): Bytes => varint((field << 3) | wireType);

/** A length-delimited field: tag, length, then the bytes (or the UTF-8 of a string). */
export function ld(field: number, body: Bytes | string): Bytes {
  const bytes = typeof body === 'string' ? [...new TextEncoder().encode(body)] : body;
  return [...tag(field, 2), ...varint(bytes.length), ...bytes];
}

export function fixed64(field: number, n: bigint): Bytes {
  const out = tag(field, 1);
  for (let i = 0n; i < 8n; i++) out.push(Number((BigInt.asUintN(64, n) >> (8n * i)) & 0xffn));
  return out;
}

export function double(field: number, n: number): Bytes {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, n, true);
  return [...tag(field, 1), ...b];
}

export function fixed32(field: number, n: number): Bytes {
  const out = tag(field, 5);
  for (let i = 0; i < 4; i++) out.push((n >>> (8 * i)) & 0xff);
  return out;
}

export const vfield = (field: number, n: number | bigint): Bytes => [
  ...tag(field, 0),
  ...varint(n),
];

export const bytes = (...parts: Bytes[]): Uint8Array => new Uint8Array(parts.flat());

/** ExportTraceServiceRequest{resource_spans{scope_spans{spans: span}}} around a Span body. */
export function traceRequestWithSpan(span: Bytes): Uint8Array {
  return bytes(ld(1, ld(2, ld(2, span))));
}

/** ExportLogsServiceRequest around a LogRecord body. */
export function logsRequestWithRecord(record: Bytes): Uint8Array {
  return bytes(ld(1, ld(2, ld(2, record))));
}

/** A LogRecord whose body is the AnyValue `anyValue`. */
export const bodyRecord = (anyValue: Bytes): Uint8Array => logsRequestWithRecord(ld(5, anyValue));
