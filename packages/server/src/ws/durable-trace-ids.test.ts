import { describe, expect, it } from 'vitest';
import { SPAN_COLUMNS } from '../storage/columns.ts';
import { encodeCompactRows } from '../storage/compact-rows.ts';
import { durableTraceIds } from './durable-trace-ids.ts';

const T1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '0af7651916cd43dd8448eb211c80319c';

describe('durableTraceIds', () => {
  it('reads project and trace ids from JSONCompactEachRow span rows', () => {
    const payload = encodeCompactRows(
      [
        {
          project_id: 'p1',
          trace_id: T1,
          span_id: 'a',
          name: `x\n["evil","${T2}"`,
        },
        { project_id: 'p1', trace_id: T1, span_id: 'b', attributes: { trace_id: T2 } },
        { project_id: 'p1', trace_id: T2, span_id: 'c' },
        { project_id: 'p"2', trace_id: T2, span_id: 'd' },
      ],
      SPAN_COLUMNS,
    );
    const ids = durableTraceIds(payload);
    expect([...ids.keys()]).toEqual(['p1', 'p"2']);
    expect([...ids.get('p1')!]).toEqual([T1, T2]);
    expect([...ids.get('p"2')!]).toEqual([T2]);
  });

  it('ignores rows of other shapes and truncated input', () => {
    expect(durableTraceIds(Buffer.from('')).size).toBe(0);
    expect(
      durableTraceIds(
        Buffer.from('{"project_id":"p","trace_id":"' + T1 + '"}\n["p","abc"]\n["p","' + T1),
      ).size,
    ).toBe(0);
  });
});
