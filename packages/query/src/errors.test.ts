import { describe, expect, it } from 'vitest';
import { QUERY_ERROR_CODES, QuerySyntaxError } from './errors.ts';

describe('QuerySyntaxError', () => {
  it('carries a code, a message and a position', () => {
    const error = new QuerySyntaxError('unknown_key', "unknown key 'foo'", 0, 3);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('QuerySyntaxError');
    expect(error).toMatchObject({
      code: 'unknown_key',
      message: "unknown key 'foo'",
      start: 0,
      end: 3,
    });
  });

  it('has unique codes', () => {
    expect(new Set(QUERY_ERROR_CODES).size).toBe(QUERY_ERROR_CODES.length);
  });
});
