import { describe, expect, it } from 'vitest';
import { emptyFilter } from './filter.ts';
import type { TraceFilter } from './filter.ts';
import { tokenize } from './lexer.ts';
import { parseQuery } from './parser.ts';

const NOW = Date.UTC(2026, 10, 5, 12, 0, 0);
const S = 1_000_000_000;

function parse(input: string, utcOffsetMinutes?: number): TraceFilter {
  const options = utcOffsetMinutes === undefined ? { now: NOW } : { now: NOW, utcOffsetMinutes };
  return parseQuery(input, options).filter;
}

function filter(parts: Partial<TraceFilter>): TraceFilter {
  return { ...emptyFilter(), ...parts };
}

describe('parseQuery', () => {
  it('parses the example query', () => {
    const query =
      'service:checkout status:error duration:>1s model:gpt-4o user:alice attr.env:prod "free text" time:last-1h';
    expect(parse(query)).toStrictEqual({
      strings: [
        { field: 'service', values: ['checkout'], negated: false },
        { field: 'model', values: ['gpt-4o'], negated: false },
        { field: 'user', values: ['alice'], negated: false },
      ],
      attributes: [{ scope: 'span', key: 'env', value: 'prod', negated: false }],
      numbers: [{ field: 'duration', op: '>', value: S }],
      text: [{ text: 'free text', negated: false }],
      status: 'error',
      time: { from: NOW - 3_600_000, to: NOW },
    });
  });

  it('returns an empty filter for an empty or blank query', () => {
    expect(parse('')).toStrictEqual(emptyFilter());
    expect(parse('  \n ')).toStrictEqual(emptyFilter());
  });

  it('returns the tokens of the query', () => {
    const input = '-model:a,b duration:1s..2s "x"';
    expect(parseQuery(input, { now: NOW }).tokens).toEqual(tokenize(input));
  });

  it.each([
    ['service:a', 'service'],
    ['model:a', 'model'],
    ['provider:a', 'provider'],
    ['user:a', 'user'],
    ['session:a', 'session'],
    ['name:a', 'name'],
    ['operation:a', 'operation'],
    ['op:a', 'operation'],
    ['env:a', 'environment'],
    ['environment:a', 'environment'],
    ['SERVICE:a', 'service'],
    ['Op:a', 'operation'],
  ] as const)('maps %s to the %s field', (query, field) => {
    expect(parse(query)).toStrictEqual(
      filter({ strings: [{ field, values: ['a'], negated: false }] }),
    );
  });

  it('keeps the case of string values', () => {
    expect(parse('service:CheckOut').strings[0]?.values).toEqual(['CheckOut']);
  });

  it('reads alternatives as one condition and repeated keys as several', () => {
    expect(parse('model:gpt-4o,claude-3-5-sonnet model:x')).toStrictEqual(
      filter({
        strings: [
          { field: 'model', values: ['gpt-4o', 'claude-3-5-sonnet'], negated: false },
          { field: 'model', values: ['x'], negated: false },
        ],
      }),
    );
  });

  it('accepts = before a string value', () => {
    expect(parse('service:=a')).toStrictEqual(parse('service:a'));
  });

  it('reads quoted values with escapes', () => {
    expect(parse('name:"chat completion"').strings[0]?.values).toEqual(['chat completion']);
    expect(parse('attr.msg:"a \\"quoted\\" word"').attributes[0]?.value).toBe('a "quoted" word');
    expect(parse('name:"a\\\\b"').strings[0]?.values).toEqual(['a\\b']);
    expect(parse('name:"C:\\path"').strings[0]?.values).toEqual(['C:\\path']);
    expect(parse('model:"a,b",c').strings[0]?.values).toEqual(['a,b', 'c']);
    expect(parse('name:">1s"').strings[0]?.values).toEqual(['>1s']);
  });

  it('accepts an empty quoted value for string and attribute keys', () => {
    expect(parse('operation:""').strings[0]?.values).toEqual(['']);
    expect(parse('attr.x:""').attributes[0]?.value).toBe('');
  });

  it('reads span and resource attributes, keeping the name case', () => {
    expect(parse('attr.http.route:/api ATTR.Env:prod resource.k8s.pod.name:web-1')).toStrictEqual(
      filter({
        attributes: [
          { scope: 'span', key: 'http.route', value: '/api', negated: false },
          { scope: 'span', key: 'Env', value: 'prod', negated: false },
          { scope: 'resource', key: 'k8s.pod.name', value: 'web-1', negated: false },
        ],
      }),
    );
  });

  it('reads quoted attribute names and values containing colons', () => {
    expect(parse('attr."my key:x":v attr.url:http://host:80/a')).toStrictEqual(
      filter({
        attributes: [
          { scope: 'span', key: 'my key:x', value: 'v', negated: false },
          { scope: 'span', key: 'url', value: 'http://host:80/a', negated: false },
        ],
      }),
    );
  });

  describe('free text', () => {
    it('makes each bare word a condition and a quoted phrase one', () => {
      expect(parse('timeout retry "rate limit"')).toStrictEqual(
        filter({
          text: [
            { text: 'timeout', negated: false },
            { text: 'retry', negated: false },
            { text: 'rate limit', negated: false },
          ],
        }),
      );
    });

    it('keeps words that look like other things', () => {
      expect(parse('gpt-4o not NOTE it"s 1s').text.map((t) => t.text)).toEqual([
        'gpt-4o',
        'not',
        'NOTE',
        'it"s',
        '1s',
      ]);
    });

    it('reads a quoted phrase with a colon as text', () => {
      expect(parse('"error: timeout"').text).toEqual([{ text: 'error: timeout', negated: false }]);
    });
  });

  describe('negation', () => {
    it('negates with - or NOT', () => {
      const expected = filter({ strings: [{ field: 'service', values: ['auth'], negated: true }] });
      expect(parse('-service:auth')).toStrictEqual(expected);
      expect(parse('NOT service:auth')).toStrictEqual(expected);
      expect(parse('NOT   service:auth')).toStrictEqual(expected);
    });

    it('negates text, attributes and alternatives', () => {
      expect(parse('-"timeout" NOT retry -attr.x:y -resource.r:s -model:a,b')).toStrictEqual(
        filter({
          strings: [{ field: 'model', values: ['a', 'b'], negated: true }],
          attributes: [
            { scope: 'span', key: 'x', value: 'y', negated: true },
            { scope: 'resource', key: 'r', value: 's', negated: true },
          ],
          text: [
            { text: 'timeout', negated: true },
            { text: 'retry', negated: true },
          ],
        }),
      );
    });

    it('turns -status:error into ok and -status:ok into error', () => {
      expect(parse('-status:error').status).toBe('ok');
      expect(parse('NOT status:ok').status).toBe('error');
    });

    it('inverts negated comparisons', () => {
      expect(parse('-duration:>1s -duration:>=2s -tokens:<10 NOT spans:<=5').numbers).toEqual([
        { field: 'duration', op: '<=', value: S },
        { field: 'duration', op: '<', value: 2 * S },
        { field: 'tokens', op: '>=', value: 10 },
        { field: 'spans', op: '>', value: 5 },
      ]);
    });
  });
});
