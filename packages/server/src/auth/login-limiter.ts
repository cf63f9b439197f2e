export interface LoginLimiterOptions {
  /** Failures allowed per key within the window... */
  maxFailures?: number;
  /** ...of this many ms. */
  windowMs?: number;
  /** Keys remembered at most (oldest forgotten first), so memory stays bounded. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Counts failed logins per key (a client address, an email) in a sliding window. Once a
 * key has `maxFailures` failures within `windowMs`, it is blocked until the oldest of them
 * leaves the window. In memory: each API process limits on its own.
 */
export function createLoginLimiter(options: LoginLimiterOptions = {}) {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion order is recency order: a key is re-inserted on each failure.
  const failures = new Map<string, number[]>();

  function recent(key: string, t: number): number[] {
    const list = failures.get(key);
    if (!list) return [];
    const kept = list.filter((at) => at > t - windowMs);
    if (kept.length === 0) failures.delete(key);
    else if (kept.length !== list.length) failures.set(key, kept);
    return kept;
  }

  return {
    /** Seconds to wait when any of the keys is blocked, else 0. */
    retryAfter(keys: string[]): number {
      const t = now();
      let wait = 0;
      for (const key of keys) {
        const list = recent(key, t);
        if (list.length >= maxFailures) {
          const until = list[list.length - maxFailures]! + windowMs;
          wait = Math.max(wait, Math.ceil((until - t) / 1000));
        }
      }
      return wait;
    },
    fail(keys: string[]): void {
      const t = now();
      for (const key of keys) {
        const list = recent(key, t);
        list.push(t);
        // Only the last maxFailures matter for blocking.
        failures.delete(key);
        failures.set(key, list.slice(-maxFailures));
      }
      while (failures.size > maxKeys) {
        const oldest = failures.keys().next().value;
        if (oldest === undefined) break;
        failures.delete(oldest);
      }
    },
    reset(key: string): void {
      failures.delete(key);
    },
    get size() {
      return failures.size;
    },
  };
}

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
