import { describe, expect, it } from 'vitest';
import { hasTerm, highlight, queryError, splitTerms, toggleTerm } from './highlight.ts';

describe('query highlighting', () => {
  it('covers the whole input with typed segments', () => {
    const input = 'service:checkout  -status:error "rate limit"';
    const segs = highlight(input);
    expect(segs.map((s) => s.text).join('')).toBe(input);
    expect(segs.filter((s) => s.type === 'key').map((s) => s.text)).toEqual(['service', 'status']);
    expect(segs.find((s) => s.type === 'negation')?.text).toBe('-');
    expect(segs.find((s) => s.type === 'text')?.text).toBe('"rate limit"');
    expect(segs.some((s) => s.error)).toBe(false);
  });

  it('marks the parser error range', () => {
    const input = 'duration:>fast model:x';
    const err = queryError(input);
    expect(err).toMatchObject({ start: 10, end: 14 });
    const bad = highlight(input, err).filter((s) => s.error);
    expect(bad.map((s) => s.text).join('')).toBe('fast');
    expect(queryError('modle:x')?.message).toMatch(/did you mean 'model'/);
  });

  it('toggles facet terms, keeping quoted values whole', () => {
    expect(splitTerms('a:"x y" b')).toEqual(['a:"x y"', 'b']);
    expect(toggleTerm('service:a', 'model:"gpt 4"')).toBe('service:a model:"gpt 4"');
    expect(toggleTerm('service:a model:"gpt 4"', 'model:"gpt 4"')).toBe('service:a');
    expect(hasTerm('service:a', 'service:a')).toBe(true);
  });
});
