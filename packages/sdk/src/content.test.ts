import { describe, expect, it } from 'vitest';
import { toText } from './content.ts';

describe('toText', () => {
  class Point {
    constructor(
      public x: number,
      public y: number,
    ) {}
  }

  it.each([
    ['plain messages', [{ role: 'user', parts: [{ type: 'text', content: 'hi "there"' }] }]],
    ['nested objects and nulls', { a: { b: [1, null, true, 'x'] }, c: undefined }],
    ['a class instance', new Point(1, 2)],
    ['a Date (toJSON)', { at: new Date(0) }],
    ['a Map (no own keys)', { m: new Map([[1, 2]]) }],
  ])('%s: the same JSON as JSON.stringify', (_name, value) => {
    expect(toText(value)).toBe(JSON.stringify(value));
  });

  it('writes bigints as strings and byte arrays as their length, at any depth', () => {
    expect(toText({ n: 12n, deep: [{ bytes: new Uint8Array(3) }] })).toBe(
      '{"n":"12","deep":[{"bytes":"[3 bytes]"}]}',
    );
    // A Buffer has toJSON, which JSON.stringify calls before the replacer sees the bytes.
    expect(toText([Buffer.from('ab')])).toBe('[{"type":"Buffer","data":[97,98]}]');
  });

  it('applies the replacer to what toJSON returns', () => {
    expect(toText({ v: { toJSON: () => 5n } })).toBe('{"v":"5"}');
  });

  it('falls back to String() for what JSON cannot write', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toText(cyclic)).toBe('[object Object]');
    expect(toText('text')).toBe('text');
    expect(toText(undefined)).toBe('');
  });
});
