import { describe, expect, it } from 'vitest';
import { attributesToJson, flattenAttributes, toPlain, valueToText } from './attributes.ts';
import { typedAttributes } from '../storage/queries/json-columns.ts';
import { MAX_ATTRIBUTE_CHARS, MAX_KEY_CHARS } from './limits.ts';
import { attrs } from './testing/fixtures.ts';

describe('toPlain', () => {
  it('keeps JSON-safe values as they are, without copying', () => {
    const list = ['a', 1, true, null, { k: 'v' }];
    expect(toPlain(list)).toBe(list);
  });

  it('turns int64 beyond 2^53 into decimal strings', () => {
    expect(toPlain(12345678901234567890n)).toBe('12345678901234567890');
    expect(toPlain(-9007199254740993n)).toBe('-9007199254740993');
  });

  it('writes NaN and infinities as strings (JSON has no such numbers)', () => {
    expect(toPlain(NaN)).toBe('NaN');
    expect(toPlain(Infinity)).toBe('Infinity');
    expect(toPlain(-Infinity)).toBe('-Infinity');
    expect(toPlain([1, NaN])).toEqual([1, 'NaN']);
  });

  it('encodes bytes as base64', () => {
    expect(toPlain(new Uint8Array([0, 1, 2, 255]))).toBe('AAEC/w==');
    const buf = new Uint8Array([9, 9, 1, 2, 3]).subarray(2);
    expect(toPlain(buf)).toBe('AQID');
  });

  it('turns kvlists into objects and copies only what changed', () => {
    const inner = attrs({ n: 1n });
    const out = toPlain(attrs({ a: 'x', inner })) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(out))).toEqual({ a: 'x', inner: { n: '1' } });
  });

  it('cuts nesting deeper than the limit with a marker', () => {
    let v: unknown = 'leaf';
    for (let i = 0; i < 200; i++) v = [v];
    const text = JSON.stringify(toPlain(v as never));
    expect(text).toContain('[depth limit]');
    expect(text).not.toContain('leaf');
  });
});

describe('valueToText', () => {
  it('prints scalars and serializes structures', () => {
    expect(valueToText('s')).toBe('s');
    expect(valueToText(true)).toBe('true');
    expect(valueToText(3.5)).toBe('3.5');
    expect(valueToText(null)).toBe('');
    expect(valueToText([1, 'a'])).toBe('[1,"a"]');
    expect(valueToText(attrs({ k: [1] }))).toBe('{"k":[1]}');
  });
});

describe('flattenAttributes', () => {
  it('gives a text map, and the values that are not strings as a typed JSON object', () => {
    const flat = flattenAttributes(
      attrs({ s: 'x', i: 42, d: 1.5, b: false, list: ['a', 'b'], kv: attrs({ n: 1 }), nil: null }),
    );
    expect(flat.map).toEqual({
      s: 'x',
      i: '42',
      d: '1.5',
      b: 'false',
      list: '["a","b"]',
      kv: '{"n":1}',
      nil: '',
    });
    expect(JSON.parse(flat.json)).toEqual({
      i: 42,
      d: 1.5,
      b: false,
      list: ['a', 'b'],
      kv: { n: 1 },
      nil: null,
    });
    expect(typedAttributes(flat.map, flat.json)).toEqual({
      s: 'x',
      i: 42,
      d: 1.5,
      b: false,
      list: ['a', 'b'],
      kv: { n: 1 },
      nil: null,
    });
  });

  it('keeps keys such as __proto__ and constructor as plain data', () => {
    const a = attrs();
    a['__proto__'] = 'p';
    a['constructor'] = 'c';
    a['toString'] = attrs({ __proto__x: 1 });
    const flat = flattenAttributes(a);
    expect(Object.keys(flat.map).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(flat.map['__proto__']).toBe('p');
    expect(Object.getPrototypeOf(flat.map)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(flat.map))).toHaveProperty('__proto__', 'p');
    const json = JSON.parse(flat.json) as Record<string, unknown>;
    expect(Object.hasOwn(json, 'constructor')).toBe(false); // a string: stored in the map only
    expect(Object.keys(json)).toEqual(['toString']);
    const read = typedAttributes(flat.map, flat.json);
    expect(Object.prototype.hasOwnProperty.call(read, '__proto__')).toBe(true);
    expect(read['__proto__']).toBe('p');
    expect(read['constructor']).toBe('c');
    expect(read['toString']).toEqual({ __proto__x: 1 });
  });

  it('truncates long values with a marker giving the original length', () => {
    const long = 'x'.repeat(MAX_ATTRIBUTE_CHARS + 10);
    const flat = flattenAttributes(attrs({ long }));
    const marker = `…[truncated, ${MAX_ATTRIBUTE_CHARS + 10} chars]`;
    expect(flat.map['long']).toBe('x'.repeat(MAX_ATTRIBUTE_CHARS) + marker);
    expect(flat.json).toBe('');
    expect(typedAttributes(flat.map, flat.json)).toEqual({ long: flat.map['long'] });
  });

  it('clips enormous keys', () => {
    const key = 'k'.repeat(MAX_KEY_CHARS * 4);
    const flat = flattenAttributes(attrs({ [key]: 1 }));
    const [stored] = Object.keys(flat.map);
    expect(stored!.length).toBe(MAX_KEY_CHARS);
  });

  it('leaves out skipped keys from both forms', () => {
    const flat = flattenAttributes(attrs({ a: 1, secret: 'prompt', b: 2 }), new Set(['secret']));
    expect(flat.map).toEqual({ a: '1', b: '2' });
    expect(JSON.parse(flat.json)).toEqual({ a: 1, b: 2 });
  });

  it('writes no JSON when every value is a string', () => {
    expect(flattenAttributes(attrs({ 'http.route': '/x', 'url.scheme': 'https' })).json).toBe('');
    expect(flattenAttributes(attrs()).json).toBe('');
  });

  it('reads back rows written before the typed JSON held only non-strings', () => {
    const a = attrs({ 'http.route': '/x', 'http.status_code': 200, ok: true });
    const flat = flattenAttributes(a);
    const before = typedAttributes(flat.map, JSON.stringify(a));
    expect(before).toEqual(typedAttributes(flat.map, flat.json));
    expect(Object.keys(before)).toEqual(['http.route', 'http.status_code', 'ok']);
  });

  it('reads the text map alone when the typed JSON is malformed', () => {
    expect(typedAttributes({ a: '1' }, '{not json')).toEqual({ a: '1' });
    expect(typedAttributes({ a: '1' }, '[1,2]')).toEqual({ a: '1' });
  });

  it('serializes an unchanged map in attributesToJson exactly like JSON.stringify', () => {
    const a = attrs({ 'http.route': '/x', 'http.status_code': 200, ok: true });
    expect(attributesToJson(a)).toBe(JSON.stringify(a));
  });

  it('converts values in attributesToJson the same way', () => {
    expect(JSON.parse(attributesToJson(attrs({ n: NaN, b: 2n ** 64n })))).toEqual({
      n: 'NaN',
      b: '18446744073709551616',
    });
  });
});
