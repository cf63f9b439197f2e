import type { DecodeLimits } from './types.ts';

/** Options every decoder takes; all optional. */
export type DecodeOptions = Partial<DecodeLimits> & {
  /**
   * OTLP/JSON only: what a JSON number beyond 2^53 in a 64-bit integer field does. `JSON.parse`
   * has already rounded it to a double. `'round'` (the default) reads that double; `'refuse'`
   * throws a `WideJsonNumberError`, so that a caller holding the text can parse it again
   * with such literals kept exact (`decodeJsonText`, json-integers.ts).
   */
  wideJsonNumbers?: 'round' | 'refuse';
};

export const DEFAULT_LIMITS = { maxDepth: 64, bytesPerRecord: 16 } satisfies DecodeLimits;

/** Deeper AnyValue nesting could exhaust the call stack of the recursive decoders. */
const MAX_DEPTH_LIMIT = 1000;

/** Merges options over the defaults and checks them. */
export function resolveLimits(options: DecodeOptions | undefined): DecodeLimits {
  const limits = { ...DEFAULT_LIMITS, ...options };
  if (
    !Number.isInteger(limits.maxDepth) ||
    limits.maxDepth < 0 ||
    limits.maxDepth > MAX_DEPTH_LIMIT
  ) {
    throw new RangeError(
      `maxDepth must be an integer from 0 to ${MAX_DEPTH_LIMIT}, got ${limits.maxDepth}`,
    );
  }
  if (!(limits.bytesPerRecord >= 0)) {
    throw new RangeError(`bytesPerRecord must be a number ≥ 0, got ${limits.bytesPerRecord}`);
  }
  return limits;
}
