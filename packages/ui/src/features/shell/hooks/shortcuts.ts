/** Global keyboard shortcuts: Ctrl/Cmd+K palette, `/` search, `?` help. Lists handle j/k/Enter. */
import { useEffect, useRef } from 'react';

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

export const FOCUS_SEARCH = 'pyflare:focus-search';

export function useGlobalShortcuts(actions: { openPalette(): void; openHelp(): void }): void {
  const ref = useRef(actions);
  useEffect(() => {
    ref.current = actions;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        ref.current.openPalette();
        return;
      }
      if (isTyping(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      if (e.key === '/') {
        e.preventDefault();
        window.dispatchEvent(new Event(FOCUS_SEARCH));
      } else if (e.key === '?') {
        e.preventDefault();
        ref.current.openHelp();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** j/k/Enter over a list while no field has focus. */
export function useListKeys(
  handlers: { next(): void; prev(): void; open(): void; escape?(): void },
  enabled = true,
): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      if (e.key === 'Escape') {
        ref.current.escape?.();
        return;
      }
      if (isTyping(e.target)) return;
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        ref.current.next();
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        ref.current.prev();
      } else if (
        e.key === 'Enter' &&
        (e.target as HTMLElement | null)?.tagName !== 'BUTTON' &&
        (e.target as HTMLElement | null)?.tagName !== 'A'
      ) {
        e.preventDefault();
        ref.current.open();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
