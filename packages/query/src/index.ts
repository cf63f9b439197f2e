/**
 * `@pyflare/query`: the PyFlare trace query language. Pure and dependency-free, shared by
 * the server (`GET /api/v1/traces?q=`) and the web UI (highlighting, autocompletion).
 */
export { emptyFilter, NUMBER_FIELDS, STRING_FIELDS } from './filter.ts';
export type {
  AttributeCondition,
  NumberCondition,
  NumberField,
  NumberOperator,
  StatusValue,
  StringCondition,
  StringField,
  TextCondition,
  TimeRange,
  TraceFilter,
} from './filter.ts';
export { QUERY_ERROR_CODES, QuerySyntaxError } from './errors.ts';
export type { QueryErrorCode } from './errors.ts';
export { MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parseQuery } from './parser.ts';
export type { ParsedQuery, ParseOptions } from './parser.ts';
export { tokenize } from './lexer.ts';
export type { Token, TokenType } from './lexer.ts';
export { OPERATION_VALUES, QUERY_KEYS, SPAN_KINDS, STATUS_VALUES, TIME_PRESETS } from './keys.ts';
export type { QueryKey, ValueKind } from './keys.ts';
export { suggest } from './suggest.ts';
export type {
  KeySuggestion,
  NoSuggestion,
  Suggestion,
  TextSuggestion,
  ValueSuggestion,
} from './suggest.ts';
export { BARE_DURATION_UNIT, formatDuration, parseDuration } from './durations.ts';
export { formatTimestamp } from './time.ts';
export { filterToQuery, formatText, formatValue } from './format.ts';
