import { useEffect, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { Empty, Spinner } from '../components/ui.tsx';
import { useAuth } from '../features/auth/hooks/auth.tsx';
import { LoginPage } from '../features/auth/components/LoginPage.tsx';
import { Layout } from '../features/shell/components/Layout.tsx';
import { HomePage } from '../features/home/components/HomePage.tsx';
import { TraceListPage } from '../features/traces/components/TraceListPage.tsx';
import { lazyPage } from './lazy-page.tsx';

// The trace page (waterfall, markdown sanitizer) loads on first use; the list and home stay in the main bundle.
const TraceDetailPage = lazyPage(() =>
  import('../features/waterfall/components/TraceDetailPage.tsx').then((m) => m.TraceDetailPage),
);
const ComparePage = lazyPage(() =>
  import('../features/compare/components/ComparePage.tsx').then((m) => m.ComparePage),
);
const SettingsPage = lazyPage(() =>
  import('../features/settings/components/SettingsPage.tsx').then((m) => m.SettingsPage),
);

/**
 * Once the first page is up, fetch the trace page's code when the browser is idle, so that
 * opening a trace does not wait for it.
 */
function usePreloadTracePage(): void {
  useEffect(() => {
    const load = () => void TraceDetailPage.preload().catch(() => undefined);
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(load, { timeout: 1500 });
      return () => cancelIdleCallback(id);
    }
    const t = setTimeout(load, 300);
    return () => clearTimeout(t);
  }, []);
}

function Loading() {
  return (
    <div className="flex h-full items-center justify-center">
      <Spinner />
    </div>
  );
}

function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me)
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

export function App() {
  usePreloadTracePage();
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="traces" element={<TraceListPage />} />
        <Route path="traces/:traceId" element={<TraceDetailPage />} />
        <Route path="compare" element={<ComparePage />} />
        <Route path="settings/*" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** An unknown address inside the app: say which, and offer the way back. */
function NotFound() {
  const { pathname } = useLocation();
  return (
    <Empty title="Page not found">
      Nothing lives at <span className="font-mono">{pathname}</span>.{' '}
      <Link className="text-accent hover:underline" to="/">
        Home
      </Link>{' '}
      ·{' '}
      <Link className="text-accent hover:underline" to="/traces">
        Traces
      </Link>
    </Empty>
  );
}
