import { describe, expect, it } from 'vitest';
import { backoffMs } from './socket.ts';

describe('reconnect backoff', () => {
  it('doubles from 0.5 s up to 15 s with ±25% jitter', () => {
    expect(backoffMs(0, () => 0.5)).toBe(500);
    expect(backoffMs(1, () => 0.5)).toBe(1000);
    expect(backoffMs(3, () => 0.5)).toBe(4000);
    expect(backoffMs(10, () => 0.5)).toBe(15_000);
    expect(backoffMs(0, () => 0)).toBe(375);
    expect(backoffMs(0, () => 1)).toBe(625);
  });
});
