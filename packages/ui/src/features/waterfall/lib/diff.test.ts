import { describe, expect, it } from 'vitest';
import { compareSummaries, diffAttributes, diffCounts, diffTraces, pathKeys } from './diff.ts';
import { buildModel } from './model.ts';
import { compactOf } from './testing.ts';
import type { TraceSummary } from '../../../lib/types.ts';

const a = buildModel(
  compactOf([
    { id: 'r', name: 'GET /chat', service: 'web', start: 0, dur: 100_000_000 },
    { id: 'c1', parent: 'r', name: 'chat', service: 'llm', start: 1, dur: 40_000_000 },
    { id: 'c2', parent: 'r', name: 'chat', service: 'llm', start: 50_000_000, dur: 40_000_000 },
    { id: 'db', parent: 'r', name: 'SELECT', service: 'db', start: 2, dur: 5_000_000 },
  ]),
);
const b = buildModel(
  compactOf([
    { id: 'R', name: 'GET /chat', service: 'web', start: 0, dur: 180_000_000 },
    { id: 'C1', parent: 'R', name: 'chat', service: 'llm', start: 1, dur: 40_000_000 },
    { id: 'C2', parent: 'R', name: 'chat', service: 'llm', start: 50_000_000, dur: 120_000_000 },
    {
      id: 'T',
      parent: 'R',
      name: 'tool search',
      service: 'tools',
      start: 60_000_000,
      dur: 1_000_000,
    },
  ]),
);

describe('trace diff', () => {
  it('keys spans by name path with the occurrence among same-named siblings', () => {
    const keys = pathKeys(a);
    expect(keys[a.spanId.indexOf('c2')]).toBe('web GET /chat#0 / llm chat#1');
  });

  it('matches spans by path and reports added, removed and timing changes', () => {
    const rows = diffTraces(a, b);
    const byLabel = (label: string, status?: string) =>
      rows.filter((r) => r.label === label && (!status || r.status === status));
    expect(rows[0]!.label).toBe('GET /chat');
    expect(rows[0]!.deltaNs).toBe(80_000_000);
    expect(byLabel('SELECT')[0]!.status).toBe('removed');
    expect(byLabel('tool search')[0]!.status).toBe('added');
    const chats = byLabel('chat');
    expect(chats.map((r) => r.deltaNs)).toEqual([0, 80_000_000]);
    expect(chats[1]!.ratio).toBe(3);
    expect(diffCounts(rows)).toEqual({ matched: 3, added: 1, removed: 1, slower: 2, faster: 0 });
    expect(rows.every((r, i) => i === 0 || r.depth === 1)).toBe(true);
  });

  it('diffs attributes by key, comparing values by their JSON form', () => {
    expect(diffAttributes({ x: 1, y: 'a', arr: [1, 2] }, { x: 2, z: true, arr: [1, 2] })).toEqual([
      { key: 'arr', a: [1, 2], b: [1, 2], change: 'same' },
      { key: 'x', a: 1, b: 2, change: 'changed' },
      { key: 'y', a: 'a', change: 'removed' },
      { key: 'z', b: true, change: 'added' },
    ]);
  });

  it('compares summaries', () => {
    const s = (durationNs: number, spanCount: number): TraceSummary => ({
      traceId: '',
      rootName: '',
      rootService: '',
      services: ['a'],
      spanCount,
      errorCount: 0,
      hasError: false,
      startTimeUnixNano: '0',
      endTimeUnixNano: '0',
      durationNs,
      models: [],
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
      users: [],
      sessions: [],
    });
    const rows = compareSummaries(s(100, 3), s(250, 4));
    expect(rows[0]).toMatchObject({ label: 'Duration', delta: 150 });
    expect(rows[1]).toMatchObject({ label: 'Spans', delta: 1 });
  });
});
