/**
 * The one error type of the query language. Every failure of `parseQuery` (and of the
 * value helpers such as `parseDuration`) is a `QuerySyntaxError` whose `start`/`end` are
 * offsets into the input (UTF-16 code units, `end` exclusive) so the UI can underline the
 * exact characters and the server can report them.
 */

/** Stable codes, one per kind of mistake; the messages may change, the codes do not. */
export const QUERY_ERROR_CODES = [
  'query_too_long',
  'too_many_terms',
  'unterminated_quote',
  'unexpected_character',
  'empty_text',
  'dangling_negation',
  'double_negation',
  'missing_key',
  'missing_colon',
  'unknown_key',
  'missing_value',
  'invalid_value',
  'invalid_operator',
  'invalid_range',
  'no_alternatives',
  'invalid_negation',
  'duplicate_term',
] as const;
export type QueryErrorCode = (typeof QUERY_ERROR_CODES)[number];

export class QuerySyntaxError extends Error {
  override readonly name = 'QuerySyntaxError';
  readonly code: QueryErrorCode;
  /** Offset of the first offending character. */
  readonly start: number;
  /** Offset just past the last offending character. */
  readonly end: number;

  constructor(code: QueryErrorCode, message: string, start: number, end: number) {
    super(message);
    this.code = code;
    this.start = start;
    this.end = end;
  }
}

/** Throws a `QuerySyntaxError` over `span`. */
export function fail(
  code: QueryErrorCode,
  message: string,
  span: { start: number; end: number },
): never {
  throw new QuerySyntaxError(code, message, span.start, span.end);
}
