import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeCompactRows } from '../../src/storage/compact-rows.ts';
import { TABLE_COLUMNS } from '../../src/storage/columns.ts';
import { openTestDb, spanRow, type TestDb } from '../helpers/read-db.ts';

/**
 * Reads do not queue behind an insert: ingest inserts run on a connection of their own
 * (storage/chdb.ts), so an API query issued while a large insert is in flight answers first.
 * With one connection the query waited for the insert (380 ms behind a 50,000-span insert).
 */

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

it('answers a query issued during a large insert before the insert returns', async () => {
  const columns = TABLE_COLUMNS.spans;
  const text = 'lorem ipsum dolor sit amet '.repeat(40);
  const rows = Array.from({ length: 60_000 }, (_, i) =>
    spanRow({ trace_id: (i % 6000).toString(16).padStart(32, '0'), input_text: text }),
  );
  const payload = encodeCompactRows(rows, columns);
  const order: string[] = [];
  const insert = t.db.insertRows('spans', payload, columns).then(() => order.push('insert'));
  // Wait until the engine has the insert (its spool file written and the statement running).
  for (;;) {
    const [running] = await t.db.query<{ n: number }>(
      "SELECT count() AS n FROM system.processes WHERE query LIKE 'INSERT INTO spans%'",
    );
    if (Number(running!.n) > 0) break;
    if (order.length > 0) throw new Error('the insert ended before it was seen running');
  }
  await t.db
    .query('SELECT count() AS n FROM traces WHERE project_id = {p:String}', { p: 'default' })
    .then(() => order.push('read'));
  await insert;
  expect(order).toEqual(['read', 'insert']);
  const [stored] = await t.db.query<{ n: number }>('SELECT count() AS n FROM spans');
  expect(Number(stored!.n)).toBe(60_000);
});
