import { describe, expect, it } from 'vitest';
import { clip, truncate } from './limits.ts';

describe('truncate', () => {
  it('returns short strings unchanged', () => {
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('cuts with a marker naming the original length', () => {
    expect(truncate('abcdef', 3)).toBe('abc…[truncated, 6 chars]');
  });

  it('never splits a surrogate pair', () => {
    const s = 'ab😀cd'; // 😀 is two UTF-16 code units at 2 and 3
    const cut = truncate(s, 3);
    expect(cut.startsWith('ab…')).toBe(true);
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});

describe('clip', () => {
  it('cuts names with an ellipsis to exactly the limit', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });
});
