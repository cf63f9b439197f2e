import { describe, expect, it } from 'vitest';
import type { Span, TraceSummary } from '../../../lib/types.ts';
import { summariesToCsv, tracesToOtlpJson } from './export.ts';

const summary: TraceSummary = {
  traceId: 'a'.repeat(32),
  rootName: '=HYPERLINK("x"), "quoted"',
  rootService: 'web',
  services: ['web', 'llm'],
  spanCount: 2,
  errorCount: 0,
  hasError: false,
  startTimeUnixNano: '1700000000000000000',
  endTimeUnixNano: '1700000001000000000',
  durationNs: 1_000_000_000,
  models: ['gpt-4o'],
  inputTokens: 10,
  outputTokens: 5,
  totalTokens: 15,
  users: [],
  sessions: [],
};

describe('export', () => {
  it('writes CSV with quoting and formula-safe cells', () => {
    const csv = summariesToCsv([summary]).split('\n');
    expect(csv[0]).toMatch(/^traceId,startTime,/);
    expect(csv[1]).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);
    expect(csv[1]).toContain('2023-11-14T22:13:20.000Z,web');
    expect(csv[1]).toContain('web llm');
  });

  it('writes OTLP/JSON grouped by resource with typed values', () => {
    const span = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      parentSpanId: '',
      name: 'chat',
      kind: 'client',
      serviceName: 'llm',
      environment: '',
      startTimeUnixNano: '1',
      endTimeUnixNano: '2',
      durationNs: 1,
      status: { code: 'error', message: 'boom' },
      attributes: { n: 3, f: 0.5, b: true, s: 'x', a: ['y'] },
      resource: { 'service.name': 'llm' },
      events: [],
      links: [],
      scope: { name: 'sdk', version: '1' },
    } as unknown as Span;
    const out = tracesToOtlpJson([
      { trace: summary, spans: [span, { ...span, spanId: 'c'.repeat(16) }] },
    ]) as {
      resourceSpans: {
        scopeSpans: { spans: { kind: number; status: unknown; attributes: unknown[] }[] }[];
      }[];
    };
    expect(out.resourceSpans).toHaveLength(1);
    const spans = out.resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans).toHaveLength(2);
    expect(spans[0]!.kind).toBe(3);
    expect(spans[0]!.status).toEqual({ code: 2, message: 'boom' });
    expect(spans[0]!.attributes).toEqual([
      { key: 'n', value: { intValue: '3' } },
      { key: 'f', value: { doubleValue: 0.5 } },
      { key: 'b', value: { boolValue: true } },
      { key: 's', value: { stringValue: 'x' } },
      { key: 'a', value: { arrayValue: { values: [{ stringValue: 'y' }] } } },
    ]);
  });
});
