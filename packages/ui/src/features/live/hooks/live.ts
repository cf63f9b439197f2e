import { useEffect, useRef, useSyncExternalStore } from 'react';
import { getApiKey, getProjectId } from '../../../lib/api.ts';
import { LiveSocket, type SocketStatus } from '../lib/socket.ts';

/** The tab's one socket. An API key (browsers cannot set headers on upgrades) goes in no URL: key sessions get no live updates. */
export const socket = new LiveSocket(() => {
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  // Browsers cannot set headers on a WebSocket: the session's project goes in the query.
  const project = getProjectId();
  return `${proto}//${window.location.host}/api/v1/ws${project ? `?project=${encodeURIComponent(project)}` : ''}`;
});

/** Whether this tab can have live updates: an API-key session cannot (see `socket` above). */
export const liveAvailable = (): boolean => getApiKey() === null;
export const LIVE_NEEDS_SESSION = 'Live updates need a password sign-in';

/** A moment after the page is up, so the upgrade (a session check) does not compete with the first page's requests. */
const CONNECT_DELAY_MS = 1000;

export function useSocketStatus(): SocketStatus {
  useEffect(() => {
    if (!liveAvailable()) return;
    socket.reset();
    // A live subscription (live mode) connects at once by itself.
    const t = setTimeout(() => socket.connect(), CONNECT_DELAY_MS);
    return () => clearTimeout(t);
  }, []);
  return useSyncExternalStore(
    (l) => socket.onStatus(l),
    () => socket.status,
  );
}

/** Subscribes to a channel while mounted and `enabled`; the callback may change freely. */
export function useLiveChannel(
  channel: string,
  filter: Record<string, unknown> | undefined,
  enabled: boolean,
  onEvent: (data: unknown) => void,
): void {
  const ref = useRef(onEvent);
  useEffect(() => {
    ref.current = onEvent;
  });
  const key = JSON.stringify(filter ?? {});
  useEffect(() => {
    // A key session's upgrade would be refused and retried for ever.
    if (!enabled || !liveAvailable()) return;
    return socket.subscribe({
      channel,
      filter: JSON.parse(key) as Record<string, unknown>,
      onEvent: (d) => ref.current(d),
    });
  }, [channel, key, enabled]);
}
