import clsx from 'clsx';
import { LIVE_NEEDS_SESSION, liveAvailable, useSocketStatus } from '../../live/hooks/live.ts';
import type { SocketStatus } from '../../live/lib/socket.ts';

type Shown = { text: string; label: string; dot: string };

/**
 * What the header shows for each socket state. `idle` is the moment between the page coming up
 * and the socket's first attempt (see CONNECT_DELAY_MS): it reads as connecting, not as offline.
 */
const SHOWN: Record<SocketStatus, Shown> = {
  idle: { text: 'Connecting', label: 'Connecting to live updates', dot: 'bg-warn' },
  connecting: {
    text: 'Connecting',
    label: 'Connecting to live updates',
    dot: 'bg-warn animate-pulse',
  },
  open: { text: 'Live', label: 'Live updates connected', dot: 'bg-ok' },
  reconnecting: {
    text: 'Reconnecting',
    label: 'Live updates reconnecting',
    dot: 'bg-warn animate-pulse',
  },
  closed: { text: 'Live off', label: 'Live updates off', dot: 'bg-faint' },
};

/** An API-key session never opens the socket (a browser cannot put the key on the upgrade). */
const KEY_AUTH: Shown = {
  text: 'Live off',
  label: LIVE_NEEDS_SESSION,
  dot: 'bg-faint',
};

export function ConnectionIndicator() {
  const keyAuth = !liveAvailable();
  const status = useSocketStatus();
  const shown = keyAuth ? KEY_AUTH : SHOWN[status];
  return (
    <span
      role="status"
      aria-label={shown.label}
      title={shown.label}
      data-testid="connection-indicator"
      data-status={keyAuth ? 'key-auth' : status}
      className="flex h-8 items-center gap-1.5 rounded-md px-2 text-[12px] text-muted"
    >
      <span className={clsx('h-2 w-2 rounded-full', shown.dot)} />
      <span className="hidden lg:inline">{shown.text}</span>
    </span>
  );
}
