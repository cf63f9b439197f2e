/**
 * Autocompletion: what the cursor is in, what to offer, and which characters a chosen
 * suggestion replaces. Closed value sets (status, kind) and common values (time presets,
 * operation kinds) come from the catalog; open sets (services, models, attribute names and
 * values) are the UI's to fetch from the server, using `key`, `attribute` and `prefix`.
 */
import type { NumberOperator } from './filter.ts';
import { attributeKey, attributePrefix, lookupKey, QUERY_KEYS } from './keys.ts';
import type { QueryKey } from './keys.ts';
import { scanTerms, tokenize } from './lexer.ts';
import type { LexTerm, TokenType } from './lexer.ts';

interface Replace {
  /** What is typed between `start` and the cursor (decoded when quoted). */
  prefix: string;
  /** The range a chosen suggestion replaces: the whole key, value or word at the cursor. */
  start: number;
  end: number;
}

export interface KeySuggestion extends Replace {
  context: 'key';
  /** Catalog keys whose name or an alias starts with the prefix (case-insensitive). */
  keys: QueryKey[];
  /** Set when the prefix is `attr.…` or `resource.…`: the attribute name typed so far. */
  attribute?: { scope: 'span' | 'resource'; prefix: string };
}

export interface ValueSuggestion extends Replace {
  context: 'value';
  /** Canonical key (`service`, `env`…), `attr.<name>` / `resource.<name>`, or as typed. */
  key: string;
  /** The catalog entry; absent for an unknown key. */
  spec?: QueryKey;
  attribute?: { scope: 'span' | 'resource'; key: string };
  operator?: NumberOperator;
  /** Catalog values starting with the prefix: the closed set, or the common values. */
  values: string[];
  /** True when other values exist that the UI should fetch (string and attribute keys). */
  open: boolean;
}

/** Inside a quoted free-text phrase: nothing to offer. */
export interface TextSuggestion extends Replace {
  context: 'text';
}

/** After characters that belong to no term (`"a"b`). */
export interface NoSuggestion extends Replace {
  context: 'none';
}

export type Suggestion = KeySuggestion | ValueSuggestion | TextSuggestion | NoSuggestion;

function startsWith(candidate: string, prefix: string): boolean {
  return candidate.toLowerCase().startsWith(prefix.toLowerCase());
}

function keySuggestion(prefix: string, start: number, end: number): KeySuggestion {
  const attribute = attributePrefix(prefix);
  if (attribute) {
    return {
      context: 'key',
      prefix,
      start,
      end,
      keys: [attributeKey(attribute.scope)],
      attribute: { scope: attribute.scope, prefix: prefix.slice(attribute.length) },
    };
  }
  const keys = QUERY_KEYS.filter((key) =>
    [key.name, ...key.aliases].some((name) => startsWith(name, prefix)),
  );
  return { context: 'key', prefix, start, end, keys };
}

function valueSuggestion(term: LexTerm, start: number, end: number): ValueSuggestion {
  const name = term.key?.name ?? '';
  const alternative = term.alternatives[term.alternatives.length - 1];
  const current = alternative?.high ?? alternative?.low;
  const prefix = current?.value ?? '';
  const operator = term.operator?.op;
  const scope = attributePrefix(name);
  if (scope) {
    const key = name.slice(scope.length);
    const canonical = `${scope.scope === 'span' ? 'attr' : 'resource'}.${key}`;
    return {
      context: 'value',
      key: canonical,
      spec: attributeKey(scope.scope),
      attribute: { scope: scope.scope, key },
      ...(operator ? { operator } : {}),
      prefix,
      start,
      end,
      values: [],
      open: true,
    };
  }
  const spec = lookupKey(name);
  const inRange = alternative?.high !== undefined;
  const offered =
    spec?.valueKind === 'time' && (operator !== undefined || inRange)
      ? []
      : (spec?.values ?? spec?.suggestedValues ?? []);
  return {
    context: 'value',
    key: spec?.name ?? name,
    ...(spec ? { spec } : {}),
    ...(operator ? { operator } : {}),
    prefix,
    start,
    end,
    values: offered.filter((value) => startsWith(value, prefix)),
    open: spec?.valueKind === 'string',
  };
}

/**
 * What to suggest at `cursor` (an offset into `input`). The context comes from the text
 * before the cursor; the replacement range runs on to the end of the key, value or word
 * the cursor is in, so accepting a suggestion in the middle of a word replaces the word.
 *
 * @example
 * suggest('status:e', 8);
 * // { context: 'value', key: 'status', prefix: 'e', start: 7, end: 8, values: ['error'], … }
 */
export function suggest(input: string, cursor: number): Suggestion {
  const at = Math.max(0, Math.min(cursor, input.length));
  const terms = scanTerms(input.slice(0, at));
  const tokens = tokenize(input);
  const endFrom = (start: number, types: readonly TokenType[]): number => {
    const token = tokens.find((t) => t.start === start && types.includes(t.type));
    return Math.max(at, token?.end ?? at);
  };
  const term = terms[terms.length - 1];
  if (!term || term.end < at) return keySuggestion('', at, endFrom(at, ['key', 'text']));
  if (term.stray) return { context: 'none', prefix: '', start: at, end: at };
  if (term.text) {
    const { start, value, quoted } = term.text;
    if (quoted) return { context: 'text', prefix: value, start, end: endFrom(start, ['text']) };
    return keySuggestion(value, start, endFrom(start, ['key', 'text']));
  }
  if (term.key && term.colon === undefined) {
    return keySuggestion(term.key.name, term.key.start, endFrom(term.key.start, ['key']));
  }
  if (term.key) {
    const alternative = term.alternatives[term.alternatives.length - 1];
    const start = (alternative?.high ?? alternative?.low)?.start ?? at;
    return valueSuggestion(term, start, endFrom(start, ['value']));
  }
  const negation = term.negations[term.negations.length - 1];
  if (negation?.word)
    return keySuggestion('NOT', negation.start, endFrom(negation.start, ['negation']));
  return keySuggestion('', at, endFrom(at, ['key', 'text']));
}
