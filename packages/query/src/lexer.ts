/**
 * The lexer: splits a query into terms and tokens. It never throws and accepts any input,
 * including half-typed queries, so the UI can highlight while the user types; every
 * mistake is left for the parser to report with its position.
 *
 * Offsets are UTF-16 code units (JavaScript string indices); `end` is exclusive.
 */
import type { NumberOperator } from './filter.ts';
import { attributePrefix, lookupKey } from './keys.ts';

export type TokenType =
  'key' | 'colon' | 'operator' | 'value' | 'text' | 'negation' | 'comma' | 'range' | 'invalid';

export interface Token {
  type: TokenType;
  start: number;
  end: number;
  /** The characters of the input, as typed (quotes and escapes included). */
  text: string;
}

export interface Span {
  start: number;
  end: number;
}

/** A value or a free-text phrase. */
export interface LexValue extends Span {
  /** Decoded: quotes removed, `\"` and `\\` unescaped. */
  value: string;
  quoted: boolean;
  /** A quote opened and never closed (the value runs to the end of the input). */
  unterminated: boolean;
}

/** One comma-separated alternative: a value, or a range `low..high`. */
export interface LexAlternative {
  low: LexValue;
  range?: Span;
  high?: LexValue;
}

export interface LexKey extends Span {
  /** The key with a quoted attribute name decoded: `attr."a b"` gives `attr.a b`. */
  name: string;
  unterminated: boolean;
}

export interface LexNegation extends Span {
  /** `NOT` rather than `-`. */
  word: boolean;
}

export interface LexTerm extends Span {
  negations: LexNegation[];
  /** Set for `key:value` terms (and for a quoted attribute key not followed by `:`). */
  key?: LexKey;
  /** Offset of the `:` after the key. */
  colon?: number;
  operator?: Span & { op: NumberOperator };
  /** At least one for a term with a colon; a missing value is an empty unquoted one. */
  alternatives: LexAlternative[];
  commas: number[];
  /** Set for free-text terms: a bare word or a quoted phrase. */
  text?: LexValue;
  /** Characters glued to a closing quote (`"a"b`), which belong to nothing. */
  stray?: Span;
}

const OPERATORS: readonly NumberOperator[] = ['>=', '<=', '>', '<', '='];
const RANGE_KINDS = new Set(['duration', 'integer', 'time']);

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/.test(ch);
}

function isBoundary(input: string, i: number): boolean {
  return i >= input.length || isSpace(input[i]);
}

/** Reads a quoted string whose opening quote is at `start`. */
function readQuoted(input: string, start: number): LexValue {
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (ch === '"') {
      return { start, end: i + 1, value, quoted: true, unterminated: false };
    }
    if (ch === '\\') {
      const next = input[i + 1];
      if (next === '"' || next === '\\') {
        value += next;
        i += 2;
        continue;
      }
    }
    value += ch;
    i += 1;
  }
  return { start, end: input.length, value, quoted: true, unterminated: true };
}

function unquoted(input: string, start: number, end: number): LexValue {
  return { start, end, value: input.slice(start, end), quoted: false, unterminated: false };
}

function endOfRun(input: string, i: number): number {
  let j = i;
  while (j < input.length && !isSpace(input[j])) j++;
  return j;
}

/** Reads the value part of a key term, from just after the colon. Returns where it ends. */
function readValues(input: string, term: LexTerm, from: number, rangeable: boolean): number {
  let i = from;
  const operator = OPERATORS.find((op) => input.startsWith(op, i));
  if (operator !== undefined) {
    term.operator = { start: i, end: i + operator.length, op: operator };
    i += operator.length;
  }
  for (;;) {
    if (input[i] === '"') {
      const low = readQuoted(input, i);
      term.alternatives.push({ low });
      i = low.end;
    } else {
      const start = i;
      while (i < input.length && !isSpace(input[i]) && input[i] !== ',') i++;
      const dots = rangeable ? input.slice(start, i).indexOf('..') : -1;
      if (dots < 0) {
        term.alternatives.push({ low: unquoted(input, start, i) });
      } else {
        const at = start + dots;
        term.alternatives.push({
          low: unquoted(input, start, at),
          range: { start: at, end: at + 2 },
          high: unquoted(input, at + 2, i),
        });
      }
    }
    if (input[i] !== ',') break;
    term.commas.push(i);
    i += 1;
  }
  if (!isBoundary(input, i)) {
    const end = endOfRun(input, i);
    term.stray = { start: i, end };
    i = end;
  }
  return i;
}

function readBody(input: string, term: LexTerm, from: number): number {
  if (input[from] === '"') {
    const text = readQuoted(input, from);
    term.text = text;
    if (!isBoundary(input, text.end)) {
      term.stray = { start: text.end, end: endOfRun(input, text.end) };
      return term.stray.end;
    }
    return text.end;
  }
  let j = from;
  while (j < input.length && !isSpace(input[j]) && input[j] !== ':' && input[j] !== '"') j++;
  const head = input.slice(from, j);
  let next = j;
  if (input[j] === '"' && attributePrefix(head)?.length === head.length) {
    const quoted = readQuoted(input, j);
    term.key = {
      start: from,
      end: quoted.end,
      name: head + quoted.value,
      unterminated: quoted.unterminated,
    };
    next = quoted.end;
    if (input[next] !== ':') {
      if (!isBoundary(input, next)) {
        term.stray = { start: next, end: endOfRun(input, next) };
        return term.stray.end;
      }
      return next;
    }
  } else if (input[j] === ':') {
    term.key = { start: from, end: j, name: head, unterminated: false };
  } else {
    const end = endOfRun(input, from);
    term.text = unquoted(input, from, end);
    return end;
  }
  term.colon = next;
  const kind = lookupKey(term.key.name)?.valueKind;
  return readValues(input, term, next + 1, kind !== undefined && RANGE_KINDS.has(kind));
}

/** Splits the input into terms; never throws. */
export function scanTerms(input: string): LexTerm[] {
  const terms: LexTerm[] = [];
  let i = 0;
  for (;;) {
    while (isSpace(input[i])) i++;
    if (i >= input.length) return terms;
    const term: LexTerm = { start: i, end: i, negations: [], alternatives: [], commas: [] };
    terms.push(term);
    let body = true;
    for (;;) {
      if (input[i] === '-') {
        term.negations.push({ start: i, end: i + 1, word: false });
        i += 1;
      } else if (input.startsWith('NOT', i) && isBoundary(input, i + 3)) {
        term.negations.push({ start: i, end: i + 3, word: true });
        i += 3;
        let j = i;
        while (isSpace(input[j])) j++;
        if (j < input.length) i = j;
      } else {
        break;
      }
      term.end = i;
      if (isBoundary(input, i)) {
        body = false;
        break;
      }
    }
    if (body) {
      i = readBody(input, term, i);
      term.end = i;
    }
  }
}

function push(tokens: Token[], input: string, type: TokenType, span: Span): void {
  if (span.end > span.start) {
    tokens.push({
      type,
      start: span.start,
      end: span.end,
      text: input.slice(span.start, span.end),
    });
  }
}

/** The tokens of the terms, in input order. */
export function termTokens(input: string, terms: readonly LexTerm[]): Token[] {
  const tokens: Token[] = [];
  for (const term of terms) {
    for (const negation of term.negations) push(tokens, input, 'negation', negation);
    if (term.key) push(tokens, input, 'key', term.key);
    if (term.colon !== undefined) {
      push(tokens, input, 'colon', { start: term.colon, end: term.colon + 1 });
    }
    if (term.operator) push(tokens, input, 'operator', term.operator);
    for (const alternative of term.alternatives) {
      push(tokens, input, 'value', alternative.low);
      if (alternative.range) push(tokens, input, 'range', alternative.range);
      if (alternative.high) push(tokens, input, 'value', alternative.high);
    }
    for (const comma of term.commas) {
      push(tokens, input, 'comma', { start: comma, end: comma + 1 });
    }
    if (term.text) push(tokens, input, 'text', term.text);
    if (term.stray) push(tokens, input, 'invalid', term.stray);
  }
  return tokens.sort((a, b) => a.start - b.start);
}

/**
 * Splits a query into tokens for syntax highlighting. Never throws; accepts partial input
 * (an unterminated quote is a value or text token running to the end). Whitespace is not a
 * token. Mistakes that only the parser sees (an unknown key, a bad duration) are ordinary
 * tokens here: call `parseQuery` for the error and its position.
 *
 * @example
 * tokenize('-service:auth').map((t) => t.type); // ['negation', 'key', 'colon', 'value']
 */
export function tokenize(input: string): Token[] {
  return termTokens(input, scanTerms(input));
}
