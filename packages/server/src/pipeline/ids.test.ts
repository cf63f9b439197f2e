import { describe, expect, it } from 'vitest';
import { SPAN_ID_HEX, TRACE_ID_HEX, isAbsentId, normalizeId } from './ids.ts';

describe('normalizeId', () => {
  it('accepts hex ids of the right length', () => {
    expect(normalizeId('5b8efff798038103d269b633813fc60c', TRACE_ID_HEX)).toBe(
      '5b8efff798038103d269b633813fc60c',
    );
    expect(normalizeId('00f067aa0ba902b7', SPAN_ID_HEX)).toBe('00f067aa0ba902b7');
  });

  it('lowercases uppercase hex', () => {
    expect(normalizeId('00F067AA0BA902B7', SPAN_ID_HEX)).toBe('00f067aa0ba902b7');
  });

  it('rejects wrong lengths, non-hex characters and all-zero ids', () => {
    expect(normalizeId('', SPAN_ID_HEX)).toBeUndefined();
    expect(normalizeId('00f067aa0ba902b', SPAN_ID_HEX)).toBeUndefined();
    expect(normalizeId('00f067aa0ba902bz', SPAN_ID_HEX)).toBeUndefined();
    expect(normalizeId('0'.repeat(32), TRACE_ID_HEX)).toBeUndefined();
  });
});

describe('isAbsentId', () => {
  it('treats empty and all-zero ids as absent', () => {
    expect(isAbsentId('', SPAN_ID_HEX)).toBe(true);
    expect(isAbsentId('0000000000000000', SPAN_ID_HEX)).toBe(true);
    expect(isAbsentId('0000000000000001', SPAN_ID_HEX)).toBe(false);
    expect(isAbsentId('000', SPAN_ID_HEX)).toBe(false);
  });
});
