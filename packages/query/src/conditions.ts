/**
 * From a checked key term to filter conditions: the rules of each kind of value (strings,
 * closed sets, status, numbers, times). The parser has already checked the key, the
 * operator, the alternatives and that every value is present.
 */
import { readDuration } from './durations.ts';
import { closest } from './distance.ts';
import { fail } from './errors.ts';
import type {
  NumberField,
  NumberOperator,
  StatusValue,
  StringField,
  TraceFilter,
} from './filter.ts';
import { STATUS_VALUES } from './keys.ts';
import type { QueryKey } from './keys.ts';
import type { LexAlternative, LexTerm, LexValue } from './lexer.ts';
import { readRelativeTime, readTimestamp } from './time.ts';
import type { TimeBounds, TimeResult } from './time.ts';

/** What parsing accumulates across terms. */
export interface ParseState {
  filter: TraceFilter;
  now: number;
  utcOffsetMinutes: number;
  statusSeen: boolean;
  timeSeen: boolean;
}

/** A key term whose key is known, with the facts every value rule needs. */
export interface KeyTerm {
  term: LexTerm;
  spec: QueryKey;
  /** The key as typed, for messages. */
  label: string;
  negated: boolean;
}

const INVERSE: Readonly<Record<NumberOperator, NumberOperator | undefined>> = {
  '>': '<=',
  '>=': '<',
  '<': '>=',
  '<=': '>',
  '=': undefined,
};

const TRACE_ID_RE = /^[0-9a-f]{32}$/i;

export function addStrings(state: ParseState, { term, spec, negated }: KeyTerm): void {
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

const OPPOSITE: Readonly<Record<StatusValue, StatusValue>> = { error: 'ok', ok: 'error' };

export function addStatus(
  state: ParseState,
  { term, label, negated }: KeyTerm,
  value: LexValue,
): void {
  const status = closedValue(value, STATUS_VALUES, label) as StatusValue;
  if (state.statusSeen) fail('duplicate_term', 'only one status term is allowed', term);
  state.statusSeen = true;
  state.filter.status = negated ? OPPOSITE[status] : status;
}

export function addAttribute(
  state: ParseState,
  { spec, negated }: KeyTerm,
  name: string,
  value: LexValue,
): void {
  const scope = spec.name === 'resource' ? 'resource' : 'span';
  state.filter.attributes.push({ scope, key: name, value: value.value, negated });
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

export function addNumbers(state: ParseState, keyTerm: KeyTerm, alternative: LexAlternative): void {
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

function timeOf(state: ParseState, value: LexValue, relative: boolean): TimeBounds {
  const offset = state.utcOffsetMinutes;
  const result: TimeResult =
    (relative ? readRelativeTime(value.value, state.now, offset) : undefined) ??
    readTimestamp(value.value, offset);
  if (!result.ok) fail('invalid_value', result.message, value);
  return result.bounds;
}

export function addTime(state: ParseState, { term }: KeyTerm, alternative: LexAlternative): void {
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
