/**
 * The trace list's state lives in the URL, so a link reproduces the view:
 * `/traces?q=service:api&range=1h` or `&from=2026-11-01T10:00:00Z&to=…`, `sort`, `order`, `live=1`.
 */
import { formatTime } from '../../../lib/format.ts';

export type Sort = 'time' | 'duration' | 'tokens';

export interface ListState {
  q: string;
  /** Relative range (`15m`, `1h`, `24h`, `7d`) or '' when absolute. */
  range: string;
  from: string;
  to: string;
  sort: Sort;
  order: 'asc' | 'desc';
  live: boolean;
}

export const RELATIVE_RANGES = [
  { id: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 24 * 3_600_000 },
] as const;

export const DEFAULT_RANGE = '24h';

export function rangeMs(range: string): number | undefined {
  const known = RELATIVE_RANGES.find((r) => r.id === range);
  if (known) return known.ms;
  const m = /^(\d+)(m|h|d)$/.exec(range);
  if (!m) return undefined;
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

export function readState(params: URLSearchParams): ListState {
  const sort = params.get('sort');
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const range = params.get('range') ?? (from ? '' : DEFAULT_RANGE);
  let q = params.get('q') ?? '';
  // Shortcut links (`?status=error`) fold into the query.
  const status = params.get('status');
  if (status === 'error' || status === 'ok') q = `${q} status:${status}`.trim();
  return {
    q,
    range: rangeMs(range) !== undefined ? range : from ? '' : DEFAULT_RANGE,
    from,
    to,
    sort: sort === 'duration' || sort === 'tokens' ? sort : 'time',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    live: params.get('live') === '1',
  };
}

export function writeState(state: ListState): URLSearchParams {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  if (state.range) {
    if (state.range !== DEFAULT_RANGE) p.set('range', state.range);
  } else {
    if (state.from) p.set('from', state.from);
    if (state.to) p.set('to', state.to);
  }
  if (state.sort !== 'time') p.set('sort', state.sort);
  if (state.order !== 'desc') p.set('order', state.order);
  if (state.live) p.set('live', '1');
  return p;
}

/** The API window for a state at `now`: relative ranges are open-ended (no `to`). */
export function windowOf(
  state: Pick<ListState, 'range' | 'from' | 'to'>,
  now: number,
): { from: string; to?: string } {
  const rel = rangeMs(state.range);
  if (rel !== undefined) return { from: new Date(now - rel).toISOString() };
  return {
    from: state.from || new Date(now - 86_400_000).toISOString(),
    ...(state.to ? { to: state.to } : {}),
  };
}

export function describeRange(
  state: Pick<ListState, 'range' | 'from' | 'to'>,
  timeZone?: string,
): string {
  const known = RELATIVE_RANGES.find((r) => r.id === state.range);
  if (known) return known.label;
  if (state.range) return `Last ${state.range}`;
  const f = (s: string) =>
    s ? formatTime(Date.parse(s), { timeZone, millis: false }).slice(0, 16) : 'now';
  return `${f(state.from)} – ${f(state.to)}`;
}
