/**
 * Printing filters back in the query language: `filterToQuery` is the inverse of
 * `parseQuery` (parsing its output gives the same filter), so a filter built from URL
 * parameters can be shown in, and edited from, the search box.
 */
import { formatDuration } from './durations.ts';
import type {
  AttributeCondition,
  NumberCondition,
  StringCondition,
  TextCondition,
  TraceFilter,
} from './filter.ts';
import { QUERY_KEYS } from './keys.ts';
import { formatTimestamp } from './time.ts';

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * A value as it must be written after `key:`: bare when that reads back as the same value,
 * otherwise double-quoted with `\"` and `\\` escapes.
 *
 * @example
 * formatValue('gpt-4o'); // 'gpt-4o'
 * formatValue('chat completion'); // '"chat completion"'
 */
export function formatValue(value: string): string {
  return value === '' || /[\s",]|^[<>=]/.test(value) || value.includes('..') ? quote(value) : value;
}

/** Free text as a term: a bare word when that reads back as the same text, else a phrase. */
export function formatText(text: string): string {
  const bare = /^[^\s":-][^\s":]*$/.test(text) && text !== 'NOT';
  return bare ? text : quote(text);
}

const KEY_NAMES = new Map<string, string>();
for (const key of QUERY_KEYS) if (key.field) KEY_NAMES.set(key.field, key.name);

function sign(negated: boolean): string {
  return negated ? '-' : '';
}

function stringTerm(condition: StringCondition): string {
  if (condition.values.length === 0) {
    throw new RangeError(`filterToQuery: the ${condition.field} condition has no values`);
  }
  const key = KEY_NAMES.get(condition.field) ?? condition.field;
  return `${sign(condition.negated)}${key}:${condition.values.map(formatValue).join(',')}`;
}

function attributeTerm(condition: AttributeCondition): string {
  const prefix = condition.scope === 'span' ? 'attr.' : 'resource.';
  const key = /^[^\s":]+$/.test(condition.key) ? condition.key : quote(condition.key);
  return `${sign(condition.negated)}${prefix}${key}:${formatValue(condition.value)}`;
}

function numberTerm(condition: NumberCondition): string {
  const value =
    condition.field === 'duration' ? formatDuration(condition.value) : String(condition.value);
  return `${condition.field}:${condition.op === '=' ? '' : condition.op}${value}`;
}

function textTerm(condition: TextCondition): string {
  return `${sign(condition.negated)}${formatText(condition.text)}`;
}

/**
 * Prints a filter as a query. `parseQuery(filterToQuery(f)).filter` deep-equals `f` for
 * every filter the language can express: numbers are non-negative integers, trace ids are
 * 32 lowercase hex characters, kinds are lowercase, attribute names are not empty, text is
 * not empty, and times lie in the years 0000 to 9999.
 *
 * @example
 * filterToQuery({
 *   ...emptyFilter(),
 *   strings: [{ field: 'model', values: ['gpt-4o', 'claude'], negated: false }],
 *   status: 'error',
 * }); // 'model:gpt-4o,claude status:error'
 */
export function filterToQuery(filter: TraceFilter): string {
  const terms = [
    ...filter.strings.map(stringTerm),
    ...filter.attributes.map(attributeTerm),
    ...filter.numbers.map(numberTerm),
    ...filter.text.map(textTerm),
  ];
  if (filter.status) terms.push(`status:${filter.status}`);
  const from = filter.time?.from;
  const to = filter.time?.to;
  if (from !== undefined && to !== undefined) {
    terms.push(`time:${formatTimestamp(from)}..${formatTimestamp(to)}`);
  } else if (from !== undefined) {
    terms.push(`time:>=${formatTimestamp(from)}`);
  } else if (to !== undefined) {
    terms.push(`time:<=${formatTimestamp(to)}`);
  }
  return terms.join(' ');
}
