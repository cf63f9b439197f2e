import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../../lib/types.ts';
import { mergeLive } from './live-buffer.ts';

const t = (id: string, spanCount = 1) => ({ traceId: id, spanCount }) as TraceSummary;

describe('live buffer', () => {
  it('puts new traces first, replaces updates, and keeps at most max', () => {
    const merged = mergeLive([t('c'), t('a', 5)], [t('a'), t('b')], 10);
    expect(merged.map((x) => [x.traceId, x.spanCount])).toEqual([
      ['c', 1],
      ['a', 5],
      ['b', 1],
    ]);
    expect(mergeLive([t('x'), t('y')], [t('a'), t('b')], 3).map((x) => x.traceId)).toEqual([
      'x',
      'y',
      'a',
    ]);
  });
});
