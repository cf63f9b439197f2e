/**
 * Durations as written in queries (`500ms`, `1.5s`, `2m`) and as stored (integer
 * nanoseconds). Parsing is exact: the decimal is scaled with integer arithmetic, so
 * `1.000000001s` is 1 000 000 001 ns, not whatever a float multiplication would give.
 */
import { QuerySyntaxError } from './errors.ts';

const NS_PER: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 MICRO SIGN
  μs: 1_000n, // U+03BC GREEK SMALL LETTER MU
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

/** The unit of a bare number (`duration:>250` is 250 ms). */
export const BARE_DURATION_UNIT = 'ms';

const DURATION_RE = /^(\d+)(?:\.(\d+))?(\D*)$/;
const MAX_NS = BigInt(Number.MAX_SAFE_INTEGER);

export const DURATION_HINT = 'use e.g. 500ms, 1.5s, 2m';

export type DurationResult = { ok: true; ns: number } | { ok: false; message: string };

/**
 * Reads a duration; never throws. `requireUnit` rejects bare numbers (used by
 * `time:last-…`, where a bare number would be ambiguous).
 */
export function readDuration(
  text: string,
  options: { requireUnit?: boolean } = {},
): DurationResult {
  const match = DURATION_RE.exec(text);
  const unit = match?.[3]?.toLowerCase() ?? '';
  const scale =
    unit === '' ? (options.requireUnit ? undefined : NS_PER[BARE_DURATION_UNIT]) : NS_PER[unit];
  if (!match || scale === undefined) {
    return { ok: false, message: `invalid duration '${text}' (${DURATION_HINT})` };
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  const denominator = 10n ** BigInt(fraction.length);
  const scaled = BigInt(whole + fraction) * scale;
  // Round half up to whole nanoseconds.
  const ns = (scaled * 2n + denominator) / (denominator * 2n);
  if (ns > MAX_NS) {
    return { ok: false, message: `duration '${text}' is too large (the limit is about 104d)` };
  }
  return { ok: true, ns: Number(ns) };
}

/**
 * Parses a duration into nanoseconds. Units: `ns`, `us` (or `µs`), `ms`, `s`, `m`, `h`, `d`,
 * case-insensitive; decimals allowed; a bare number is milliseconds.
 *
 * @example
 * parseDuration('1.5s'); // 1_500_000_000
 * parseDuration('250'); // 250_000_000 (bare numbers are milliseconds)
 * @throws QuerySyntaxError (`invalid_value`) spanning the whole text.
 */
export function parseDuration(text: string): number {
  const result = readDuration(text);
  if (!result.ok) throw new QuerySyntaxError('invalid_value', result.message, 0, text.length);
  return result.ns;
}

const FORMAT_UNITS: readonly [string, number][] = [
  ['h', 3_600_000_000_000],
  ['m', 60_000_000_000],
  ['s', 1_000_000_000],
  ['ms', 1_000_000],
  ['us', 1_000],
];

/** `value / unit` as a terminating decimal with at most `maxDigits` fraction digits. */
function exactDecimal(value: number, unit: number, maxDigits: number): string | undefined {
  let remainder = value % unit;
  let digits = '';
  while (remainder !== 0 && digits.length < maxDigits) {
    remainder *= 10;
    digits += String(Math.floor(remainder / unit));
    remainder %= unit;
  }
  if (remainder !== 0) return undefined;
  const whole = String(Math.floor(value / unit));
  return digits === '' ? whole : `${whole}.${digits}`;
}

/**
 * Formats nanoseconds losslessly in the largest unit (up to hours) that represents the value
 * exactly, so `parseDuration(formatDuration(ns)) === ns` for every non-negative safe integer.
 *
 * @example
 * formatDuration(1_500_000_000); // '1.5s'
 * formatDuration(90_000_000_000); // '1.5m'
 * formatDuration(61_000_000_000); // '61s' (1.0166…m does not terminate)
 * @throws RangeError when `ns` is not a non-negative safe integer.
 */
export function formatDuration(ns: number): string {
  if (!Number.isSafeInteger(ns) || ns < 0) {
    throw new RangeError(`formatDuration expects a non-negative integer of nanoseconds, got ${ns}`);
  }
  if (ns === 0) return '0s';
  for (const [unit, size] of FORMAT_UNITS) {
    if (ns < size) continue;
    const decimal = exactDecimal(ns, size, 12);
    if (decimal !== undefined) return decimal + unit;
  }
  return `${ns}ns`;
}
