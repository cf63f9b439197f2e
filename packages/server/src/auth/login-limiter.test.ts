import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.ts';

describe('login limiter', () => {
  it('blocks a key after maxFailures in the window, until the oldest leaves it', () => {
    let t = 1_000_000;
    const limiter = createLoginLimiter({ maxFailures: 3, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter(['ip:a'])).toBe(0);
      limiter.fail(['ip:a']);
      t += 1000;
    }
    // Failures at 0s, 1s, 2s; now 3s: the first leaves the window at 60s.
    expect(limiter.retryAfter(['ip:a'])).toBe(57);
    expect(limiter.retryAfter(['ip:b'])).toBe(0);
    expect(limiter.retryAfter(['ip:b', 'ip:a'])).toBe(57);
    t += 57_000;
    expect(limiter.retryAfter(['ip:a'])).toBe(0);
  });

  it('forgets a key on reset and stays within maxKeys', () => {
    const limiter = createLoginLimiter({ maxFailures: 1, maxKeys: 100 });
    limiter.fail(['email:x']);
    expect(limiter.retryAfter(['email:x'])).toBeGreaterThan(0);
    limiter.reset('email:x');
    expect(limiter.retryAfter(['email:x'])).toBe(0);
    for (let i = 0; i < 1000; i++) limiter.fail([`ip:${i}`]);
    expect(limiter.size).toBe(100);
    expect(limiter.retryAfter(['ip:999'])).toBeGreaterThan(0);
  });
});
