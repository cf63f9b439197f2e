import { describe, expect, it } from 'vitest';
import { serialize } from '../ingest/service.ts';
import { durableTraceIds } from './durable-trace-ids.ts';

const T1 = '4bf92f3577b34da6a3ce929d0e0e4736';
const T2 = '0af7651916cd43dd8448eb211c80319c';

describe('durableTraceIds', () => {
  it('reads project and trace ids from JSONEachRow span rows', () => {
    const payload = serialize([
      {
        project_id: 'p1',
        trace_id: T1,
        span_id: 'a',
        name: 'x\n{"project_id":"evil","trace_id":"',
      },
      { project_id: 'p1', trace_id: T1, span_id: 'b', attributes: { trace_id: T2 } },
      { project_id: 'p1', trace_id: T2, span_id: 'c' },
      { project_id: 'p"2', trace_id: T2, span_id: 'd' },
    ]);
    const ids = durableTraceIds(payload);
    expect([...ids.keys()]).toEqual(['p1', 'p"2']);
    expect([...ids.get('p1')!]).toEqual([T1, T2]);
    expect([...ids.get('p"2')!]).toEqual([T2]);
  });

  it('ignores rows of other shapes and truncated input', () => {
    expect(durableTraceIds(Buffer.from('')).size).toBe(0);
    expect(
      durableTraceIds(
        Buffer.from('{"metric_name":"x"}\n{"project_id":"p","trace_id":"abc"}\n{"project_id":"p'),
      ).size,
    ).toBe(0);
  });
});
