import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChdb } from './chdb.ts';
import type { Database } from './database.ts';
import { ReadQueue, type ReadLane } from './read-queue.ts';

/** A statement that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('ReadQueue', () => {
  it('runs one statement at a time, interactive ones ahead of bulk ones queued earlier', async () => {
    const q = new ReadQueue();
    const order: string[] = [];
    const first = gate();
    let running = 0;
    let most = 0;
    const job = (name: string, lane: ReadLane, wait?: Promise<void>) =>
      q.run(lane, async () => {
        running++;
        most = Math.max(most, running);
        order.push(name);
        await (wait ?? Promise.resolve());
        running--;
        return name;
      });
    const all = [
      job('bulk-1', 'bulk', first.opened),
      job('bulk-2', 'bulk'),
      job('bulk-3', 'bulk'),
      job('trace-1', 'interactive'),
      job('trace-2', 'interactive'),
    ];
    expect(q.waiting).toEqual({ interactive: 2, bulk: 2 });
    first.open();
    expect(await Promise.all(all)).toEqual(['bulk-1', 'bulk-2', 'bulk-3', 'trace-1', 'trace-2']);
    // bulk-1 was running already; the two interactive statements then pass bulk-2 and bulk-3.
    expect(order).toEqual(['bulk-1', 'trace-1', 'trace-2', 'bulk-2', 'bulk-3']);
    expect(most).toBe(1);
    expect(q.waiting).toEqual({ interactive: 0, bulk: 0 });
  });

  it('lets a waiting bulk statement start after `fairness` interactive ones in a row', async () => {
    const q = new ReadQueue(3);
    const order: string[] = [];
    const first = gate();
    const job = (name: string, lane: ReadLane, wait?: Promise<void>) =>
      q.run(lane, async () => {
        order.push(name);
        await wait;
      });
    const all = [job('i0', 'interactive', first.opened), job('b1', 'bulk')];
    for (let i = 1; i <= 7; i++) all.push(job(`i${i}`, 'interactive'));
    first.open();
    await Promise.all(all);
    // i0 started with nothing waiting; i1..i3 passed b1, which then had its turn.
    expect(order).toEqual(['i0', 'i1', 'i2', 'i3', 'b1', 'i4', 'i5', 'i6', 'i7']);
  });

  it('passes results and errors through, and a failing or throwing statement frees the queue', async () => {
    const q = new ReadQueue();
    const failed = q.run('interactive', () => Promise.reject(new Error('engine said no')));
    const threw = q.run('bulk', () => {
      throw new Error('threw before starting');
    });
    const after = q.run('bulk', async () => 42);
    await expect(failed).rejects.toThrow('engine said no');
    await expect(threw).rejects.toThrow('threw before starting');
    expect(await after).toBe(42);
  });
});

describe('the chDB read connection', () => {
  let dir: string;
  let db: Database;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pyflare-read-queue-'));
    db = openChdb(dir);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a point read queued behind bulk scans before the scans still waiting', async () => {
    const done: string[] = [];
    const track = <T>(name: string, p: Promise<T>) =>
      p.then((v) => {
        done.push(name);
        return v;
      });
    // sleep() holds the connection the way a long scan does.
    const scan = (n: number) =>
      track(
        `scan-${n}`,
        db.query('SELECT sleep(0.2) AS s, {n:UInt8} AS n', { n }, { lane: 'bulk' }),
      );
    const scans = [scan(1), scan(2), scan(3)];
    const point = track('point', db.query<{ x: number }>('SELECT {x:UInt32} AS x', { x: 7 }));
    expect(await point).toEqual([{ x: 7 }]);
    const rows = await Promise.all(scans);
    expect(rows.map((r) => r[0])).toEqual([
      { s: 0, n: 1 },
      { s: 0, n: 2 },
      { s: 0, n: 3 },
    ]);
    expect(done).toEqual(['scan-1', 'point', 'scan-2', 'scan-3']);
  });

  it('reports an engine error as a storage error and keeps serving', async () => {
    await expect(
      db.query('SELECT no_such_function(1)', undefined, { lane: 'bulk' }),
    ).rejects.toThrow(/no_such_function|Unknown function/i);
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });
});
