/**
 * Times in queries: relative (`last-1h`, `today`, `yesterday`, computed from a `now` the
 * caller passes, so results are deterministic) and absolute (`2026-11-01`,
 * `2026-11-01T10:00:00Z`). Every time denotes an inclusive interval of epoch milliseconds:
 * a date is its whole day, a date-time is a single millisecond.
 *
 * Dates and date-times without a zone are read at a fixed UTC offset (default 0, UTC);
 * `today` and `yesterday` are days at that offset.
 */
import { readDuration } from './durations.ts';

export interface TimeBounds {
  /** epoch ms, inclusive */
  start: number;
  /** epoch ms, inclusive */
  end: number;
}

export type TimeResult = { ok: true; bounds: TimeBounds } | { ok: false; message: string };

export const TIME_HINT = 'use e.g. last-1h, today, 2026-11-01, 2026-11-01T10:00:00Z or A..B';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, (month % 12) + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

function parseOffset(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/** An absolute date (its whole day) or date-time (one millisecond); never throws. */
export function readTimestamp(text: string, utcOffsetMinutes = 0): TimeResult {
  const invalid: TimeResult = { ok: false, message: `invalid time '${text}' (${TIME_HINT})` };
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return invalid;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: `invalid date '${text}' (no such day)` };
  }
  const offset = zone === undefined ? utcOffsetMinutes : parseOffset(zone);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (offset === undefined || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, message: `invalid time of day in '${text}'` };
  }
  const millisecond = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  const start =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offset) * 60 + second) * 1000 +
    millisecond;
  const end = h === undefined ? start + MS_PER_DAY - 1 : start;
  return { ok: true, bounds: { start, end } };
}

function dayAt(epochMs: number, utcOffsetMinutes: number, shiftDays: number): TimeBounds {
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  const start = (Math.floor((epochMs + offsetMs) / MS_PER_DAY) + shiftDays) * MS_PER_DAY - offsetMs;
  return { start, end: start + MS_PER_DAY - 1 };
}

/**
 * A relative time: `last-<duration>` (from now minus the duration up to now), `today` or
 * `yesterday` (whole days); `undefined` when the text is none of these.
 */
export function readRelativeTime(
  text: string,
  now: number,
  utcOffsetMinutes = 0,
): TimeResult | undefined {
  const lower = text.toLowerCase();
  if (lower === 'today') return { ok: true, bounds: dayAt(now, utcOffsetMinutes, 0) };
  if (lower === 'yesterday') return { ok: true, bounds: dayAt(now, utcOffsetMinutes, -1) };
  if (!lower.startsWith('last-')) return undefined;
  const duration = readDuration(text.slice(5), { requireUnit: true });
  if (!duration.ok || duration.ns === 0) {
    return {
      ok: false,
      message: `invalid relative time '${text}' (use e.g. last-30s, last-15m, last-1h, last-7d)`,
    };
  }
  return { ok: true, bounds: { start: now - Math.round(duration.ns / 1e6), end: now } };
}

/**
 * Epoch milliseconds as an ISO 8601 UTC date-time that `readTimestamp` reads back exactly
 * (years 0000 to 9999); milliseconds are shown only when not zero.
 *
 * @example
 * formatTimestamp(Date.UTC(2026, 10, 1)); // '2026-11-01T00:00:00Z'
 */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}
