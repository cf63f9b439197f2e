import { describe, expect, it } from 'vitest';
import { MAX_STORABLE_NS, nsString, timeProblem, timeWindow } from './context.ts';
import { ctx } from './testing/fixtures.ts';

describe('nsString', () => {
  it('zero-pads to 19 digits and leaves 19-digit values alone', () => {
    expect(nsString(0n)).toBe('0000000000000000000');
    expect(nsString(1_748_779_200_000_000_000n)).toBe('1748779200000000000');
    expect(nsString(MAX_STORABLE_NS)).toBe('9223372036854775807');
  });
});

describe('timeWindow', () => {
  it('spans from the retention to a day ahead of now', () => {
    const w = timeWindow(ctx({ nowMs: 1_000_000_000_000, retentionDays: 1 }));
    expect(w.nowNs).toBe(1_000_000_000_000_000_000n);
    expect(w.oldestNs).toBe(w.nowNs - 86_400_000_000_000n);
    expect(w.newestNs).toBe(w.nowNs + 86_400_000_000_000n);
    expect(timeProblem('t', w.nowNs, w)).toBeUndefined();
    expect(timeProblem('t', w.newestNs + 1n, w)).toBe(
      't is more than 24 h ahead of the server clock',
    );
    expect(timeProblem('t', w.oldestNs - 1n, w)).toBe("t is older than the project's retention");
  });

  it('has no lower bound without a retention', () => {
    expect(timeWindow(ctx({ retentionDays: 0 })).oldestNs).toBe(0n);
  });
});
