/**
 * The parser: turns a query into a `TraceFilter`, or throws a `QuerySyntaxError` pointing
 * at the first mistake. The grammar and semantics are documented in the package README.
 */
import { addAttribute, addNumbers, addStatus, addStrings, addTime } from './conditions.ts';
import type { KeyTerm, ParseState } from './conditions.ts';
import { fail } from './errors.ts';
import { emptyFilter } from './filter.ts';
import type { TraceFilter } from './filter.ts';
import { attributeKey, attributePrefix, lookupKey, unknownKeyMessage } from './keys.ts';
import type { QueryKey } from './keys.ts';
import { scanTerms, termTokens } from './lexer.ts';
import type { LexTerm, LexValue, Token } from './lexer.ts';

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
  const state: ParseState = {
    filter: emptyFilter(),
    now: options.now,
    utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
    statusSeen: false,
    timeSeen: false,
  };
  for (const term of terms) parseTerm(state, input, term);
  return { filter: state.filter, tokens: termTokens(input, terms) };
}

const UNTERMINATED = 'unterminated quote (add a closing ")';
const STRAY = 'unexpected characters after a closing quote';

function checkQuoted(value: LexValue | undefined): void {
  if (value?.unterminated) fail('unterminated_quote', UNTERMINATED, value);
}

function parseTerm(state: ParseState, input: string, term: LexTerm): void {
  const [negation, second] = term.negations;
  if (second) fail('double_negation', 'double negation (use one - or NOT)', second);
  if (term.text) {
    checkQuoted(term.text);
    if (term.stray) fail('unexpected_character', STRAY, term.stray);
    if (term.text.quoted && term.text.value === '') {
      fail('empty_text', 'empty quoted text', term.text);
    }
    state.filter.text.push({ text: term.text.value, negated: negation !== undefined });
  } else if (term.key) {
    addKeyTerm(state, checkKeyTerm(input, term));
  } else if (negation) {
    fail(
      'dangling_negation',
      negation.word
        ? 'NOT must be followed by a term, e.g. NOT service:auth'
        : "'-' must be directly followed by a term, e.g. -service:auth",
      negation,
    );
  }
}

/** Resolves the key of a `key:value` term and checks what every key has in common. */
function checkKeyTerm(input: string, term: LexTerm): KeyTerm & { attribute?: string } {
  const key = term.key;
  if (!key) throw new Error('checkKeyTerm needs a key term');
  const label = input.slice(key.start, key.end);
  if (key.unterminated) fail('unterminated_quote', UNTERMINATED, key);
  if (term.colon === undefined) fail('missing_colon', `expected ':' after ${label}`, key);
  if (key.name === '') {
    fail('missing_key', "missing key before ':'", { start: term.colon, end: term.colon + 1 });
  }
  const prefix = attributePrefix(key.name);
  const spec: QueryKey | undefined = prefix ? attributeKey(prefix.scope) : lookupKey(key.name);
  if (!spec) fail('unknown_key', unknownKeyMessage(key.name), key);
  if (prefix && key.name.length === prefix.length) {
    fail('missing_key', `missing attribute name after '${label}'`, key);
  }
  for (const alternative of term.alternatives) {
    checkQuoted(alternative.low);
    checkQuoted(alternative.high);
  }
  if (term.stray) fail('unexpected_character', STRAY, term.stray);
  const negation = term.negations[0];
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
  const checked = { term, spec, label, negated: negation !== undefined };
  return prefix ? { ...checked, attribute: key.name.slice(prefix.length) } : checked;
}

function addKeyTerm(state: ParseState, keyTerm: KeyTerm & { attribute?: string }): void {
  const { term, spec } = keyTerm;
  const first = term.alternatives[0];
  if (!first) return;
  switch (spec.valueKind) {
    case 'string':
    case 'kind':
      return addStrings(state, keyTerm);
    case 'attribute':
      return addAttribute(state, keyTerm, keyTerm.attribute ?? '', first.low);
    case 'status':
      return addStatus(state, keyTerm, first.low);
    case 'duration':
    case 'integer':
      return addNumbers(state, keyTerm, first);
    case 'time':
      return addTime(state, keyTerm, first);
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
