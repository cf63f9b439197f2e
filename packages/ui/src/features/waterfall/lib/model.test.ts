import { describe, expect, it } from 'vitest';
import { buildModel } from './model.ts';
import {
  collapseBelow,
  emptyCollapse,
  initialCollapse,
  reveal,
  toggle,
  visibleRows,
} from './rows.ts';
import { compactOf, syntheticCompact } from './testing.ts';

const tree = compactOf([
  { id: 'root', start: 0, dur: 100 },
  { id: 'a', parent: 'root', start: 10, dur: 30 },
  { id: 'a1', parent: 'a', start: 12, dur: 5, error: true },
  { id: 'a2', parent: 'a', start: 20, dur: 10 },
  { id: 'b', parent: 'root', start: 50, dur: 40 },
  { id: 'orphan', parent: 'missing', start: 60, dur: 5 },
]);

const ids = (m: ReturnType<typeof buildModel>, rows: Int32Array) =>
  Array.from(rows, (i) => m.spanId[i]);

describe('waterfall model and rows', () => {
  it('orders rows depth first with children by start, orphans as roots', () => {
    const m = buildModel(tree);
    expect(ids(m, visibleRows(m, emptyCollapse(m)))).toEqual([
      'root',
      'a',
      'a1',
      'a2',
      'b',
      'orphan',
    ]);
    expect(Array.from(m.roots, (i) => m.spanId[i])).toEqual(['root', 'orphan']);
    const depth = Object.fromEntries(m.spanId.map((id, i) => [id, m.depth[i]]));
    expect(depth).toEqual({ root: 0, a: 1, a1: 2, a2: 2, b: 1, orphan: 0 });
    expect(m.maxDepth).toBe(2);
  });

  it('counts descendants and rolls errors up to ancestors', () => {
    const m = buildModel(tree);
    const at = (id: string) => m.spanId.indexOf(id);
    expect(m.descendants[at('root')]).toBe(4);
    expect(m.descendants[at('a')]).toBe(2);
    expect(m.errorBelow[at('root')]).toBe(1);
    expect(m.errorBelow[at('b')]).toBe(0);
  });

  it('hides collapsed subtrees and reveals a span by expanding its ancestors', () => {
    const m = buildModel(tree);
    const at = (id: string) => m.spanId.indexOf(id);
    let c = toggle(emptyCollapse(m), at('a'));
    expect(ids(m, visibleRows(m, c))).toEqual(['root', 'a', 'b', 'orphan']);
    c = toggle(c, at('root'));
    expect(ids(m, visibleRows(m, c))).toEqual(['root', 'orphan']);
    c = reveal(m, c, at('a2'));
    expect(ids(m, visibleRows(m, c))).toEqual(['root', 'a', 'a1', 'a2', 'b', 'orphan']);
    expect(ids(m, visibleRows(m, collapseBelow(m, 1)))).toEqual(['root', 'a', 'b', 'orphan']);
  });

  it('breaks parent cycles instead of losing spans', () => {
    const cyclic = compactOf([
      { id: 'x', start: 0, dur: 10 },
      { id: 'y', start: 1, dur: 5 },
    ]);
    cyclic.spans.parent = [1, 0];
    const m = buildModel(cyclic);
    expect(visibleRows(m, emptyCollapse(m)).length).toBe(2);
  });

  it('derives 100,000 rows with every span once', () => {
    const m = buildModel(syntheticCompact(100_000));
    const rows = visibleRows(m, emptyCollapse(m));
    expect(rows.length).toBe(100_000);
    expect(new Set(rows).size).toBe(100_000);
    // Parents come before their children.
    let misplaced = 0;
    for (let k = 0; k < rows.length; k++) {
      const p = m.parent[rows[k]!]!;
      if (p >= 0 && m.position[p]! >= k) misplaced++;
    }
    expect(misplaced).toBe(0);
    const initial = visibleRows(m, initialCollapse(m));
    expect(initial.length).toBeLessThan(1000);
  });
});
