/**
 * Pages whose code loads on first use, without Suspense.
 *
 * With `React.lazy` a page suspends on its first render even when its chunk is already
 * downloaded (the factory's promise is new, so pending), the Suspense fallback commits, and
 * React then holds the page back until 300 ms after that fallback (its fallback throttle).
 * Opening a 3-span trace took ~390 ms that way, almost all of it waiting, not working.
 * Here a page whose code is loaded renders at once, and one whose code is loading shows a
 * spinner that an ordinary state update replaces as soon as the code arrives.
 */
import { useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { Button, Empty, Spinner } from '../components/ui.tsx';

export interface LazyPage<P extends object> {
  (props: P): ReactNode;
  /** Starts loading the code (once); resolves when it is there. */
  preload(): Promise<void>;
}

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<void> | undefined;
  const preload = (): Promise<void> =>
    (pending ??= load().then(
      (component) => {
        loaded = component;
      },
      (err: unknown) => {
        pending = undefined; // a later attempt may succeed (e.g. after a redeploy)
        throw err;
      },
    ));

  function Page(props: P) {
    const [, setLoaded] = useState(false);
    const [failed, setFailed] = useState<unknown>(undefined);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      preload().then(
        () => live && setLoaded(true),
        (err: unknown) => live && setFailed(err),
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) {
      const Loaded = loaded;
      return <Loaded {...props} />;
    }
    if (failed !== undefined) {
      return (
        <Empty title="This page could not be loaded">
          <p className="mb-3">
            {failed instanceof Error ? failed.message : String(failed)}. The server may have been
            upgraded since this tab opened.
          </p>
          <Button onClick={() => window.location.reload()}>Reload</Button>
        </Empty>
      );
    }
    return (
      <div className="flex h-full items-center justify-center">
        <Spinner />
      </div>
    );
  }
  const page = Page as LazyPage<P>;
  page.preload = preload;
  return page;
}
