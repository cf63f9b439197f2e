import clsx from 'clsx';
import { Bell } from 'lucide-react';
import { Menu } from '../../../components/menu.tsx';
import { IconButton } from '../../../components/ui.tsx';
import { formatAgo } from '../../../lib/format.ts';
import { clearNotices, markAllRead, useNotices } from '../lib/notifications.ts';

export function NotificationCenter() {
  const notices = useNotices();
  const unread = notices.filter((n) => !n.read).length;
  return (
    <Menu
      label="Notifications"
      className="w-80"
      button={(p) => (
        <IconButton
          label={unread ? `Notifications (${unread} unread)` : 'Notifications'}
          {...p}
          onClick={() => {
            p.onClick();
            markAllRead();
          }}
          className="relative"
        >
          <Bell size={16} />
          {unread > 0 && (
            <span className="absolute right-1.5 top-1.5 h-2 w-2 rounded-full bg-accent" />
          )}
        </IconButton>
      )}
    >
      {() => (
        <div>
          <div className="flex items-center justify-between px-2 py-1.5">
            <span className="text-xs font-semibold text-muted">Notifications</span>
            {notices.length > 0 && (
              <button type="button" className="text-xs text-link" onClick={clearNotices}>
                Clear all
              </button>
            )}
          </div>
          {notices.length === 0 ? (
            <p className="px-2 py-4 text-center text-[13px] text-muted">Nothing new.</p>
          ) : (
            <ul className="max-h-80 overflow-auto">
              {notices.map((n) => (
                <li key={n.id} className="rounded-md px-2 py-1.5 hover:bg-hover">
                  <div className="flex items-center gap-2">
                    <span
                      className={clsx(
                        'h-1.5 w-1.5 rounded-full',
                        n.tone === 'error' ? 'bg-err' : n.tone === 'ok' ? 'bg-ok' : 'bg-link',
                      )}
                    />
                    <span className="text-[13px] font-medium">{n.title}</span>
                    <span className="ml-auto text-[11px] text-faint">{formatAgo(n.at)}</span>
                  </div>
                  {n.detail && <p className="pl-3.5 text-[12px] text-muted">{n.detail}</p>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Menu>
  );
}
