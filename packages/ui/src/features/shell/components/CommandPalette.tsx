/** Ctrl/Cmd+K: jump to a page, open a trace by id, run a saved query. */
import { useQuery } from '@tanstack/react-query';
import clsx from 'clsx';
import { Activity, Bookmark, FileSearch } from 'lucide-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../../../components/dialog.tsx';
import { api } from '../../../lib/api.ts';
import type { SavedQuery } from '../../../lib/types.ts';
import { useAuth } from '../../auth/hooks/auth.tsx';
import { NAV } from '../lib/nav.ts';

interface Item {
  id: string;
  label: string;
  hint: string;
  icon: ReactNode;
  run(): void;
}

const PAGES = [
  ...NAV.map((n) => ({ to: n.to, label: n.label })),
  { to: '/traces?status=error', label: 'Traces with errors' },
  { to: '/traces?live=1', label: 'Live traces' },
  { to: '/settings/keys', label: 'API keys' },
  { to: '/settings/users', label: 'Users' },
  { to: '/settings/project', label: 'Project settings' },
  { to: '/settings/preferences', label: 'Preferences' },
];

export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const navigate = useNavigate();
  const { me } = useAuth();
  const saved = useQuery({
    queryKey: ['saved-queries'],
    queryFn: () => api<{ savedQueries: SavedQuery[] }>('/saved-queries'),
    enabled: open && !!me,
    retry: false,
  });

  const items = useMemo<Item[]>(() => {
    const q = text.trim().toLowerCase();
    const go = (to: string) => () => {
      onClose();
      void navigate(to);
    };
    const out: Item[] = [];
    const id = q.replace(/^trace[: ]/, '');
    if (/^[0-9a-f]{32}$/.test(id)) {
      out.push({
        id: `trace-${id}`,
        label: `Open trace ${id}`,
        hint: 'Trace',
        icon: <Activity size={14} />,
        run: go(`/traces/${id}`),
      });
    }
    for (const p of PAGES) {
      if (!q || p.label.toLowerCase().includes(q)) {
        out.push({
          id: `page-${p.to}`,
          label: p.label,
          hint: 'Page',
          icon: <FileSearch size={14} />,
          run: go(p.to),
        });
      }
    }
    for (const s of saved.data?.savedQueries ?? []) {
      if (!q || s.name.toLowerCase().includes(q) || s.query.toLowerCase().includes(q)) {
        const params = new URLSearchParams({ q: s.query });
        if (s.timeRange) params.set('range', s.timeRange);
        out.push({
          id: `saved-${s.id}`,
          label: s.name,
          hint: s.query,
          icon: <Bookmark size={14} />,
          run: go(`/traces?${params}`),
        });
      }
    }
    if (q && !out.some((i) => i.id.startsWith('trace-'))) {
      out.push({
        id: 'search',
        label: `Search traces for “${text.trim()}”`,
        hint: 'Search',
        icon: <Activity size={14} />,
        run: go(`/traces?${new URLSearchParams({ q: text.trim() })}`),
      });
    }
    return out;
  }, [text, saved.data, navigate, onClose]);

  const current = Math.min(active, Math.max(0, items.length - 1));

  return (
    <Dialog
      open={open}
      onClose={() => {
        setText('');
        onClose();
      }}
      title="Command palette"
      className="!mt-[12vh] !mb-auto"
    >
      <input
        autoFocus
        aria-label="Command"
        placeholder="Type a page, a trace id or a saved query…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, items.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            items[current]?.run();
            setText('');
          }
        }}
        className="mb-2 h-10 w-full rounded-md border border-line bg-panel-2 px-3 text-sm outline-none focus:border-focus"
      />
      <ul role="listbox" aria-label="Results" className="max-h-80 overflow-auto">
        {items.map((item, i) => (
          <li
            key={item.id}
            role="option"
            aria-selected={i === current}
            onMouseEnter={() => setActive(i)}
            onClick={() => {
              item.run();
              setText('');
            }}
            className={clsx(
              'flex cursor-pointer items-center gap-2 rounded-md px-2 py-2 text-[13px]',
              i === current && 'bg-hover',
            )}
          >
            <span className="text-muted">{item.icon}</span>
            <span className="truncate">{item.label}</span>
            <span className="ml-auto max-w-[40%] truncate text-[11px] text-faint">{item.hint}</span>
          </li>
        ))}
        {items.length === 0 && <li className="px-2 py-4 text-center text-muted">No matches</li>}
      </ul>
    </Dialog>
  );
}
