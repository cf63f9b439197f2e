import { ChevronRight } from 'lucide-react';
import { Fragment } from 'react';
import { Link, useLocation } from 'react-router';

const LABELS: Record<string, string> = {
  traces: 'Traces',
  compare: 'Compare',
  settings: 'Settings',
  project: 'Project',
  users: 'Users',
  keys: 'API keys',
  preferences: 'Preferences',
};

export function crumbs(pathname: string): { label: string; to: string }[] {
  const parts = pathname.split('/').filter(Boolean);
  const out = [{ label: 'Home', to: '/' }];
  let path = '';
  for (const p of parts) {
    path += `/${p}`;
    const label =
      LABELS[p] ?? (/^[0-9a-f]{32}$/i.test(p) ? `Trace ${p.slice(0, 8)}…` : decodeURIComponent(p));
    out.push({ label, to: path });
  }
  return out;
}

export function Breadcrumbs() {
  const { pathname } = useLocation();
  const items = crumbs(pathname);
  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
      <ol className="flex items-center gap-1 truncate text-[13px]">
        {items.map((c, i) => (
          <Fragment key={c.to}>
            {i > 0 && <ChevronRight size={14} className="shrink-0 text-faint" aria-hidden />}
            <li className="truncate">
              {i === items.length - 1 ? (
                <span aria-current="page" className="font-medium text-fg">
                  {c.label}
                </span>
              ) : (
                <Link to={c.to} className="text-muted hover:text-fg">
                  {c.label}
                </Link>
              )}
            </li>
          </Fragment>
        ))}
      </ol>
    </nav>
  );
}
