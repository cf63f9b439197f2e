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

/** `2026-11-01 10:04:05.123` in the given zone offset (local by default). */
export function formatTime(ms: number, opts: { utc?: boolean; millis?: boolean } = {}): string {
  const d = new Date(ms);
  const [Y, M, D, h, m, s, x] = opts.utc
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ]
    : [
        d.getFullYear(),
        d.getMonth() + 1,
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ];
  const base = `${Y}-${pad(M)}-${pad(D)} ${pad(h)}:${pad(m)}:${pad(s)}`;
  return opts.millis === false ? base : `${base}.${pad(x, 3)}`;
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
