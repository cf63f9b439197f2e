import { describe, expect, it } from 'vitest';
import { emptyFilter, NUMBER_FIELDS, STRING_FIELDS } from './filter.ts';
import type { NumberOperator, TraceFilter } from './filter.ts';
import { filterToQuery, formatText, formatValue } from './format.ts';
import { SPAN_KINDS } from './keys.ts';
import { parseQuery } from './parser.ts';

const NOW = Date.UTC(2026, 10, 5, 12, 0, 0);

function parse(input: string): TraceFilter {
  return parseQuery(input, { now: NOW }).filter;
}

describe('formatValue', () => {
  it('leaves plain values bare', () => {
    expect(formatValue('gpt-4o')).toBe('gpt-4o');
    expect(formatValue('http://x:80/a')).toBe('http://x:80/a');
    expect(formatValue('a\\b')).toBe('a\\b');
  });

  it('quotes what would read differently', () => {
    expect(formatValue('')).toBe('""');
    expect(formatValue('chat completion')).toBe('"chat completion"');
    expect(formatValue('a,b')).toBe('"a,b"');
    expect(formatValue('>1s')).toBe('">1s"');
    expect(formatValue('=x')).toBe('"=x"');
    expect(formatValue('1..2')).toBe('"1..2"');
    expect(formatValue('say "hi"')).toBe('"say \\"hi\\""');
    expect(formatValue('a "b\\')).toBe('"a \\"b\\\\"');
  });
});

describe('formatText', () => {
  it('leaves plain words bare and quotes the rest', () => {
    expect(formatText('timeout')).toBe('timeout');
    expect(formatText('gpt-4o')).toBe('gpt-4o');
    expect(formatText('rate limit')).toBe('"rate limit"');
    expect(formatText('error:x')).toBe('"error:x"');
    expect(formatText('-x')).toBe('"-x"');
    expect(formatText('NOT')).toBe('"NOT"');
    expect(formatText('it"s')).toBe('"it\\"s"');
  });
});

describe('filterToQuery', () => {
  it('prints nothing for an empty filter', () => {
    expect(filterToQuery(emptyFilter())).toBe('');
  });

  it('prints canonical keys, inverted comparisons and expanded ranges', () => {
    const query =
      'op:chat environment:prod traceid:4BF92F3577B34DA6A3CE929D0E0E4736 -duration:>1s ' +
      'tokens:10..20 NOT "rate limit" -status:error time:2026-11-01..2026-11-01';
    expect(filterToQuery(parse(query))).toBe(
      'operation:chat env:prod trace:4bf92f3577b34da6a3ce929d0e0e4736 duration:<=1s ' +
        'tokens:>=10 tokens:<=20 -"rate limit" status:ok ' +
        'time:2026-11-01T00:00:00Z..2026-11-01T23:59:59.999Z',
    );
  });

  it('prints attributes, quoting names and values when needed', () => {
    const filter: TraceFilter = {
      ...emptyFilter(),
      attributes: [
        { scope: 'span', key: 'http.route', value: '/api/chat', negated: false },
        { scope: 'resource', key: 'my key', value: 'a,b', negated: true },
      ],
    };
    expect(filterToQuery(filter)).toBe('attr.http.route:/api/chat -resource."my key":"a,b"');
  });

  it('prints open-ended time ranges as comparisons', () => {
    const t = Date.UTC(2026, 10, 1, 10);
    expect(filterToQuery({ ...emptyFilter(), time: { from: t } })).toBe(
      'time:>=2026-11-01T10:00:00Z',
    );
    expect(filterToQuery({ ...emptyFilter(), time: { to: t } })).toBe(
      'time:<=2026-11-01T10:00:00Z',
    );
  });

  it('rejects a string condition without values', () => {
    const filter: TraceFilter = {
      ...emptyFilter(),
      strings: [{ field: 'service', values: [], negated: false }],
    };
    expect(() => filterToQuery(filter)).toThrow(RangeError);
  });
});

/** A small deterministic generator (mulberry32), so failures reproduce. */
function generator(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chars = [...'abcXYZ019', ...' \t\n"\\,:.-><=', 'é', 'µ', '😀', 'NOT', '..', 'attr.'];
  const text = (min: number): string => {
    let s = '';
    const length = min + int(8);
    for (let i = 0; i < length; i++) s += pick(chars);
    return s;
  };
  const hex = (): string =>
    Array.from({ length: 32 }, () => pick([...'0123456789abcdef'])).join('');
  const many = <T>(make: () => T): T[] => Array.from({ length: int(4) }, make);
  const numberValue = (field: string): number => {
    if (field !== 'duration') return pick([0, 1, int(1000), int(2 ** 31), Number.MAX_SAFE_INTEGER]);
    const scale = pick([1, 1e3, 1e6, 1e9, 6e10, 3.6e12]);
    return Math.min(Number.MAX_SAFE_INTEGER, int(10_000) * scale + pick([0, 0, int(1000)]));
  };

  return (withTime: boolean): TraceFilter => {
    const filter: TraceFilter = {
      strings: many(() => {
        const field = pick(STRING_FIELDS);
        const value = (): string =>
          field === 'trace' ? hex() : field === 'kind' ? pick(SPAN_KINDS) : text(0);
        return { field, values: Array.from({ length: 1 + int(3) }, value), negated: next() < 0.3 };
      }),
      attributes: many(() => ({
        scope: pick(['span', 'resource'] as const),
        key: text(1),
        value: text(0),
        negated: next() < 0.3,
      })),
      numbers: many(() => {
        const field = pick(NUMBER_FIELDS);
        const op = pick<NumberOperator>(['=', '>', '>=', '<', '<=']);
        return { field, op, value: numberValue(field) };
      }),
      text: many(() => ({ text: text(1), negated: next() < 0.3 })),
    };
    if (next() < 0.5) filter.status = pick(['error', 'ok'] as const);
    if (withTime && next() < 0.7) {
      const from = int(253_402_300_800_000); // up to 9999-12-31
      const to = from + int(10 * 86_400_000);
      const shape = int(3);
      filter.time = shape === 0 ? { from } : shape === 1 ? { to } : { from, to };
    }
    return filter;
  };
}

describe('filterToQuery round trip', () => {
  it('parses back to the same filter, for 3000 generated filters without times', () => {
    const generate = generator(1);
    for (let i = 0; i < 3000; i++) {
      const filter = generate(false);
      const query = filterToQuery(filter);
      expect(parse(query), query).toStrictEqual(filter);
    }
  });

  it('parses back to the same filter with time ranges too', () => {
    const generate = generator(2);
    for (let i = 0; i < 1000; i++) {
      const filter = generate(true);
      const query = filterToQuery(filter);
      expect(parse(query), query).toStrictEqual(filter);
    }
  });

  it('prints any parsed query back to an equivalent query', () => {
    const pieces = ['service:', 'model:', 'duration:', 'tokens:', 'spans:', 'time:', 'kind:'];
    pieces.push('attr.a.b:', 'resource.r:', 'status:', '-', 'NOT ', ' ', ' ', ',', '..', '>', '>=');
    pieces.push('<', 'a', 'b c', '"x y"', '"q\\"z"', '1.5s', '250', '10', 'error', 'ok', 'server');
    pieces.push('2026-11-01', '2026-11-01T10:00:00Z', 'last-1h', 'today', 'word', '=');
    let seed = 5;
    let parsed = 0;
    for (let n = 0; n < 20000; n++) {
      let input = '';
      for (let i = 0; i < 6; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        input += pieces[seed % pieces.length];
      }
      let filter: TraceFilter;
      try {
        filter = parse(input);
      } catch {
        continue;
      }
      parsed += 1;
      const printed = filterToQuery(filter);
      expect(parse(printed), `${input} → ${printed}`).toStrictEqual(filter);
    }
    expect(parsed).toBeGreaterThan(1000);
  });
});
