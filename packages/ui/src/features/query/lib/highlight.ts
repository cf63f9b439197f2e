/**
 * Syntax highlighting for the query language: the whole input cut into segments (tokens and
 * the whitespace between them), each with a class, plus the parser's first error range.
 */
import { parseQuery, QuerySyntaxError, tokenize, type TokenType } from '@pyflare/query';

export interface Segment {
  text: string;
  type: TokenType | 'space';
  /** Inside the parser's error range. */
  error: boolean;
}

export interface QueryError {
  message: string;
  start: number;
  end: number;
}

export function queryError(input: string, now = Date.now()): QueryError | null {
  if (!input.trim()) return null;
  try {
    parseQuery(input, { now, utcOffsetMinutes: -new Date(now).getTimezoneOffset() });
    return null;
  } catch (err) {
    if (err instanceof QuerySyntaxError)
      return { message: err.message, start: err.start, end: Math.max(err.end, err.start + 1) };
    return { message: String(err), start: 0, end: input.length };
  }
}

export function highlight(input: string, error: QueryError | null = queryError(input)): Segment[] {
  const out: Segment[] = [];
  const push = (text: string, type: Segment['type'], start: number) => {
    if (!text) return;
    if (!error) {
      out.push({ text, type, error: false });
      return;
    }
    // Split at the error range boundaries.
    const end = start + text.length;
    const cuts = [
      start,
      Math.max(start, Math.min(end, error.start)),
      Math.max(start, Math.min(end, error.end)),
      end,
    ];
    for (let i = 0; i < 3; i++) {
      const a = cuts[i]!;
      const b = cuts[i + 1]!;
      if (b > a)
        out.push({ text: input.slice(a, b), type, error: a >= error.start && b <= error.end });
    }
  };
  let at = 0;
  for (const t of tokenize(input)) {
    if (t.start > at) push(input.slice(at, t.start), 'space', at);
    push(input.slice(t.start, t.end), t.type, t.start);
    at = t.end;
  }
  if (at < input.length) push(input.slice(at), 'space', at);
  return out;
}

/** Terms of a query as typed (quotes kept), for toggling facet terms. */
export function splitTerms(input: string): string[] {
  return input.match(/(?:[^\s"]+|"(?:\\.|[^"\\])*"?)+/g) ?? [];
}

/** Adds `term` to the query, or removes it when present. */
export function toggleTerm(input: string, term: string): string {
  const terms = splitTerms(input);
  const i = terms.indexOf(term);
  if (i >= 0) terms.splice(i, 1);
  else terms.push(term);
  return terms.join(' ');
}

export function hasTerm(input: string, term: string): boolean {
  return splitTerms(input).includes(term);
}
