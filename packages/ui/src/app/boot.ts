/**
 * The first page's requests, started by `main.tsx` before React mounts: the session
 * (`/auth/me`) and, on the trace list, its first page and facets, all at once. Without this
 * they form a cascade (bundle → render → `/auth/me` → render the list → `/traces`).
 * The list page then asks with the same query key (the same `now`), so it finds them in flight.
 */
import type { QueryClient } from '@tanstack/react-query';
import { meQuery } from '../features/auth/hooks/auth.tsx';
import { facetsQuery, traceSearchQuery } from '../features/traces/hooks/traces.ts';
import { readState, windowOf } from '../features/traces/lib/url-state.ts';

/** A boot-time `now` older than this is not reused (the page stayed open, or came back later). */
const REUSE_MS = 30_000;

const boot = {
  at: Date.now(),
  path: window.location.pathname,
  search: new URLSearchParams(window.location.search).toString(),
};

export function startFirstRequests(client: QueryClient): void {
  void client.prefetchQuery(meQuery);
  if (boot.path !== '/traces') return;
  const state = readState(new URLSearchParams(boot.search));
  void client.prefetchInfiniteQuery(traceSearchQuery(state, boot.at));
  void client.prefetchQuery(facetsQuery(windowOf(state, boot.at)));
}

/**
 * The `now` the trace list starts with: the boot's, when the list is the page the app was
 * opened on (same parameters) and that was moments ago, so its query key matches the
 * request already in flight; otherwise the current time.
 */
export function listStartNow(params: URLSearchParams): number {
  const t = Date.now();
  const reuse =
    window.location.pathname === boot.path &&
    params.toString() === boot.search &&
    t - boot.at < REUSE_MS;
  boot.path = ''; // once: a later visit to the list is a new "now"
  return reuse ? boot.at : t;
}
