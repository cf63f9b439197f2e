import type { DecodeLimits } from './types.ts';

/** Options every decoder takes; all optional. */
export type DecodeOptions = Partial<DecodeLimits>;

export const DEFAULT_LIMITS = { maxDepth: 64 } satisfies DecodeLimits;

/** Merges options over the defaults and checks them. */
export function resolveLimits(options: DecodeOptions | undefined): DecodeLimits {
  const limits = { ...DEFAULT_LIMITS, ...options };
  if (!Number.isInteger(limits.maxDepth) || limits.maxDepth < 0) {
    throw new RangeError(`maxDepth must be a non-negative integer, got ${limits.maxDepth}`);
  }
  return limits;
}
