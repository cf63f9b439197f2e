import { emptyFilter } from '@pyflare/query';
import { describe, expect, it } from 'vitest';
import type { Database } from '../storage/database.ts';
import { LiveTraces } from './live-traces.ts';
import { groupByStart } from './match-traces.ts';

/** Never reached in these tests: nothing is flushed. */
const noDb = {} as Database;

describe('LiveTraces', () => {
  it('keeps nothing for projects nobody listens to, and bounds what it keeps', async () => {
    const live = new LiveTraces({ db: noDb, flushMs: 60_000, maxPendingPerProject: 3 });
    live.offer('p', ['a', 'b']);
    expect(live.wants()).toBe(false);
    const unsubscribe = live.subscribe({
      projectId: 'p',
      filter: emptyFilter(),
      key: '{}',
      send: () => undefined,
    });
    expect(live.wants('p')).toBe(true);
    expect(live.wants('q')).toBe(false);
    live.offer('q', ['x']);
    live.offer('p', ['1', '2', '3', '4', '5']);
    expect(live.dropped).toBe(2);
    unsubscribe!();
    expect(live.wants()).toBe(false);
    await live.close();
  });

  it('refuses subscriptions beyond its maximum', async () => {
    const live = new LiveTraces({ db: noDb, maxSubscriptions: 2 });
    const sub = () => ({ projectId: 'p', filter: emptyFilter(), key: '{}', send: () => undefined });
    const first = live.subscribe(sub());
    expect(live.subscribe(sub())).toBeDefined();
    expect(live.subscribe(sub())).toBeUndefined();
    first!();
    expect(live.subscribe(sub())).toBeDefined();
    await live.close();
  });
});

describe('groupByStart', () => {
  it('cuts sorted candidates into windows of at most an hour', () => {
    const h = 3_600_000_000_000n;
    const c = (id: string, startNs: bigint) => ({ traceId: id, startNs });
    expect(
      groupByStart([c('a', 0n), c('b', h / 2n), c('c', h), c('d', h + 1n), c('e', 5n * h)]).map(
        (g) => g.map((x) => x.traceId),
      ),
    ).toEqual([['a', 'b', 'c'], ['d'], ['e']]);
    expect(groupByStart([])).toEqual([]);
  });
});
