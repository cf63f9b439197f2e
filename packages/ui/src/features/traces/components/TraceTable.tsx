/** The trace list: virtualized rows (only the visible ones are in the DOM), infinite scroll. */
import { useVirtualizer } from '@tanstack/react-virtual';
import clsx from 'clsx';
import { AlertCircle } from 'lucide-react';
import { useEffect, useRef, type MouseEvent } from 'react';
import { Link, useNavigate, type NavigateFunction } from 'react-router';
import { formatCount, formatNs, formatTime, nsToMs } from '../../../lib/format.ts';
import type { TraceSummary } from '../../../lib/types.ts';
import { serviceColor } from '../../waterfall/lib/colors.ts';

const GRID =
  'grid grid-cols-[32px_minmax(0,1fr)_104px_72px] items-center sm:grid-cols-[32px_150px_minmax(220px,2fr)_minmax(120px,1fr)_120px_64px_84px_minmax(110px,1fr)_80px]';
export const ROW_HEIGHT = 36;

export function TraceTable({
  rows,
  selected,
  onToggle,
  onToggleAll,
  active,
  setActive,
  onEndReached,
  fresh,
  loadingMore,
  onHover,
  rowHeight = ROW_HEIGHT,
  timeZone,
}: {
  rows: readonly TraceSummary[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  active: number;
  setActive: (i: number) => void;
  onEndReached?: () => void;
  fresh?: ReadonlySet<string>;
  loadingMore?: boolean;
  /** A row's link is hovered or focused: a chance to start loading that trace. */
  onHover?: (traceId: string) => void;
  /** Row height in px (the density preference). */
  rowHeight?: number;
  /** IANA zone for the Time column (the preference); local time when undefined. */
  timeZone?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  useEffect(() => virtual.measure(), [virtual, rowHeight]);
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (onEndReached && rows.length > 0 && last >= rows.length - 25) onEndReached();
  }, [last, rows.length, onEndReached]);
  useEffect(() => {
    if (active >= 0) virtual.scrollToIndex(active, { align: 'auto' });
  }, [active, virtual]);
  const maxDur = rows.reduce((m, r) => Math.max(m, r.durationNs), 1);
  const allOn = rows.length > 0 && rows.every((r) => selected.has(r.traceId));

  return (
    <div ref={scroller} className="min-h-0 flex-1 overflow-auto" data-testid="trace-list">
      <div
        role="table"
        aria-label="Traces"
        aria-rowcount={rows.length}
        className="sm:min-w-[980px]"
      >
        <div
          role="row"
          className={clsx(
            GRID,
            'sticky top-0 z-10 h-8 border-b border-line bg-panel-2 text-[11px] font-semibold uppercase tracking-wide text-faint',
          )}
        >
          <span role="columnheader" className="flex justify-center">
            <input
              type="checkbox"
              aria-label="Select all traces"
              checked={allOn}
              onChange={onToggleAll}
              className="accent-[var(--accent)]"
            />
          </span>
          <span role="columnheader" className="hidden sm:block" title={timeZone ?? 'Local time'}>
            Time
          </span>
          <span role="columnheader">Root</span>
          <span role="columnheader" className="hidden sm:block">
            Services
          </span>
          <span role="columnheader" className="text-right pr-3">
            Duration
          </span>
          <span role="columnheader" className="hidden pr-3 text-right sm:block">
            Spans
          </span>
          <span role="columnheader">Status</span>
          <span role="columnheader" className="hidden sm:block">
            Models
          </span>
          <span role="columnheader" className="hidden pr-3 text-right sm:block">
            Tokens
          </span>
        </div>
        <div role="rowgroup" style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const r = rows[item.index]!;
            const isSel = selected.has(r.traceId);
            return (
              <div
                role="row"
                key={r.traceId}
                data-testid="trace-row"
                data-trace-id={r.traceId}
                aria-selected={item.index === active}
                onMouseDown={() => setActive(item.index)}
                onClick={(e) => openFromRow(e, `/traces/${r.traceId}`, navigate)}
                onAuxClick={(e) => openFromRow(e, `/traces/${r.traceId}`, navigate)}
                className={clsx(
                  GRID,
                  'absolute inset-x-0 cursor-pointer border-b border-line text-[13px] transition-colors',
                  item.index === active ? 'bg-selected' : 'hover:bg-hover',
                  r.hasError && 'shadow-[inset_3px_0_0_var(--error)]',
                  fresh?.has(r.traceId) && 'animate-[pulse_1.2s_ease-out_1]',
                )}
                style={{ height: rowHeight, transform: `translateY(${item.start}px)` }}
              >
                <span role="cell" className="flex justify-center">
                  <input
                    type="checkbox"
                    aria-label={`Select trace ${r.rootName}`}
                    checked={isSel}
                    onChange={() => onToggle(r.traceId)}
                    className="accent-[var(--accent)]"
                  />
                </span>
                <span
                  role="cell"
                  className="hidden truncate font-mono text-[12px] text-muted tabular sm:block"
                >
                  {formatTime(nsToMs(r.startTimeUnixNano), { timeZone }).slice(5)}
                </span>
                <span
                  role="cell"
                  className="flex min-w-0 flex-col justify-center pr-3 sm:flex-row sm:items-center sm:justify-start sm:gap-2"
                >
                  <span className="font-mono text-[10px] text-faint tabular sm:hidden">
                    {formatTime(nsToMs(r.startTimeUnixNano), { timeZone }).slice(5, 19)}
                  </span>
                  <Link
                    to={`/traces/${r.traceId}`}
                    onMouseEnter={() => onHover?.(r.traceId)}
                    onFocus={() => onHover?.(r.traceId)}
                    className="truncate font-medium text-fg hover:text-link"
                    title={r.rootName}
                  >
                    {r.rootName || <span className="text-faint">(no name)</span>}
                  </Link>
                </span>
                <span
                  role="cell"
                  className="hidden min-w-0 items-center gap-1 overflow-hidden pr-2 sm:flex"
                >
                  {r.services.slice(0, 3).map((s) => (
                    <span
                      key={s}
                      className="inline-flex items-center gap-1 truncate text-[12px] text-muted"
                    >
                      <span
                        className="h-2 w-2 shrink-0 rounded-sm"
                        style={{ background: serviceColor(s) }}
                      />
                      {s}
                    </span>
                  ))}
                  {r.services.length > 3 && (
                    <span className="text-[11px] text-faint">+{r.services.length - 3}</span>
                  )}
                </span>
                <span
                  role="cell"
                  className="flex items-center justify-end gap-2 pr-3 font-mono text-[12px] tabular"
                >
                  <span
                    className="hidden h-1.5 w-8 overflow-hidden rounded-full bg-panel-2 sm:block"
                    aria-hidden
                  >
                    <span
                      className="block h-full rounded-full bg-[var(--c3)]"
                      style={{ width: `${Math.max(4, (r.durationNs / maxDur) * 100)}%` }}
                    />
                  </span>
                  {formatNs(r.durationNs)}
                </span>
                <span role="cell" className="hidden pr-3 text-right tabular text-muted sm:block">
                  {r.spanCount}
                </span>
                <span role="cell">
                  {r.hasError ? (
                    <span className="inline-flex items-center gap-1 text-[12px] font-medium text-err">
                      <AlertCircle size={13} aria-hidden /> {r.errorCount} error
                      {r.errorCount === 1 ? '' : 's'}
                    </span>
                  ) : (
                    <span className="text-[12px] text-ok">OK</span>
                  )}
                </span>
                <span
                  role="cell"
                  className="hidden truncate pr-2 text-[12px] text-muted sm:block"
                  title={r.models.join(', ')}
                >
                  {r.models.join(', ') || <span className="text-faint">–</span>}
                </span>
                <span role="cell" className="hidden pr-3 text-right tabular text-muted sm:block">
                  {r.totalTokens ? formatCount(r.totalTokens) : '–'}
                </span>
              </div>
            );
          })}
        </div>
        {loadingMore && (
          <div className="py-3 text-center text-[12px] text-muted">Loading more…</div>
        )}
      </div>
    </div>
  );
}

/**
 * A click anywhere on a row opens its trace, as the root name's link does (what users of
 * Jaeger and Langfuse expect). Left alone: clicks on the row's own controls (the link, which
 * navigates itself, and the checkbox), and a click that ends a text selection (copying an id or
 * a model name). Ctrl/⌘-click and the middle button open a new tab, as on a link.
 */
function openFromRow(e: MouseEvent<HTMLElement>, href: string, navigate: NavigateFunction) {
  if (e.button > 1 || (e.target as Element).closest('a, input, button, label')) return;
  if ((window.getSelection()?.toString() ?? '') !== '') return;
  if (e.button === 1 || e.metaKey || e.ctrlKey) {
    window.open(href, '_blank', 'noopener');
    return;
  }
  void navigate(href);
}
