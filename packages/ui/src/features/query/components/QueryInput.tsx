/**
 * The search box for the query language: syntax highlighting (a colored layer under a
 * transparent-text input), the parser's error underlined and explained, and autocompletion
 * of keys and values (catalog values plus services, models and attributes from /attributes).
 */
import { suggest } from '@pyflare/query';
import clsx from 'clsx';
import { Search } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Facet } from '../../../lib/types.ts';
import { FOCUS_SEARCH } from '../../shell/hooks/shortcuts.ts';
import { options, type Option } from '../lib/completion.ts';
import { highlight, queryError } from '../lib/highlight.ts';

export function QueryInput({
  value,
  onChange,
  onSubmit,
  facets,
}: {
  value: string;
  onChange: (v: string) => void;
  onSubmit: (v: string) => void;
  facets: readonly Facet[];
}) {
  const input = useRef<HTMLInputElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const error = useMemo(() => queryError(value), [value]);
  const segments = useMemo(() => highlight(value, error), [value, error]);
  const suggestion = useMemo(() => suggest(value, cursor), [value, cursor]);
  const opts = useMemo(() => (open ? options(suggestion, facets) : []), [open, suggestion, facets]);

  useEffect(() => {
    const focus = () => {
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener(FOCUS_SEARCH, focus);
    return () => window.removeEventListener(FOCUS_SEARCH, focus);
  }, []);

  const syncScroll = () => {
    if (layer.current && input.current) layer.current.scrollLeft = input.current.scrollLeft;
  };

  const accept = (o: Option) => {
    const next = value.slice(0, suggestion.start) + o.insert + value.slice(suggestion.end);
    const at = suggestion.start + o.insert.length;
    onChange(next);
    setCursor(at);
    setActive(0);
    setOpen(!!o.more);
    requestAnimationFrame(() => {
      input.current?.setSelectionRange(at, at);
      syncScroll();
    });
  };

  return (
    <div className="relative min-w-0 flex-1 basis-full sm:basis-auto">
      <div
        className={clsx(
          'relative flex h-9 items-center rounded-md border bg-panel',
          error ? 'border-err/60' : 'border-line focus-within:border-focus',
        )}
      >
        <Search
          size={15}
          className="pointer-events-none absolute left-2.5 text-faint"
          aria-hidden
        />
        <div
          ref={layer}
          aria-hidden
          className="pointer-events-none absolute inset-y-0 left-8 right-2 overflow-hidden whitespace-pre font-mono text-[13px] leading-[34px]"
        >
          {segments.map((s, i) => (
            <span key={i} className={clsx(`q-${s.type}`, s.error && 'q-error')}>
              {s.text}
            </span>
          ))}
        </div>
        <input
          ref={input}
          role="combobox"
          aria-label="Search traces"
          aria-expanded={opts.length > 0}
          aria-controls="query-suggestions"
          aria-invalid={!!error}
          aria-describedby={error ? 'query-error' : undefined}
          data-testid="query-input"
          spellCheck={false}
          autoComplete="off"
          placeholder="service:checkout status:error duration:>1s model:gpt-4o  —  press / to focus"
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
            setCursor(e.target.selectionStart ?? e.target.value.length);
            setOpen(true);
            setActive(0);
          }}
          onSelect={(e) => {
            setCursor(e.currentTarget.selectionStart ?? 0);
            syncScroll();
          }}
          onScroll={syncScroll}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 120)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && opts.length) {
              e.preventDefault();
              setActive((a) => (a + 1) % opts.length);
            } else if (e.key === 'ArrowUp' && opts.length) {
              e.preventDefault();
              setActive((a) => (a - 1 + opts.length) % opts.length);
            } else if (e.key === 'Tab' && opts.length) {
              e.preventDefault();
              accept(opts[active]!);
            } else if (e.key === 'Enter') {
              e.preventDefault();
              if (opts.length && open && active > 0) accept(opts[active]!);
              else {
                setOpen(false);
                onSubmit(value);
              }
            } else if (e.key === 'Escape') {
              if (open) {
                e.stopPropagation();
                setOpen(false);
              } else input.current?.blur();
            }
          }}
          className="relative h-full w-full bg-transparent pl-8 pr-2 font-mono text-[13px] text-transparent caret-[var(--fg)] outline-none placeholder:font-sans placeholder:text-faint"
        />
      </div>
      {error && (
        <p
          id="query-error"
          role="alert"
          className="absolute left-0 top-full z-10 mt-1 rounded bg-err-soft px-2 py-0.5 text-[12px] text-err"
        >
          {error.message}
        </p>
      )}
      {opts.length > 0 && !error && (
        <ul
          id="query-suggestions"
          role="listbox"
          aria-label="Suggestions"
          className="absolute left-0 top-full z-30 mt-1 max-h-72 w-[min(520px,100%)] overflow-auto rounded-lg border border-line bg-panel p-1 shadow-pop"
        >
          {opts.map((o, i) => (
            <li
              key={o.label}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(o);
              }}
              className={clsx(
                'flex cursor-pointer items-baseline gap-3 rounded-md px-2 py-1.5',
                i === active && 'bg-hover',
              )}
            >
              <span className="font-mono text-[12px] text-fg">{o.label}</span>
              {o.detail && <span className="truncate text-[11px] text-faint">{o.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
