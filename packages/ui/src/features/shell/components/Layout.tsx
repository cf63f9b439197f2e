/** The app shell: collapsible sidebar (a menu on phones), header with breadcrumbs and tools. */
import clsx from 'clsx';
import { ChevronsLeft, ChevronsRight, Menu as MenuIcon, X } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { IconButton } from '../../../components/ui.tsx';
import { Breadcrumbs } from './Breadcrumbs.tsx';
import { CommandPalette } from './CommandPalette.tsx';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { NotificationCenter } from './NotificationCenter.tsx';
import { ShortcutsDialog } from './ShortcutsDialog.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { UserMenu } from './UserMenu.tsx';
import { usePrefs } from '../hooks/prefs.ts';
import { useGlobalShortcuts } from '../hooks/shortcuts.ts';
import { NAV } from '../lib/nav.ts';

function Logo({ compact }: { compact?: boolean }) {
  return (
    <div className="flex items-center gap-2 px-1">
      <img src="/favicon.svg" alt="" className="h-6 w-6" />
      {!compact && <span className="text-[15px] font-semibold tracking-tight">PyFlare</span>}
    </div>
  );
}

function NavItems({ collapsed, onNavigate }: { collapsed?: boolean; onNavigate?: () => void }) {
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5">
      {NAV.map(({ to, label, icon: Icon, end }) => (
        <NavLink
          key={to}
          to={to}
          end={end}
          onClick={onNavigate}
          title={collapsed ? label : undefined}
          className={({ isActive }) =>
            clsx(
              'flex h-8 items-center gap-2.5 rounded-md px-2 text-[13px] font-medium transition-colors',
              isActive ? 'bg-accent-soft text-accent' : 'text-muted hover:bg-hover hover:text-fg',
              collapsed && 'justify-center',
            )
          }
        >
          <Icon size={16} aria-hidden />
          {collapsed ? <span className="sr-only">{label}</span> : label}
        </NavLink>
      ))}
    </nav>
  );
}

export function Layout({ children }: { children?: ReactNode }) {
  const [collapsed, setCollapsed] = useState(
    () => localStorage.getItem('pyflare.sidebar') === 'collapsed',
  );
  const [mobileOpen, setMobileOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const location = useLocation();
  useEffect(() => setMobileOpen(false), [location.pathname]);
  // The density preference, for styles and tests (row heights are set by the lists).
  const { density } = usePrefs();
  useEffect(() => {
    document.documentElement.dataset.density = density;
  }, [density]);
  useGlobalShortcuts({
    openPalette: () => setPaletteOpen(true),
    openHelp: () => setHelpOpen(true),
  });
  const toggleCollapsed = () => {
    const next = !collapsed;
    setCollapsed(next);
    localStorage.setItem('pyflare.sidebar', next ? 'collapsed' : 'open');
  };

  return (
    <div className="flex h-full">
      <aside
        className={clsx(
          'hidden shrink-0 flex-col border-r border-line bg-panel px-2 py-3 md:flex',
          collapsed ? 'w-14' : 'w-52',
        )}
      >
        <div className="mb-4 flex h-7 items-center justify-between">
          <Logo compact={collapsed} />
        </div>
        <NavItems collapsed={collapsed} />
        <div className="mt-auto">
          <IconButton
            label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
            onClick={toggleCollapsed}
          >
            {collapsed ? <ChevronsRight size={16} /> : <ChevronsLeft size={16} />}
          </IconButton>
        </div>
      </aside>

      {mobileOpen && (
        <div className="fixed inset-0 z-40 md:hidden">
          <div className="absolute inset-0 bg-black/40" onClick={() => setMobileOpen(false)} />
          <div className="absolute inset-y-0 left-0 flex w-64 flex-col border-r border-line bg-panel px-3 py-3 shadow-pop">
            <div className="mb-4 flex items-center justify-between">
              <Logo />
              <IconButton label="Close menu" onClick={() => setMobileOpen(false)}>
                <X size={16} />
              </IconButton>
            </div>
            <NavItems onNavigate={() => setMobileOpen(false)} />
          </div>
        </div>
      )}

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 shrink-0 items-center gap-2 border-b border-line bg-panel px-3">
          <IconButton label="Open menu" className="md:hidden" onClick={() => setMobileOpen(true)}>
            <MenuIcon size={18} />
          </IconButton>
          <Breadcrumbs />
          <div className="ml-auto flex items-center gap-1">
            <button
              type="button"
              onClick={() => setPaletteOpen(true)}
              aria-label="Open command palette"
              className="mr-1 hidden h-8 items-center gap-2 rounded-md border border-line bg-panel-2 px-2.5 text-[12px] text-faint hover:text-fg sm:flex"
            >
              Search or jump to…
              <span className="rounded border border-line px-1 font-mono text-[10px]">Ctrl K</span>
            </button>
            <ConnectionIndicator />
            <NotificationCenter />
            <ThemeToggle />
            <UserMenu onHelp={() => setHelpOpen(true)} />
          </div>
        </header>
        <main className="min-h-0 flex-1 overflow-auto">{children ?? <Outlet />}</main>
      </div>
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
