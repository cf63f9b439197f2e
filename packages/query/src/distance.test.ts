import { describe, expect, it } from 'vitest';
import { closest, editDistance } from './distance.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['model', 'model', 0],
    ['modle', 'model', 1],
    ['mdoel', 'model', 1],
    ['servce', 'service', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['foo', 'model', 4],
  ])('%s → %s is %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const keys = ['service', 'model', 'status', 'session', 'op'];

  it('finds a plausible typo', () => {
    expect(closest('modle', keys)).toBe('model');
    expect(closest('sevrice', keys)).toBe('service');
    expect(closest('statsu', keys)).toBe('status');
  });

  it('allows one edit for short words and two for longer ones', () => {
    expect(closest('mod', keys)).toBeUndefined();
    expect(closest('o', keys)).toBe('op');
    expect(closest('sesion', keys)).toBe('session');
    expect(closest('foo', keys)).toBeUndefined();
  });

  it('prefers the earlier candidate on ties', () => {
    expect(closest('ab', ['aa', 'bb'])).toBe('aa');
  });
});
