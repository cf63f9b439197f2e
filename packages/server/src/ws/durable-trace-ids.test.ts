import { describe, expect, it } from 'vitest';
import { spanRow } from '../../test/helpers/read-db.ts';
import { SPAN_BINARY_COLUMNS, encodeBinaryRows } from '../storage/row-binary.ts';
import { durableTraceIds, forEachSpanRow } from './durable-trace-ids.ts';

const T1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '0af7651916cd43dd8448eb211c80319c';

describe('durableTraceIds', () => {
  it('reads project and trace ids from RowBinary span rows', () => {
    const payload = encodeBinaryRows(
      [
        spanRow({ project_id: 'p1', trace_id: T1, span_id: 'a', name: `x\n["evil","${T2}"` }),
        spanRow({
          project_id: 'p1',
          trace_id: T1,
          span_id: 'b',
          attributes: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, T2])),
          tags: ['t', T2],
          embedding: [1, 2, 3],
          input_text: 'é'.repeat(20_000),
        }),
        spanRow({ project_id: 'p1', trace_id: T2, span_id: 'c' }),
        spanRow({ project_id: 'p"2 é', trace_id: T2, span_id: 'd' }),
      ],
      SPAN_BINARY_COLUMNS,
    );
    const ids = durableTraceIds(payload);
    expect([...ids.keys()]).toEqual(['p1', 'p"2 é']);
    expect([...ids.get('p1')!]).toEqual([T1, T2]);
    expect([...ids.get('p"2 é')!]).toEqual([T2]);
  });

  it('walks a payload once however often its ids are asked for', () => {
    const rows = [spanRow({ project_id: 'p1', trace_id: T1, span_id: 'a' })];
    const payload = encodeBinaryRows(rows, SPAN_BINARY_COLUMNS);
    const first = durableTraceIds(payload);
    expect(durableTraceIds(payload)).toBe(first);
    // An equal payload in another buffer is walked on its own, with the same answer.
    const copy = Buffer.from(payload);
    expect(durableTraceIds(copy)).not.toBe(first);
    expect(durableTraceIds(copy)).toEqual(first);
  });

  it('ignores an incomplete last row and empty input', () => {
    expect(durableTraceIds(Buffer.from('')).size).toBe(0);
    const one = encodeBinaryRows([spanRow({ trace_id: T1 })], SPAN_BINARY_COLUMNS);
    const two = Buffer.concat([one, one.subarray(0, one.length - 1)]);
    let rows = 0;
    forEachSpanRow(two, () => rows++);
    expect(rows).toBe(1);
    expect(durableTraceIds(one.subarray(0, 40)).size).toBe(0);
  });
});
