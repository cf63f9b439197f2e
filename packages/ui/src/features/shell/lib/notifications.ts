/** The notification center's store: toasts that also stay in a list until cleared. */
import { useSyncExternalStore } from 'react';

export interface Notice {
  id: number;
  title: string;
  detail?: string;
  tone: 'info' | 'error' | 'ok';
  at: number;
  read: boolean;
}

let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function notify(title: string, opts: { detail?: string; tone?: Notice['tone'] } = {}): void {
  notices = [
    {
      id: nextId++,
      title,
      detail: opts.detail,
      tone: opts.tone ?? 'info',
      at: Date.now(),
      read: false,
    },
    ...notices,
  ].slice(0, 50);
  emit();
}

export function markAllRead(): void {
  notices = notices.map((n) => ({ ...n, read: true }));
  emit();
}

export function clearNotices(): void {
  notices = [];
  emit();
}

export function useNotices(): Notice[] {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => notices,
  );
}
