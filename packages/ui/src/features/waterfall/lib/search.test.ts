import { describe, expect, it } from 'vitest';
import { flameLayout, hitTest } from './flame.ts';
import { buildModel } from './model.ts';
import { searchSpans } from './search.ts';
import { compactOf } from './testing.ts';
import { ticks } from './ticks.ts';

const m = buildModel(
  compactOf([
    { id: 'r', name: 'GET /chat', service: 'web', start: 0, dur: 100 },
    { id: 'c', parent: 'r', name: 'chat gpt-4o', service: 'llm', start: 10, dur: 40 },
    { id: 't', parent: 'r', name: 'tool', service: 'tools', start: 60, dur: 30 },
  ]),
);

describe('search, flame layout, ticks', () => {
  it('finds spans by name, service and extra text, case-insensitively, in row order', () => {
    expect(Array.from(searchSpans(m, 'GPT'), (i) => m.spanId[i])).toEqual(['c']);
    expect(Array.from(searchSpans(m, 'tools'), (i) => m.spanId[i])).toEqual(['t']);
    const extra = (i: number) => (m.spanId[i] === 'r' ? '{"user":"alice"}' : undefined);
    expect(Array.from(searchSpans(m, 'alice', extra), (i) => m.spanId[i])).toEqual(['r']);
    expect(searchSpans(m, '  ').length).toBe(0);
  });

  it('lays out spans by depth and hit-tests by time', () => {
    const layout = flameLayout(m);
    expect(layout.depthCount).toBe(2);
    expect(Array.from(layout.byDepth[1]!, (i) => m.spanId[i])).toEqual(['c', 't']);
    expect(m.spanId[hitTest(m, layout, 1, 20)]).toBe('c');
    expect(hitTest(m, layout, 1, 55)).toBe(-1);
    expect(m.spanId[hitTest(m, layout, 1, 70)]).toBe('t');
  });

  it('places round ticks', () => {
    expect(ticks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticks(0, 7_000_000, 4)).toEqual([0, 2_000_000, 4_000_000, 6_000_000]);
  });
});
