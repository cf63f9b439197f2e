import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from './errors.ts';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parseQuery } from './parser.ts';

const NOW = Date.UTC(2026, 10, 5, 12, 0, 0);
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

interface Failure {
  code: string;
  message: string;
  start: number;
  end: number;
  /** The characters the error points at. */
  at: string;
}

function failure(input: string): Failure {
  try {
    parseQuery(input, { now: NOW });
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    const { code, message, start, end } = error;
    return { code, message, start, end, at: input.slice(start, end) };
  }
  throw new Error(`no error for ${input}`);
}

/** [query, code, the characters pointed at, message] */
type Case = [string, string, string, string];

function check(cases: Case[]): void {
  it.each(cases)('%s → %s at %j', (input, code, at, message) => {
    const result = failure(input);
    expect(result).toMatchObject({ code, at, message });
    expect(input.indexOf(at, result.start)).toBe(result.start);
  });
}

describe('parseQuery errors', () => {
  describe('lexical', () => {
    check([
      [
        'name:"chat completion',
        'unterminated_quote',
        '"chat completion',
        'unterminated quote (add a closing ")',
      ],
      ['a "free text', 'unterminated_quote', '"free text', 'unterminated quote (add a closing ")'],
      [
        'attr."my key',
        'unterminated_quote',
        'attr."my key',
        'unterminated quote (add a closing ")',
      ],
      ['name:"a\\"', 'unterminated_quote', '"a\\"', 'unterminated quote (add a closing ")'],
      ['"a"b', 'unexpected_character', 'b', 'unexpected characters after a closing quote'],
      ['name:"a"b c', 'unexpected_character', 'b', 'unexpected characters after a closing quote'],
      ['""', 'empty_text', '""', 'empty quoted text'],
      [
        '-',
        'dangling_negation',
        '-',
        "'-' must be directly followed by a term, e.g. -service:auth",
      ],
      [
        'a - b',
        'dangling_negation',
        '-',
        "'-' must be directly followed by a term, e.g. -service:auth",
      ],
      [
        'x NOT ',
        'dangling_negation',
        'NOT',
        'NOT must be followed by a term, e.g. NOT service:auth',
      ],
      ['--a', 'double_negation', '-', 'double negation (use one - or NOT)'],
      ['NOT -a', 'double_negation', '-', 'double negation (use one - or NOT)'],
    ]);
  });

  describe('keys', () => {
    check([
      [
        'foo:bar',
        'unknown_key',
        'foo',
        "unknown key 'foo' (the keys are service, model, provider, user, session, name, operation, kind, env, trace, status, duration, tokens, spans, time, attr.<name>, resource.<name>; to search for 'foo:' as text, quote the term)",
      ],
      ['service:a modle:x', 'unknown_key', 'modle', "unknown key 'modle' — did you mean 'model'?"],
      [
        'atr.env:prod',
        'unknown_key',
        'atr.env',
        "unknown key 'atr.env' — did you mean 'attr.env'?",
      ],
      [':x', 'missing_key', ':', "missing key before ':'"],
      ['attr.:x', 'missing_key', 'attr.', "missing attribute name after 'attr.'"],
      [
        'resource."":x',
        'missing_key',
        'resource.""',
        'missing attribute name after \'resource.""\'',
      ],
      ['attr."x" y', 'missing_colon', 'attr."x"', 'expected \':\' after attr."x"'],
    ]);
  });

  describe('values', () => {
    check([
      ['service:', 'missing_value', 'service:', "missing value after 'service:'"],
      ['Model: gpt', 'missing_value', 'Model:', "missing value after 'Model:'"],
      ['service:a,', 'missing_value', ',', "missing value after ','"],
      ['service:a,,b', 'missing_value', ',', "missing value after ','"],
      ['duration:>', 'missing_value', '>', "missing value after '>'"],
      [
        'duration:>fast',
        'invalid_value',
        'fast',
        "invalid duration 'fast' (use e.g. 500ms, 1.5s, 2m)",
      ],
      ['duration:1s..', 'invalid_range', '..', 'incomplete range (write A..B, or use >= or <=)'],
      ['spans:..5', 'invalid_range', '..', 'incomplete range (write A..B, or use >= or <=)'],
      ['duration:2s..1s', 'invalid_range', '2s..1s', "empty range: '2s' is more than '1s'"],
      [
        'duration:1s..2s..3s',
        'invalid_value',
        '2s..3s',
        "invalid duration '2s..3s' (use e.g. 500ms, 1.5s, 2m)",
      ],
      [
        'tokens:1.5',
        'invalid_value',
        '1.5',
        "invalid tokens count '1.5' (use a whole number, e.g. 1000)",
      ],
      [
        'spans:>1k',
        'invalid_value',
        '1k',
        "invalid spans count '1k' (use a whole number, e.g. 1000)",
      ],
      [
        'tokens:99999999999999999',
        'invalid_value',
        '99999999999999999',
        "invalid tokens count '99999999999999999' (use a whole number, e.g. 1000)",
      ],
      ['trace:xyz', 'invalid_value', 'xyz', "invalid trace id 'xyz' (expected 32 hex characters)"],
      [
        `trace:${TRACE_ID},${TRACE_ID}0`,
        'invalid_value',
        `${TRACE_ID}0`,
        `invalid trace id '${TRACE_ID}0' (expected 32 hex characters)`,
      ],
      ['status:bad', 'invalid_value', 'bad', "unknown status 'bad' (use error or ok)"],
      ['status:eror', 'invalid_value', 'eror', "unknown status 'eror' (did you mean 'error'?)"],
      [
        'kind:sever',
        'invalid_value',
        'sever',
        "unknown span kind 'sever' (did you mean 'server'?)",
      ],
      [
        'kind:server,web',
        'invalid_value',
        'web',
        "unknown span kind 'web' (use server, client, internal, producer or consumer)",
      ],
    ]);
  });

  describe('comparisons and alternatives', () => {
    check([
      [
        'service:>a',
        'invalid_operator',
        '>',
        "'>' does not apply to service: it matches values exactly (quote the value to match '>' literally)",
      ],
      [
        'attr.x:<=5',
        'invalid_operator',
        '<=',
        "'<=' does not apply to attr.x: it matches values exactly (quote the value to match '<=' literally)",
      ],
      [
        'status:>error',
        'invalid_operator',
        '>',
        "'>' does not apply to status: it matches values exactly (quote the value to match '>' literally)",
      ],
      ['duration:>1s..2s', 'invalid_operator', '>', 'a range takes no comparison operator'],
      [
        'time:>2026-11-01..2026-11-02',
        'invalid_operator',
        '>',
        'a range takes no comparison operator',
      ],
      ['duration:1s,2s', 'no_alternatives', ',', 'duration takes a single value, not alternatives'],
      ['status:error,ok', 'no_alternatives', ',', 'status takes a single value, not alternatives'],
      [
        'attr.tags:a,b',
        'no_alternatives',
        ',',
        'attr.tags takes a single value (quote it to match a comma: "a,b")',
      ],
    ]);
  });

  describe('negation', () => {
    check([
      [
        '-duration:1s',
        'invalid_negation',
        '-',
        "'duration:1s' cannot be negated (there is no 'not equal'): use duration:<1s or duration:>1s",
      ],
      [
        'NOT tokens:=5',
        'invalid_negation',
        'NOT',
        "'tokens:5' cannot be negated (there is no 'not equal'): use tokens:<5 or tokens:>5",
      ],
      [
        '-duration:1s..2s',
        'invalid_negation',
        '-',
        'a range cannot be negated (terms are ANDed): use duration:<1s or duration:>2s',
      ],
      ['-time:today', 'invalid_negation', '-', 'time cannot be negated'],
    ]);
  });

  describe('time', () => {
    check([
      [
        'time:soon',
        'invalid_value',
        'soon',
        "invalid time 'soon' (use e.g. last-1h, today, 2026-11-01, 2026-11-01T10:00:00Z or A..B)",
      ],
      [
        'time:last-fast',
        'invalid_value',
        'last-fast',
        "invalid relative time 'last-fast' (use e.g. last-30s, last-15m, last-1h, last-7d)",
      ],
      [
        'time:>today',
        'invalid_value',
        'today',
        "invalid time 'today' (use e.g. last-1h, today, 2026-11-01, 2026-11-01T10:00:00Z or A..B)",
      ],
      ['time:2026-02-30', 'invalid_value', '2026-02-30', "invalid date '2026-02-30' (no such day)"],
      [
        'time:2026-11-02..2026-11-01',
        'invalid_range',
        '2026-11-02..2026-11-01',
        "empty time range: '2026-11-02' is after '2026-11-01'",
      ],
      [
        'time:today,yesterday',
        'no_alternatives',
        ',',
        'time takes a single value, not alternatives',
      ],
    ]);
  });

  describe('terms allowed once', () => {
    check([
      ['status:error status:ok', 'duplicate_term', 'status:ok', 'only one status term is allowed'],
      [
        'status:ok -status:error',
        'duplicate_term',
        '-status:error',
        'only one status term is allowed',
      ],
      [
        'time:today x time:last-1h',
        'duplicate_term',
        'time:last-1h',
        'only one time term is allowed',
      ],
    ]);
  });

  it('reports the first mistake', () => {
    expect(failure('foo:x duration:>fast')).toMatchObject({ code: 'unknown_key', at: 'foo' });
    expect(failure('service:a duration:>fast foo:x')).toMatchObject({
      code: 'invalid_value',
      start: 20,
    });
  });

  describe('limits', () => {
    it(`accepts ${MAX_QUERY_LENGTH} characters and rejects more`, () => {
      const exact = 'x'.repeat(MAX_QUERY_LENGTH);
      expect(parseQuery(exact, { now: NOW }).filter.text).toHaveLength(1);
      expect(failure(`${exact}yy`)).toEqual({
        code: 'query_too_long',
        message: 'query too long (4098 characters; the limit is 4096)',
        start: 4096,
        end: 4098,
        at: 'yy',
      });
    });

    it(`accepts ${MAX_QUERY_TERMS} terms and rejects more`, () => {
      const words = Array.from({ length: MAX_QUERY_TERMS + 2 }, (_, i) => `w${i}`);
      expect(
        parseQuery(words.slice(0, MAX_QUERY_TERMS).join(' '), { now: NOW }).filter.text,
      ).toHaveLength(64);
      const input = words.join(' ');
      expect(failure(input)).toEqual({
        code: 'too_many_terms',
        message: 'too many terms (66; the limit is 64)',
        start: input.indexOf('w64'),
        end: input.indexOf('w64') + 3,
        at: 'w64',
      });
    });
  });

  it('throws only QuerySyntaxError, inside the input, on arbitrary input', () => {
    const pieces = ['service', 'duration', 'time', 'attr.x', 'status', ':', '"', '\\', ',', '..'];
    pieces.push('-', 'NOT', ' ', '>', '=', '1s', 'error', 'a', '2026-11-01', 'last-1h', 'kind');
    let seed = 11;
    for (let n = 0; n < 5000; n++) {
      let input = '';
      for (let i = 0; i < 8; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        input += pieces[seed % pieces.length];
      }
      try {
        parseQuery(input, { now: NOW });
      } catch (error) {
        expect(error, input).toBeInstanceOf(QuerySyntaxError);
        const { start, end } = error as QuerySyntaxError;
        expect(start, input).toBeGreaterThanOrEqual(0);
        expect(end, input).toBeLessThanOrEqual(input.length);
        expect(start, input).toBeLessThan(end);
      }
    }
  });
});
