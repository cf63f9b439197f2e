import { describe, expect, it } from 'vitest';
import { lookupKey, OPERATION_VALUES, QUERY_KEYS, TIME_PRESETS } from './keys.ts';
import { suggest } from './suggest.ts';

/** Suggests at the `|` in `marked`. */
function at(marked: string) {
  const cursor = marked.indexOf('|');
  return suggest(marked.replace('|', ''), cursor);
}

function keyNames(marked: string): string[] {
  const suggestion = at(marked);
  return suggestion.context === 'key' ? suggestion.keys.map((k) => k.name) : [];
}

describe('suggest: keys', () => {
  it('offers every key at the start of a term', () => {
    expect(at('|')).toEqual({
      context: 'key',
      prefix: '',
      start: 0,
      end: 0,
      keys: [...QUERY_KEYS],
    });
    expect(at('service:a |')).toMatchObject({ context: 'key', prefix: '', start: 10, end: 10 });
    expect(at('a | b')).toMatchObject({ context: 'key', prefix: '', start: 2, end: 2 });
  });

  it('filters keys by name or alias, case-insensitively', () => {
    expect(keyNames('se|')).toEqual(['service', 'session']);
    expect(keyNames('o|')).toEqual(['operation']);
    expect(keyNames('ENV|')).toEqual(['env']);
    expect(keyNames('tr|')).toEqual(['trace']);
    expect(keyNames('a|')).toEqual(['attr']);
    expect(keyNames('xyz|')).toEqual([]);
  });

  it('replaces the whole key or word under the cursor', () => {
    expect(at('ser|vice:x')).toMatchObject({ context: 'key', prefix: 'ser', start: 0, end: 7 });
    expect(at('|service:x')).toMatchObject({ context: 'key', prefix: '', start: 0, end: 7 });
    expect(at('x ti|meout')).toMatchObject({ context: 'key', prefix: 'ti', start: 2, end: 9 });
  });

  it('starts after a negation', () => {
    expect(at('-|')).toMatchObject({ context: 'key', prefix: '', start: 1, end: 1 });
    expect(at('-st|')).toMatchObject({ context: 'key', prefix: 'st', start: 1, end: 3 });
    expect(keyNames('-st|')).toEqual(['status']);
    expect(at('NOT |')).toMatchObject({ context: 'key', prefix: '', start: 4, end: 4 });
    expect(at('NOT|')).toMatchObject({ context: 'key', prefix: 'NOT', start: 0, end: 3, keys: [] });
  });

  it('reports the attribute name typed so far', () => {
    expect(at('attr.ht|')).toEqual({
      context: 'key',
      prefix: 'attr.ht',
      start: 0,
      end: 7,
      keys: [QUERY_KEYS.find((k) => k.name === 'attr')],
      attribute: { scope: 'span', prefix: 'ht' },
    });
    expect(at('-Resource.|')).toMatchObject({
      context: 'key',
      start: 1,
      attribute: { scope: 'resource', prefix: '' },
    });
  });
});

describe('suggest: values', () => {
  it('offers the matching values of a closed set', () => {
    expect(at('status:e|')).toEqual({
      context: 'value',
      key: 'status',
      spec: lookupKey('status'),
      prefix: 'e',
      start: 7,
      end: 8,
      values: ['error'],
      open: false,
    });
    expect(at('status:|')).toMatchObject({ values: ['error', 'ok'], start: 7, end: 7 });
    expect(at('kind:S|')).toMatchObject({ values: ['server'], open: false });
  });

  it('leaves open sets to the server', () => {
    expect(at('model:gpt-4o,cl|')).toMatchObject({
      context: 'value',
      key: 'model',
      prefix: 'cl',
      start: 13,
      end: 15,
      values: [],
      open: true,
    });
    expect(at('environment:p|')).toMatchObject({ key: 'env', prefix: 'p', open: true });
  });

  it('offers common values for operation and time', () => {
    expect(at('op:|')).toMatchObject({ key: 'operation', values: OPERATION_VALUES, open: true });
    expect(at('op:re|')).toMatchObject({ values: ['retrieval', 'reranker'] });
    expect(at('time:|')).toMatchObject({ key: 'time', values: TIME_PRESETS, open: false });
    expect(at('time:l|')).toMatchObject({ values: ['last-15m', 'last-1h', 'last-24h', 'last-7d'] });
    expect(at('time:>|')).toMatchObject({ values: [], operator: '>' });
    expect(at('time:2026-11-01..|')).toMatchObject({ values: [], prefix: '', start: 17 });
  });

  it('replaces the whole value or alternative under the cursor', () => {
    expect(at('service:che|ckout x')).toMatchObject({ prefix: 'che', start: 8, end: 16 });
    expect(at('model:gpt-4o,cl|aude x')).toMatchObject({ prefix: 'cl', start: 13, end: 19 });
    expect(at('model:a,|')).toMatchObject({ prefix: '', start: 8, end: 8 });
    expect(at('model:|,b')).toMatchObject({ prefix: '', start: 6, end: 6 });
  });

  it('decodes a quoted value being typed', () => {
    expect(at('name:"chat com|')).toMatchObject({
      key: 'name',
      prefix: 'chat com',
      start: 5,
      end: 14,
    });
    expect(at('name:"chat com|pletion" x')).toMatchObject({
      prefix: 'chat com',
      start: 5,
      end: 22,
    });
  });

  it('reports comparisons and ranges', () => {
    expect(at('duration:>1|')).toMatchObject({
      key: 'duration',
      operator: '>',
      prefix: '1',
      start: 10,
      values: [],
      open: false,
    });
    expect(at('duration:100ms..2|s')).toMatchObject({ prefix: '2', start: 16, end: 18 });
  });

  it('names the attribute whose values to fetch', () => {
    expect(at('attr.http.route:/a|')).toMatchObject({
      context: 'value',
      key: 'attr.http.route',
      attribute: { scope: 'span', key: 'http.route' },
      prefix: '/a',
      open: true,
    });
    expect(at('RESOURCE."k 8":|')).toMatchObject({
      key: 'resource.k 8',
      attribute: { scope: 'resource', key: 'k 8' },
    });
  });

  it('has nothing to offer for an unknown key', () => {
    expect(at('foo:ba|')).toEqual({
      context: 'value',
      key: 'foo',
      prefix: 'ba',
      start: 4,
      end: 6,
      values: [],
      open: false,
    });
  });
});

describe('suggest: elsewhere', () => {
  it('knows a quoted phrase is free text', () => {
    expect(at('"free te|')).toEqual({ context: 'text', prefix: 'free te', start: 0, end: 8 });
    expect(at('"free| text" x')).toEqual({ context: 'text', prefix: 'free', start: 0, end: 11 });
  });

  it('offers nothing after a stray character', () => {
    expect(at('"a"b|')).toEqual({ context: 'none', prefix: '', start: 4, end: 4 });
  });

  it('clamps the cursor to the input', () => {
    expect(suggest('ser', 99)).toMatchObject({ context: 'key', prefix: 'ser', start: 0, end: 3 });
    expect(suggest('ser', -5)).toMatchObject({ context: 'key', prefix: '', start: 0, end: 3 });
  });
});
