/**
 * The parser: turns a query into a `TraceFilter`, or throws a `QuerySyntaxError` pointing
 * at the first mistake. The grammar and semantics are documented in the package README.
 */
import { readDuration } from './durations.ts';
import { closest } from './distance.ts';
import { QuerySyntaxError } from './errors.ts';
import type { QueryErrorCode } from './errors.ts';
import { emptyFilter } from './filter.ts';
import type { NumberField, NumberOperator, StringField, TraceFilter } from './filter.ts';
import { attributeKey, attributePrefix, lookupKey, unknownKeyMessage } from './keys.ts';
import type { QueryKey } from './keys.ts';
import { scanTerms, termTokens } from './lexer.ts';
import type { LexAlternative, LexTerm, LexValue, Span, Token } from './lexer.ts';
import { readRelativeTime, readTimestamp } from './time.ts';
import type { TimeBounds, TimeResult } from './time.ts';

export interface ParseOptions {
  /** The current time (epoch ms), for relative times such as `time:last-1h`. */
  now: number;
  /**
   * Offset from UTC, in minutes, at which dates, zone-less date-times, `today` and
   * `yesterday` are read. Default 0 (UTC). A browser in UTC+2 passes 120.
   */
  utcOffsetMinutes?: number;
}

export interface ParsedQuery {
  filter: TraceFilter;
  /** The same tokens as `tokenize(input)`. */
  tokens: Token[];
}

/** Longest accepted query, in UTF-16 code units. */
export const MAX_QUERY_LENGTH = 4096;
/** Most terms in one query. */
export const MAX_QUERY_TERMS = 64;

function fail(code: QueryErrorCode, message: string, span: Span): never {
  throw new QuerySyntaxError(code, message, span.start, span.end);
}

const INVERSE: Readonly<Record<NumberOperator, NumberOperator | undefined>> = {
  '>': '<=',
  '>=': '<',
  '<': '>=',
  '<=': '>',
  '=': undefined,
};

interface State {
  input: string;
  options: ParseOptions;
  filter: TraceFilter;
  statusSeen: boolean;
  timeSeen: boolean;
}

/** A key term whose key is known, with the facts every value rule needs. */
interface KeyTerm {
  term: LexTerm;
  spec: QueryKey;
  /** The key as typed, for messages. */
  label: string;
  negated: boolean;
}

/**
 * Parses a query into a trace filter.
 *
 * @example
 * parseQuery('service:checkout status:error duration:>1s', { now: Date.now() }).filter;
 * // { strings: [{ field: 'service', values: ['checkout'], negated: false }],
 * //   attributes: [], numbers: [{ field: 'duration', op: '>', value: 1_000_000_000 }],
 * //   text: [], status: 'error' }
 * @throws QuerySyntaxError at the first mistake, with its `start`/`end` in the input.
 */
export function parseQuery(input: string, options: ParseOptions): ParsedQuery {
  if (input.length > MAX_QUERY_LENGTH) {
    fail(
      'query_too_long',
      `query too long (${input.length} characters; the limit is ${MAX_QUERY_LENGTH})`,
      { start: MAX_QUERY_LENGTH, end: input.length },
    );
  }
  const terms = scanTerms(input);
  const extra = terms[MAX_QUERY_TERMS];
  if (extra) {
    fail(
      'too_many_terms',
      `too many terms (${terms.length}; the limit is ${MAX_QUERY_TERMS})`,
      extra,
    );
  }
  const state: State = {
    input,
    options,
    filter: emptyFilter(),
    statusSeen: false,
    timeSeen: false,
  };
  for (const term of terms) parseTerm(state, term);
  return { filter: state.filter, tokens: termTokens(input, terms) };
}

function checkQuoted(value: LexValue | undefined): void {
  if (value?.unterminated) {
    fail('unterminated_quote', 'unterminated quote (add a closing ")', value);
  }
}

function parseTerm(state: State, term: LexTerm): void {
  const [negation, second] = term.negations;
  if (second) fail('double_negation', 'double negation (use one - or NOT)', second);
  if (negation && !term.key && !term.text) {
    fail(
      'dangling_negation',
      negation.word
        ? 'NOT must be followed by a term, e.g. NOT service:auth'
        : "'-' must be directly followed by a term, e.g. -service:auth",
      negation,
    );
  }
  if (term.text) {
    checkQuoted(term.text);
    if (term.stray) {
      fail('unexpected_character', 'unexpected characters after a closing quote', term.stray);
    }
    if (term.text.quoted && term.text.value === '') {
      fail('empty_text', 'empty quoted text', term.text);
    }
    state.filter.text.push({ text: term.text.value, negated: negation !== undefined });
    return;
  }
  const key = term.key;
  if (!key) return;
  const label = state.input.slice(key.start, key.end);
  if (key.unterminated) fail('unterminated_quote', 'unterminated quote (add a closing ")', key);
  if (term.colon === undefined) fail('missing_colon', `expected ':' after ${label}`, key);
  if (key.name === '') {
    fail('missing_key', "missing key before ':'", { start: term.colon, end: term.colon + 1 });
  }
  const attribute = attributePrefix(key.name);
  const spec = attribute ? attributeKey(attribute.scope) : lookupKey(key.name);
  if (!spec) fail('unknown_key', unknownKeyMessage(key.name), key);
  if (attribute && key.name.length === attribute.length) {
    fail('missing_key', `missing attribute name after '${label}'`, key);
  }
  for (const alternative of term.alternatives) {
    checkQuoted(alternative.low);
    checkQuoted(alternative.high);
  }
  if (term.stray) {
    fail('unexpected_character', 'unexpected characters after a closing quote', term.stray);
  }
  if (negation && !spec.negatable) fail('invalid_negation', `${label} cannot be negated`, negation);
  const operator = term.operator;
  if (operator && operator.op !== '=' && !spec.comparisons) {
    fail(
      'invalid_operator',
      `'${operator.op}' does not apply to ${label}: it matches values exactly` +
        ` (quote the value to match '${operator.op}' literally)`,
      operator,
    );
  }
  const comma = term.commas[0];
  if (comma !== undefined && !spec.alternatives) {
    fail(
      'no_alternatives',
      spec.valueKind === 'attribute'
        ? `${label} takes a single value (quote it to match a comma: "a,b")`
        : `${label} takes a single value, not alternatives`,
      { start: comma, end: comma + 1 },
    );
  }
  checkPresent(term, label);
  const keyTerm: KeyTerm = { term, spec, label, negated: negation !== undefined };
  const only = term.alternatives[0];
  if (!only) return;
  switch (spec.valueKind) {
    case 'string':
    case 'kind':
      return parseStrings(state, keyTerm);
    case 'attribute':
      state.filter.attributes.push({
        scope: attribute?.scope ?? 'span',
        key: key.name.slice(attribute?.length ?? 0),
        value: only.low.value,
        negated: keyTerm.negated,
      });
      return;
    case 'status':
      return parseStatus(state, keyTerm, only.low);
    case 'duration':
    case 'integer':
      return parseNumber(state, keyTerm, only);
    case 'time':
      return parseTime(state, keyTerm, only);
  }
}

/** Every value present: `service:`, `service:a,`, `duration:>` and `1s..` are errors. */
function checkPresent(term: LexTerm, label: string): void {
  term.alternatives.forEach((alternative, index) => {
    const { low, range, high } = alternative;
    if (range && high && (isEmpty(low) || isEmpty(high))) {
      fail('invalid_range', 'incomplete range (write A..B, or use >= or <=)', range);
    }
    if (!isEmpty(low)) return;
    const comma = term.commas[index - 1];
    if (comma !== undefined) {
      fail('missing_value', "missing value after ','", { start: comma, end: comma + 1 });
    }
    if (term.operator) {
      fail('missing_value', `missing value after '${term.operator.op}'`, term.operator);
    }
    const start = term.key?.start ?? low.start;
    fail('missing_value', `missing value after '${label}:'`, { start, end: low.start });
  });
}

function isEmpty(value: LexValue): boolean {
  return !value.quoted && value.start === value.end;
}

const TRACE_ID_RE = /^[0-9a-f]{32}$/i;

function parseStrings(state: State, { term, spec, negated }: KeyTerm): void {
  const values = term.alternatives.map(({ low }) => {
    if (spec.name === 'trace') {
      if (!TRACE_ID_RE.test(low.value)) {
        fail('invalid_value', `invalid trace id '${low.value}' (expected 32 hex characters)`, low);
      }
      return low.value.toLowerCase();
    }
    if (spec.values) return closedValue(low, spec.values, 'span kind');
    return low.value;
  });
  state.filter.strings.push({ field: spec.field as StringField, values, negated });
}

function closedValue(value: LexValue, allowed: readonly string[], what: string): string {
  const lower = value.value.toLowerCase();
  if (allowed.includes(lower)) return lower;
  const guess = closest(lower, allowed);
  const list = `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1] ?? ''}`;
  const hint = guess === undefined ? `use ${list}` : `did you mean '${guess}'?`;
  return fail('invalid_value', `unknown ${what} '${value.value}' (${hint})`, value);
}

function parseStatus(state: State, { term, label, negated }: KeyTerm, value: LexValue): void {
  const status = closedValue(value, ['error', 'ok'], label);
  if (state.statusSeen) fail('duplicate_term', 'only one status term is allowed', term);
  state.statusSeen = true;
  state.filter.status = negated
    ? status === 'error'
      ? 'ok'
      : 'error'
    : (status as 'error' | 'ok');
}

function readNumber(value: LexValue, spec: QueryKey): number {
  if (spec.valueKind === 'duration') {
    const result = readDuration(value.value);
    if (!result.ok) fail('invalid_value', result.message, value);
    return result.ns;
  }
  const count = /^\d+$/.test(value.value) ? Number(value.value) : NaN;
  if (!Number.isSafeInteger(count)) {
    fail(
      'invalid_value',
      `invalid ${spec.name} count '${value.value}' (use a whole number, e.g. 1000)`,
      value,
    );
  }
  return count;
}

function parseNumber(state: State, keyTerm: KeyTerm, alternative: LexAlternative): void {
  const { term, spec, label, negated } = keyTerm;
  const field = spec.field as NumberField;
  const numbers = state.filter.numbers;
  const { low, range, high } = alternative;
  if (range && high) {
    if (term.operator) {
      fail('invalid_operator', 'a range takes no comparison operator', term.operator);
    }
    const from = readNumber(low, spec);
    const to = readNumber(high, spec);
    if (from > to) {
      fail('invalid_range', `empty range: '${low.value}' is more than '${high.value}'`, {
        start: low.start,
        end: high.end,
      });
    }
    if (negated) {
      fail(
        'invalid_negation',
        `a range cannot be negated (terms are ANDed): use ${label}:<${low.value} or ${label}:>${high.value}`,
        term.negations[0] ?? term,
      );
    }
    numbers.push({ field, op: '>=', value: from }, { field, op: '<=', value: to });
    return;
  }
  const value = readNumber(low, spec);
  const op = term.operator?.op ?? '=';
  if (!negated) {
    numbers.push({ field, op, value });
    return;
  }
  const inverse = INVERSE[op];
  if (inverse === undefined) {
    fail(
      'invalid_negation',
      `'${label}:${low.value}' cannot be negated (there is no 'not equal'):` +
        ` use ${label}:<${low.value} or ${label}:>${low.value}`,
      term.negations[0] ?? term,
    );
  }
  numbers.push({ field, op: inverse, value });
}

function timeOf(state: State, value: LexValue, relative: boolean): TimeBounds {
  const offset = state.options.utcOffsetMinutes ?? 0;
  const result: TimeResult =
    (relative ? readRelativeTime(value.value, state.options.now, offset) : undefined) ??
    readTimestamp(value.value, offset);
  if (!result.ok) fail('invalid_value', result.message, value);
  return result.bounds;
}

function parseTime(state: State, { term }: KeyTerm, alternative: LexAlternative): void {
  const { low, range, high } = alternative;
  let from: number | undefined;
  let to: number | undefined;
  if (range && high) {
    if (term.operator) {
      fail('invalid_operator', 'a range takes no comparison operator', term.operator);
    }
    from = timeOf(state, low, false).start;
    to = timeOf(state, high, false).end;
    if (from > to) {
      fail('invalid_range', `empty time range: '${low.value}' is after '${high.value}'`, {
        start: low.start,
        end: high.end,
      });
    }
  } else {
    const op = term.operator?.op ?? '=';
    const bounds = timeOf(state, low, op === '=');
    if (op === '=' || op === '>=') from = bounds.start;
    if (op === '>') from = bounds.end + 1;
    if (op === '=' || op === '<=') to = bounds.end;
    if (op === '<') to = bounds.start - 1;
  }
  if (state.timeSeen) fail('duplicate_term', 'only one time term is allowed', term);
  state.timeSeen = true;
  state.filter.time = from === undefined ? { to } : to === undefined ? { from } : { from, to };
}
