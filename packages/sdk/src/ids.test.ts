import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from './ids.ts';

describe('PooledIdGenerator', () => {
  it('makes valid, distinct W3C ids across refills of its pool', () => {
    const g = new PooledIdGenerator();
    const spans = new Set<string>();
    const traces = new Set<string>();
    // 16 KiB pool: 2,000 of each crosses it three times.
    for (let i = 0; i < 2000; i++) {
      const s = g.generateSpanId();
      const t = g.generateTraceId();
      expect(s).toMatch(/^[0-9a-f]{16}$/);
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(s).not.toBe('0'.repeat(16));
      expect(t).not.toBe('0'.repeat(32));
      spans.add(s);
      traces.add(t);
    }
    expect(spans.size).toBe(2000);
    expect(traces.size).toBe(2000);
  });
});
