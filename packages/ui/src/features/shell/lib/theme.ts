/** Light/dark theme: saved choice (`light`, `dark`, `system`) applied as `data-theme` on <html>. */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'pyflare.theme';
const listeners = new Set<() => void>();

function read(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

const systemDark = () => window.matchMedia('(prefers-color-scheme: dark)').matches;

export function applyTheme(choice: ThemeChoice = read()): 'light' | 'dark' {
  const resolved = choice === 'system' ? (systemDark() ? 'dark' : 'light') : choice;
  document.documentElement.dataset.theme = resolved;
  return resolved;
}

export function setTheme(choice: ThemeChoice): void {
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    /* ignore */
  }
  applyTheme(choice);
  listeners.forEach((l) => l());
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useTheme(): {
  choice: ThemeChoice;
  resolved: 'light' | 'dark';
  set: (c: ThemeChoice) => void;
  toggle: () => void;
} {
  const choice = useSyncExternalStore(subscribe, read);
  const resolved = useSyncExternalStore(
    subscribe,
    () =>
      (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light') as 'light' | 'dark',
  );
  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => {
      if (read() === 'system') {
        applyTheme('system');
        listeners.forEach((l) => l());
      }
    };
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  const toggle = useCallback(() => setTheme(resolved === 'dark' ? 'light' : 'dark'), [resolved]);
  return { choice, resolved, set: setTheme, toggle };
}
