import clsx from 'clsx';
import { getApiKey } from '../../../lib/api.ts';
import { useSocketStatus } from '../../live/hooks/live.ts';

const TEXT = {
  idle: 'Live updates off',
  connecting: 'Connecting to live updates',
  open: 'Live updates connected',
  reconnecting: 'Live updates reconnecting',
  closed: 'Live updates off',
} as const;

export function ConnectionIndicator() {
  const keyAuth = getApiKey() !== null;
  const status = useSocketStatus(!keyAuth);
  const label = keyAuth ? 'Live updates need a password sign-in' : TEXT[status];
  return (
    <span
      role="status"
      aria-label={label}
      title={label}
      data-testid="connection-indicator"
      data-status={status}
      className="flex h-8 items-center gap-1.5 rounded-md px-2 text-[12px] text-muted"
    >
      <span
        className={clsx(
          'h-2 w-2 rounded-full',
          status === 'open'
            ? 'bg-ok'
            : status === 'reconnecting' || status === 'connecting'
              ? 'bg-warn animate-pulse'
              : 'bg-faint',
        )}
      />
      <span className="hidden lg:inline">
        {status === 'open'
          ? 'Live'
          : status === 'reconnecting'
            ? 'Reconnecting'
            : status === 'connecting'
              ? 'Connecting'
              : 'Offline'}
      </span>
    </span>
  );
}
