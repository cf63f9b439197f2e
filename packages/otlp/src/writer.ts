import { hexToBytes } from './hex.ts';

/**
 * Protobuf wire-format writer for the encoders: one growing buffer; an embedded message
 * or string reserves one byte for its length (`fork`) and moves its content along in
 * the rare case the length needs more (`join`).
 */

const TWO_32 = 4294967296;
const utf8 = new TextEncoder();

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSize = 1024) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** The bytes written so far (a copy trimmed to size). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  tag(field: number, wireType: number): void {
    this.varint(((field << 3) | wireType) >>> 0);
  }

  /** An unsigned varint of a non-negative integer below 2^53. */
  varint(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    while (n >= 128) {
      buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[this.pos++] = n;
  }

  /** An int32 / enum varint: negative values take ten bytes, as the spec says. */
  int32(n: number): void {
    if (n >= 0) this.varint(n);
    else this.int64(n);
  }

  /** An int64 varint (two's complement) from a safe integer or a bigint in int64 range. */
  int64(n: number | bigint): void {
    let lo: number;
    let hi: number;
    if (typeof n === 'bigint') {
      if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new RangeError(`${n} is outside int64`);
      lo = Number(n & 0xffffffffn);
      hi = Number((n >> 32n) & 0xffffffffn);
    } else {
      lo = n >>> 0;
      hi = Math.floor(n / TWO_32) >>> 0;
    }
    this.ensure(10);
    const buf = this.buf;
    while (hi !== 0 || lo >= 128) {
      buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[this.pos++] = lo;
  }

  sint32(n: number): void {
    this.varint(((n << 1) ^ (n >> 31)) >>> 0);
  }

  bool(b: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = b ? 1 : 0;
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.pos += 4;
  }

  /** fixed64 from an unsigned bigint (timestamps). */
  fixed64(n: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, n), true);
    this.pos += 8;
  }

  /** fixed64 from a non-negative safe integer (counts). */
  fixed64Number(n: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.view.setUint32(this.pos + 4, Math.floor(n / TWO_32) >>> 0, true);
    this.pos += 8;
  }

  /** sfixed64 from a safe integer. */
  sfixed64Number(n: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.view.setUint32(this.pos + 4, Math.floor(n / TWO_32) >>> 0, true);
    this.pos += 8;
  }

  double(n: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** Starts a length-delimited value; returns the mark to pass to `join`. */
  fork(): number {
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the length-delimited value started at `mark`, writing its length. */
  join(mark: number): void {
    const len = this.pos - mark - 1;
    const size = varintSize(len);
    if (size > 1) {
      this.ensure(size - 1);
      this.buf.copyWithin(mark + size, mark + 1, this.pos);
      this.pos += size - 1;
    }
    let n = len;
    let p = mark;
    while (n >= 128) {
      this.buf[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[p] = n;
  }

  string(s: string): void {
    const mark = this.fork();
    this.ensure(s.length * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
    this.join(mark);
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A hex id as bytes. @throws RangeError when it is not hex. */
  id(hex: string): void {
    const b = hexToBytes(hex);
    if (b === undefined) throw new RangeError(`cannot encode id ${JSON.stringify(hex)}: not hex`);
    this.bytes(b);
  }
}
