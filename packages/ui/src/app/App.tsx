import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { Spinner } from '../components/ui.tsx';
import { useAuth } from '../features/auth/hooks/auth.tsx';
import { LoginPage } from '../features/auth/components/LoginPage.tsx';
import { Layout } from '../features/shell/components/Layout.tsx';
import { HomePage } from '../features/home/components/HomePage.tsx';
import { TraceListPage } from '../features/traces/components/TraceListPage.tsx';

// The trace page (waterfall, markdown sanitizer) loads on first use; the list and home stay in the main bundle.
const loadTracePage = () => import('../features/waterfall/components/TraceDetailPage.tsx');
const TraceDetailPage = lazy(() => loadTracePage().then((m) => ({ default: m.TraceDetailPage })));

/** Once the first page is up, fetch the trace page's code in idle time so opening a trace does not wait for it. */
function usePreloadTracePage(): void {
  useEffect(() => {
    const t = setTimeout(() => void loadTracePage(), 1500);
    return () => clearTimeout(t);
  }, []);
}
const ComparePage = lazy(() =>
  import('../features/compare/components/ComparePage.tsx').then((m) => ({
    default: m.ComparePage,
  })),
);
const SettingsPage = lazy(() =>
  import('../features/settings/components/SettingsPage.tsx').then((m) => ({
    default: m.SettingsPage,
  })),
);

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
        <Route
          path="traces/:traceId"
          element={
            <Suspense fallback={<Loading />}>
              <TraceDetailPage />
            </Suspense>
          }
        />
        <Route
          path="compare"
          element={
            <Suspense fallback={<Loading />}>
              <ComparePage />
            </Suspense>
          }
        />
        <Route
          path="settings/*"
          element={
            <Suspense fallback={<Loading />}>
              <SettingsPage />
            </Suspense>
          }
        />
        <Route path="*" element={<div className="p-8 text-muted">Page not found.</div>} />
      </Route>
    </Routes>
  );
}
