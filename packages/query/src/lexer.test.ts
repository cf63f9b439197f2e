import { describe, expect, it } from 'vitest';
import { scanTerms, tokenize } from './lexer.ts';

/** Tokens as [type, text] pairs, for compact expectations. */
function pairs(input: string): [string, string][] {
  return tokenize(input).map((t) => [t.type, t.text]);
}

describe('tokenize', () => {
  it('returns nothing for empty or blank input', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   \t ')).toEqual([]);
  });

  it('gives offsets into the input, end exclusive, skipping whitespace', () => {
    expect(tokenize('  service:checkout  oops')).toEqual([
      { type: 'key', start: 2, end: 9, text: 'service' },
      { type: 'colon', start: 9, end: 10, text: ':' },
      { type: 'value', start: 10, end: 18, text: 'checkout' },
      { type: 'text', start: 20, end: 24, text: 'oops' },
    ]);
  });

  it('splits negations, operators, alternatives and ranges', () => {
    expect(pairs('-service:auth duration:>=1s model:a,b spans:1..5')).toEqual([
      ['negation', '-'],
      ['key', 'service'],
      ['colon', ':'],
      ['value', 'auth'],
      ['key', 'duration'],
      ['colon', ':'],
      ['operator', '>='],
      ['value', '1s'],
      ['key', 'model'],
      ['colon', ':'],
      ['value', 'a'],
      ['comma', ','],
      ['value', 'b'],
      ['key', 'spans'],
      ['colon', ':'],
      ['value', '1'],
      ['range', '..'],
      ['value', '5'],
    ]);
  });

  it('splits ranges only for keys that take them', () => {
    expect(pairs('name:a..b attr.path:../x')).toEqual([
      ['key', 'name'],
      ['colon', ':'],
      ['value', 'a..b'],
      ['key', 'attr.path'],
      ['colon', ':'],
      ['value', '../x'],
    ]);
  });

  it('keeps quotes and escapes in the token text', () => {
    expect(pairs('name:"chat completion" -"a \\"b\\"" NOT word')).toEqual([
      ['key', 'name'],
      ['colon', ':'],
      ['value', '"chat completion"'],
      ['negation', '-'],
      ['text', '"a \\"b\\""'],
      ['negation', 'NOT'],
      ['text', 'word'],
    ]);
  });

  it('splits a value at the first colon only (URLs, times)', () => {
    expect(pairs('attr.url:http://x:80 time:2026-11-01T00:00:00Z..2026-11-02')).toEqual([
      ['key', 'attr.url'],
      ['colon', ':'],
      ['value', 'http://x:80'],
      ['key', 'time'],
      ['colon', ':'],
      ['value', '2026-11-01T00:00:00Z'],
      ['range', '..'],
      ['value', '2026-11-02'],
    ]);
  });

  it('reads a quoted attribute name as part of the key', () => {
    expect(pairs('attr."my key":v')).toEqual([
      ['key', 'attr."my key"'],
      ['colon', ':'],
      ['value', 'v'],
    ]);
    expect(scanTerms('attr."my key":v')[0]?.key?.name).toBe('attr.my key');
  });

  it('is tolerant of half-typed input', () => {
    expect(pairs('service:')).toEqual([
      ['key', 'service'],
      ['colon', ':'],
    ]);
    expect(pairs('duration:>')).toEqual([
      ['key', 'duration'],
      ['colon', ':'],
      ['operator', '>'],
    ]);
    expect(pairs('model:a,')).toEqual([
      ['key', 'model'],
      ['colon', ':'],
      ['value', 'a'],
      ['comma', ','],
    ]);
    expect(pairs('-')).toEqual([['negation', '-']]);
    expect(pairs('NOT ')).toEqual([['negation', 'NOT']]);
    expect(pairs('name:"chat com')).toEqual([
      ['key', 'name'],
      ['colon', ':'],
      ['value', '"chat com'],
    ]);
    expect(pairs('"open phrase')).toEqual([['text', '"open phrase']]);
  });

  it('marks characters glued to a closing quote as invalid', () => {
    expect(pairs('"a"b name:"x"y z')).toEqual([
      ['text', '"a"'],
      ['invalid', 'b'],
      ['key', 'name'],
      ['colon', ':'],
      ['value', '"x"'],
      ['invalid', 'y'],
      ['text', 'z'],
    ]);
  });

  it('treats NOT as negation only when uppercase and standalone', () => {
    expect(pairs('not NOTE NOT:x')).toEqual([
      ['text', 'not'],
      ['text', 'NOTE'],
      ['key', 'NOT'],
      ['colon', ':'],
      ['value', 'x'],
    ]);
  });

  it('keeps a - inside words and a quote inside a bare word', () => {
    expect(pairs('gpt-4o it"s')).toEqual([
      ['text', 'gpt-4o'],
      ['text', 'it"s'],
    ]);
  });

  it('never throws on arbitrary input', () => {
    const alphabet = ['a', ':', '"', '\\', ',', '.', '-', '>', '=', ' ', 'N', 'O', 'T', 'µ'];
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      let input = '';
      for (let i = 0; i < 12; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        input += alphabet[seed % alphabet.length];
      }
      const tokens = tokenize(input);
      let last = 0;
      for (const token of tokens) {
        expect(token.start).toBeGreaterThanOrEqual(last);
        expect(token.end).toBeGreaterThan(token.start);
        expect(token.text).toBe(input.slice(token.start, token.end));
        last = token.end;
      }
    }
  });
});
