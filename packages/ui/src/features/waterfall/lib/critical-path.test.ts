import { describe, expect, it } from 'vitest';
import { criticalPath } from './critical-path.ts';
import { buildModel } from './model.ts';
import { compactOf, syntheticCompact } from './testing.ts';

const marked = (spec: Parameters<typeof compactOf>[0]) => {
  const m = buildModel(compactOf(spec));
  const cp = criticalPath(m);
  return m.spanId.filter((_, i) => cp[i]).sort();
};

describe('critical path', () => {
  it('follows the last-finishing child, then what ran before it', () => {
    expect(
      marked([
        { id: 'root', start: 0, dur: 100 },
        { id: 'db', parent: 'root', start: 5, dur: 20 },
        { id: 'cache', parent: 'root', start: 6, dur: 3 },
        { id: 'llm', parent: 'root', start: 30, dur: 65 },
        { id: 'tok', parent: 'llm', start: 31, dur: 4 },
      ]),
    ).toEqual(['db', 'llm', 'root', 'tok']);
  });

  it('leaves out parallel children that finished earlier than the one blocking', () => {
    expect(
      marked([
        { id: 'root', start: 0, dur: 100 },
        { id: 'slow', parent: 'root', start: 1, dur: 98 },
        { id: 'fast', parent: 'root', start: 2, dur: 10 },
      ]),
    ).toEqual(['root', 'slow']);
  });

  it('takes a child that overruns its parent, clipped at the parent end', () => {
    expect(
      marked([
        { id: 'root', start: 0, dur: 50 },
        { id: 'async', parent: 'root', start: 40, dur: 100 },
        { id: 'before', parent: 'root', start: 5, dur: 30 },
      ]),
    ).toEqual(['async', 'before', 'root']);
  });

  it('handles 100,000 spans', () => {
    const m = buildModel(syntheticCompact(100_000));
    const cp = criticalPath(m);
    expect(cp[m.roots[0]!]).toBe(1);
    expect(cp.reduce((a, b) => a + b, 0)).toBeGreaterThan(m.maxDepth);
  });
});
