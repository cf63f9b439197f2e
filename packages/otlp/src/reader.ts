import { OtlpDecodeError } from './errors.ts';
import { hexOf } from './hex.ts';
import { CACHED_STRING, cachedString, utf8 } from './string-cache.ts';
import type { DecodeLimits } from './types.ts';
import { I32, I64, LEN, VARINT } from './wire.ts';

/**
 * Protobuf wire-format reader for the OTLP decoders. This is the ingest hot path and is
 * written for speed: no allocation per field beyond the decoded values themselves,
 * single-byte fast paths for tags and lengths, a cache for short strings.
 *
 * Safety: every read is checked against `end`, the end of the message being decoded,
 * so a length can never reach past its parent; every length is checked against the
 * bytes remaining before anything is allocated for it. Errors are `OtlpDecodeError`s
 * that name the problem, the byte offset and the message being read.
 */

const TWO_32 = 4294967296;
/** Records allowed beyond the per-byte budget, so that tiny requests are never refused. */
const RECORD_ALLOWANCE = 64;

export class Reader {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  /** Offset of the next byte to read. */
  pos = 0;
  /** End (exclusive) of the message being decoded. */
  end: number;
  /** Name of the message being decoded, for error messages. */
  msg: string;
  /** Current AnyValue array / kvlist nesting. */
  anyDepth = 0;
  readonly maxDepth: number;
  private readonly ends: number[] = [];
  private readonly msgs: string[] = [];
  private top = 0;

  /** Records decoded so far, and how many the input size allows (see `record`). */
  private records = 0;
  private readonly maxRecords: number;
  private readonly bytesPerRecord: number;

  constructor(buf: Uint8Array, root: string, limits: DecodeLimits) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.end = buf.length;
    this.msg = root;
    this.maxDepth = limits.maxDepth;
    this.bytesPerRecord = limits.bytesPerRecord;
    this.maxRecords = Math.floor(buf.length / limits.bytesPerRecord) + RECORD_ALLOWANCE;
  }

  /** Throws an `OtlpDecodeError` naming the problem, the offset and the current message. */
  fail(problem: string, at: number = this.pos): never {
    throw new OtlpDecodeError(`${problem} at offset ${at} in ${this.msg}`, { offset: at });
  }

  /** Reads the length of an embedded message and makes it the current message. */
  open(name: string): void {
    const len = this.length(name);
    const t = this.top++;
    this.ends[t] = this.end;
    this.msgs[t] = this.msg;
    this.end = this.pos + len;
    this.msg = name;
  }

  /** Returns to the parent message; the loop `while (r.pos < r.end)` left pos at end. */
  close(): void {
    const t = --this.top;
    this.end = this.ends[t]!;
    this.msg = this.msgs[t]!;
  }

  /**
   * Like `open`, for a message that is a record (an object with an attribute map, or a
   * span / data point / log record): counted against the budget of `bytesPerRecord`, so
   * that memory stays within a small multiple of the input size however it is built.
   */
  openRecord(name: string): void {
    this.open(name);
    if (++this.records > this.maxRecords) {
      this.fail(`more than one record per ${this.bytesPerRecord} bytes of input`);
    }
  }

  /** Enters one more AnyValue array / kvlist level, failing beyond `maxDepth`. */
  deeper(): void {
    if (++this.anyDepth > this.maxDepth) {
      this.fail(`AnyValue nesting deeper than the limit of ${this.maxDepth}`);
    }
  }

  /** Reads a tag: `(field_number << 3) | wire_type`. */
  tag(): number {
    const b = this.buf[this.pos]!;
    if (b >= 8 && b < 0x80) {
      this.pos++;
      return b;
    }
    const start = this.pos;
    const t = this.varint32();
    if (t >>> 3 === 0) this.fail('invalid field number 0', start);
    return t;
  }

  /** Reads a varint and returns its low 32 bits as an unsigned number (uint32, enum, int32). */
  varint32(): number {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let pos = start;
    if (pos >= end) this.fail('truncated varint', start);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let v = b & 0x7f;
    for (let shift = 7; shift < 28; shift += 7) {
      if (pos >= end) this.fail('truncated varint', start);
      b = buf[pos++]!;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return v >>> 0;
      }
    }
    if (pos >= end) this.fail('truncated varint', start);
    b = buf[pos++]!;
    v = (v | ((b & 0x0f) << 28)) >>> 0;
    // Bytes 6 to 10 only carry bits 32 to 63: consumed and dropped.
    for (let i = 4; b >= 0x80; i++) {
      if (i === 9) this.fail('varint longer than 10 bytes', start);
      if (pos >= end) this.fail('truncated varint', start);
      b = buf[pos++]!;
    }
    this.pos = pos;
    return v;
  }

  /** Reads a varint as an unsigned number, exact below 2^53 (uint64 counts, lengths). */
  varintNumber(): number {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let pos = start;
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.fail('truncated varint', start);
      const b = buf[pos++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      scale *= 128;
    }
    return this.fail('varint longer than 10 bytes', start);
  }

  /** Reads an int64 varint: a number when it is a safe integer, else a bigint. */
  int64(): number | bigint {
    const buf = this.buf;
    const end = this.end;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let b: number;
    for (let i = 0; i < 4; i++) {
      if (pos >= end) this.fail('truncated varint', start);
      b = buf[pos++]!;
      lo |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        this.pos = pos;
        return lo;
      }
    }
    if (pos >= end) this.fail('truncated varint', start);
    b = buf[pos++]!;
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    let hi = (b & 0x7f) >> 4;
    for (let i = 0; b >= 0x80; i++) {
      if (i === 5) this.fail('varint longer than 10 bytes', start);
      if (pos >= end) this.fail('truncated varint', start);
      b = buf[pos++]!;
      hi |= (b & 0x7f) << (7 * i + 3);
    }
    this.pos = pos;
    hi |= 0; // two's complement: the sign lives in bit 31 of hi
    if (hi >= -0x200000 && hi < 0x200000) {
      const n = hi * TWO_32 + lo;
      if (Number.isSafeInteger(n)) return n;
    }
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo));
  }

  /** Reads a bool varint: true when any of its bits is set. */
  bool(): boolean {
    const buf = this.buf;
    const b = buf[this.pos]!;
    if (this.pos < this.end && b < 0x80) {
      this.pos++;
      return b !== 0;
    }
    return this.varintNumber() !== 0;
  }

  /** Reads a zigzag-encoded sint32. */
  sint32(): number {
    const n = this.varint32();
    return (n >>> 1) ^ -(n & 1);
  }

  private need(n: number): number {
    const pos = this.pos;
    if (this.end - pos < n) this.fail(`truncated ${n}-byte fixed field`);
    this.pos = pos + n;
    return pos;
  }

  fixed32(): number {
    const p = this.need(4);
    const buf = this.buf;
    return (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
  }

  /** fixed64 as bigint (timestamps). */
  fixed64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  /** fixed64 as a number, exact below 2^53 (counts). */
  fixed64Number(): number {
    const p = this.need(8);
    return this.view.getUint32(p, true) + this.view.getUint32(p + 4, true) * TWO_32;
  }

  /** sfixed64 as a number, exact within ±2^53. */
  sfixed64Number(): number {
    const p = this.need(8);
    return this.view.getUint32(p, true) + this.view.getInt32(p + 4, true) * TWO_32;
  }

  double(): number {
    return this.view.getFloat64(this.need(8), true);
  }

  /** Reads the length of a length-delimited field and checks it fits in the current message. */
  length(what = 'length-delimited field'): number {
    const start = this.pos;
    const b = this.buf[start]!;
    let len: number;
    if (start < this.end && b < 0x80) {
      this.pos = start + 1;
      len = b;
    } else {
      len = this.varintNumber();
    }
    if (len > this.end - this.pos) this.fail(`truncated ${what} (length ${len})`, start);
    return len;
  }

  /** A string field. */
  string(): string {
    const len = this.length();
    const start = this.pos;
    this.pos = start + len;
    if (len === 0) return '';
    if (len > CACHED_STRING) return utf8.decode(this.buf.subarray(start, start + len));
    return cachedString(this.buf, this.view, start, len, false);
  }

  /** A string used as an attribute key: like `string()`, but kept internalized when cached. */
  key(): string {
    const len = this.length();
    const start = this.pos;
    this.pos = start + len;
    if (len === 0) return '';
    if (len > CACHED_STRING) return utf8.decode(this.buf.subarray(start, start + len));
    return cachedString(this.buf, this.view, start, len, true);
  }

  /** A bytes field holding an id, as lowercase hex. */
  id(): string {
    const len = this.length();
    const start = this.pos;
    this.pos = start + len;
    return hexOf(this.buf, start, start + len);
  }

  /** A bytes field, copied (the result does not pin the input buffer). */
  bytes(): Uint8Array {
    const len = this.length();
    const start = this.pos;
    this.pos = start + len;
    // Not buf.slice(): on a Node Buffer that is a view of the input, not a copy.
    const out = new Uint8Array(len);
    out.set(this.buf.subarray(start, start + len));
    return out;
  }

  /** Skips the value of an unknown field (or of a known field with an unexpected wire type). */
  skip(tag: number): void {
    switch (tag & 7) {
      case VARINT:
        this.varintNumber();
        return;
      case I64:
        this.need(8);
        return;
      case LEN: {
        const len = this.length(); // (not `this.pos += this.length()`: pos is read first)
        this.pos += len;
        return;
      }
      case I32:
        this.need(4);
        return;
      case 3:
      case 4:
        return this.fail(`unsupported group (wire type ${tag & 7}) for field ${tag >>> 3}`);
      default:
        return this.fail(`invalid wire type ${tag & 7} for field ${tag >>> 3}`);
    }
  }

  /**
   * Packed (or, as parsers must also accept, unpacked) repeated fixed64 / double.
   * A packed run is sized from its byte length, already checked against the input.
   */
  repeated64(tag: number, out: number[], kind: 'fixed64' | 'double'): void {
    if ((tag & 7) === I64) {
      out.push(kind === 'double' ? this.double() : this.fixed64Number());
      return;
    }
    if ((tag & 7) !== LEN) return this.skip(tag);
    const len = this.length();
    if (len % 8 !== 0) this.fail(`packed ${kind} run of ${len} bytes is not a multiple of 8`);
    const end = this.pos + len;
    const view = this.view;
    if (kind === 'double') {
      for (let p = this.pos; p < end; p += 8) out.push(view.getFloat64(p, true));
    } else {
      for (let p = this.pos; p < end; p += 8) {
        out.push(view.getUint32(p, true) + view.getUint32(p + 4, true) * TWO_32);
      }
    }
    this.pos = end;
  }

  /** Packed (or unpacked) repeated uint64 varints, as numbers. */
  repeatedVarint(tag: number, out: number[]): void {
    if ((tag & 7) === VARINT) {
      out.push(this.varintNumber());
      return;
    }
    if ((tag & 7) !== LEN) return this.skip(tag);
    const len = this.length();
    const outer = this.end;
    this.end = this.pos + len;
    while (this.pos < this.end) out.push(this.varintNumber());
    this.end = outer;
  }
}
