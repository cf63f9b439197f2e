import { describe, expect, it } from 'vitest';
import { bytes, ld, varint } from '../test/proto-bytes.ts';
import { rng } from '../test/generate.ts';
import { DEFAULT_LIMITS } from './options.ts';
import { Reader } from './reader.ts';

/** Reader primitives against BigInt and TextDecoder references. */

const reader = (b: Uint8Array) => new Reader(b, 'Test', DEFAULT_LIMITS);

describe('Reader', () => {
  it('reads int64 varints exactly: numbers when safe, bigints otherwise', () => {
    const r = rng(1);
    const values: bigint[] = [0n, 1n, -1n, 127n, 128n, 2n ** 31n, -(2n ** 31n), 2n ** 32n];
    values.push(
      2n ** 53n - 1n,
      2n ** 53n,
      -(2n ** 53n) + 1n,
      -(2n ** 53n),
      2n ** 63n - 1n,
      -(2n ** 63n),
    );
    for (let i = 0; i < 2000; i++) {
      const hi = BigInt(Math.floor(r() * 2 ** 32));
      const lo = BigInt(Math.floor(r() * 2 ** 32));
      values.push(BigInt.asIntN(64, (hi << 32n) | lo) >> BigInt(Math.floor(r() * 64)));
    }
    for (const v of values) {
      const expected = v >= -(2n ** 53n) + 1n && v <= 2n ** 53n - 1n ? Number(v) : v;
      const rd = reader(bytes(varint(v)));
      expect(rd.int64(), String(v)).toBe(expected);
      expect(rd.pos).toBe(varint(v).length);
    }
  });

  it('reads the low 32 bits of longer varints for uint32 and enum fields', () => {
    expect(reader(bytes(varint(-1))).varint32() | 0).toBe(-1);
    expect(reader(bytes(varint(2n ** 32n + 5n))).varint32()).toBe(5);
    expect(reader(bytes(varint(0xffffffff))).varint32()).toBe(0xffffffff);
  });

  it('reads uint64 varints as numbers', () => {
    expect(reader(bytes(varint(2n ** 53n))).varintNumber()).toBe(2 ** 53);
    expect(reader(bytes(varint(2n ** 64n - 1n))).varintNumber()).toBe(2 ** 64);
  });

  it('fails on truncated and over-long varints', () => {
    expect(() => reader(bytes([0x80, 0x80])).varint32()).toThrow(
      /truncated varint at offset 0 in Test/,
    );
    expect(() => reader(bytes([...Array(10).fill(0xff), 0x01])).int64()).toThrow(
      /longer than 10 bytes/,
    );
    expect(() => reader(bytes([...Array(10).fill(0xff), 0x01])).varint32()).toThrow(
      /longer than 10 bytes/,
    );
    expect(() => reader(bytes([...Array(10).fill(0xff), 0x01])).varintNumber()).toThrow(
      /longer than 10 bytes/,
    );
  });

  it('decodes strings like TextDecoder, through the string cache and its collisions', () => {
    const r = rng(3);
    const alphabet = ['a', 'b', 'z', '.', '_', '0', 'é', '✓', '😀', '\u0000'];
    const strings: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const len = Math.floor(r() * 60);
      let s = '';
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(r() * (r() < 0.9 ? 6 : 10))];
      strings.push(s, s.slice(1)); // repeats and near-misses
    }
    const input = bytes(...strings.map((s) => ld(1, s)));
    const rd = reader(input);
    const reference = new TextDecoder(); // (a lone surrogate from slice(1) encodes as U+FFFD)
    for (const s of strings) {
      rd.tag();
      expect(rd.string()).toBe(reference.decode(new TextEncoder().encode(s)));
    }
    const bad = reader(bytes(ld(1, [0xc3]), ld(1, [0xc3, 0x28])));
    bad.tag();
    expect(bad.string()).toBe('\ufffd');
    bad.tag();
    expect(bad.key()).toBe('\ufffd(');
  });
});
