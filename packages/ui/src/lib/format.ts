/** Display formatting shared by every page: durations, times, counts. Pure. */

/** A duration in nanoseconds as people read it: `840 µs`, `12.3 ms`, `1.25 s`, `3m 05s`. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns) || ns < 0) return '–';
  if (ns < 1_000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${trim(ns / 1_000)} µs`;
  if (ns < 1_000_000_000) return `${trim(ns / 1_000_000)} ms`;
  const s = ns / 1_000_000_000;
  if (s < 60) return `${trim(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatMs(ms: number): string {
  return formatNs(ms * 1_000_000);
}

function trim(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** Epoch nanoseconds (decimal string) to epoch milliseconds. */
export function nsToMs(ns: string | number): number {
  if (typeof ns === 'number') return ns / 1e6;
  if (ns.length <= 6) return Number(ns) / 1e6;
  return Number(ns.slice(0, -6)) + Number(ns.slice(-6)) / 1e6;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

/** A cached formatter for an IANA zone, or null when the zone is unknown to this browser. */
function zoneFormat(timeZone: string): Intl.DateTimeFormat | null {
  let f = zoneFormats.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    zoneFormats.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this browser knows. */
export function isTimeZone(timeZone: string): boolean {
  return zoneFormat(timeZone) !== null;
}

/**
 * `2026-11-01 10:04:05.123`: in the IANA `timeZone` when given (the user's preference; an
 * unknown zone falls back to local time), in UTC with `utc`, else in local time.
 */
export function formatTime(
  ms: number,
  opts: { utc?: boolean; millis?: boolean; timeZone?: string } = {},
): string {
  const d = new Date(ms);
  const zone = opts.utc ? null : opts.timeZone ? zoneFormat(opts.timeZone) : null;
  let parts: number[];
  if (zone) {
    const p: Record<string, number> = {};
    for (const { type, value } of zone.formatToParts(d)) p[type] = Number(value);
    parts = [p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!, d.getUTCMilliseconds()];
  } else if (opts.utc) {
    parts = [
      d.getUTCFullYear(),
      d.getUTCMonth() + 1,
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ];
  } else {
    parts = [
      d.getFullYear(),
      d.getMonth() + 1,
      d.getDate(),
      d.getHours(),
      d.getMinutes(),
      d.getSeconds(),
      d.getMilliseconds(),
    ];
  }
  const [Y, M, D, h, m, s, x] = parts as [number, number, number, number, number, number, number];
  const base = `${Y}-${pad(M)}-${pad(D)} ${pad(h)}:${pad(m)}:${pad(s)}`;
  return opts.millis === false ? base : `${base}.${pad(x, 3)}`;
}

/** An instant as a `datetime-local` input value (`2026-11-01T10:04`) in `timeZone` (local by default). */
export function toZonedInput(ms: number, timeZone?: string): string {
  return formatTime(ms, { timeZone, millis: false }).slice(0, 16).replace(' ', 'T');
}

/** A `datetime-local` value read as wall time in `timeZone` (local by default), as epoch ms. */
export function fromZonedInput(value: string, timeZone?: string): number {
  if (!timeZone || !isTimeZone(timeZone)) return new Date(value).getTime();
  const wall = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  // The zone's offset at the guess, then again at the corrected instant (DST edges).
  const offsetAt = (t: number) =>
    Date.parse(`${formatTime(t, { timeZone, millis: false }).replace(' ', 'T')}Z`) - t;
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return t;
}

/** `just now`, `42s ago`, `5m ago`, `3h ago`, `2d ago`. */
export function formatAgo(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ago`;
  return `${Math.floor(h / 24)}d ago`;
}

/** 1234 → `1.2k`, 2_500_000 → `2.5M`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 1e6) return `${(n / 1e3).toFixed(a < 1e4 ? 1 : 0)}k`;
  if (a < 1e9) return `${(n / 1e6).toFixed(a < 1e7 ? 1 : 0)}M`;
  return `${(n / 1e9).toFixed(1)}B`;
}

export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const p = ratio * 100;
  return `${p < 1 && p > 0 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** A signed delta in ns: `+12.0 ms`, `−3.10 ms`. */
export function formatDeltaNs(ns: number): string {
  if (ns === 0) return '±0';
  return `${ns > 0 ? '+' : '−'}${formatNs(Math.abs(ns))}`;
}
