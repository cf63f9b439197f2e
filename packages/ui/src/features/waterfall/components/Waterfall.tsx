/**
 * The span waterfall: a time ruler, then one row per visible span (indented tree with
 * collapse toggles, a bar on the time axis). Rows have a fixed height and only those in
 * view are in the DOM, so 100,000 spans scroll like 100. Colors come from the theme.
 *
 * Scrolling is the hot path. Row elements are recycled: the window has a fixed number of
 * slots, row `k` lives in slot `k % slots`, and React keys are slots, so a scroll step
 * re-renders only the rows that entered the window, into existing elements (text and
 * attributes change, no element is created, moved or removed), positioned by `transform`
 * (no layout for the move). The DOM order is therefore slot order, not visual order: the
 * tree's `aria-owns` lists the rows in visual order for assistive technology, and each row
 * carries `data-row` (its index among the visible rows).
 */
import clsx from 'clsx';
import { AlertTriangle, ChevronDown, ChevronRight } from 'lucide-react';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type UIEvent,
} from 'react';
import { flushSync } from 'react-dom';
import { formatNs } from '../../../lib/format.ts';
import { colorVar } from '../lib/colors.ts';
import type { WaterfallModel } from '../lib/model.ts';
import { str } from '../lib/model.ts';
import type { CollapseState } from '../lib/rows.ts';
import { ticks } from '../lib/ticks.ts';

export const ROW_H = 26;
const OVERSCAN = 6;
const INDENT = 14;
const MAX_INDENT_LEVELS = 30;

export type ColorBy = 'service' | 'kind' | 'operation';
export interface TimeView {
  start: number;
  end: number;
}

export interface WaterfallProps {
  model: WaterfallModel;
  rows: Int32Array;
  collapsed: CollapseState;
  onToggle: (span: number) => void;
  selected: number;
  onSelect: (span: number) => void;
  view: TimeView;
  onView: (v: TimeView) => void;
  colorBy: ColorBy;
  critical: Uint8Array | null;
  hits: Uint8Array | null;
  currentHit: number;
  /** Row index to scroll into view when it changes. */
  scrollTo: number;
  /** Row height in px (the density preference); default ROW_H. */
  rowHeight?: number;
}

export function barColor(model: WaterfallModel, i: number, colorBy: ColorBy): string {
  const key =
    colorBy === 'service'
      ? str(model, model.service[i]!)
      : colorBy === 'kind'
        ? str(model, model.kind[i]!)
        : str(model, model.operation[i]!) || 'other';
  return `var(${colorVar(key)})`;
}

export function Waterfall(props: WaterfallProps) {
  const { model, rows, view, onView, scrollTo } = props;
  const rowH = props.rowHeight ?? ROW_H;
  const scroller = useRef<HTMLDivElement>(null);
  // The first row at the top of the view: scrolling within a row renders nothing.
  const [topRow, setTopRow] = useState(0);
  const [height, setHeight] = useState(600);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // A new row height (density) moves the row at the top of the view.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) setTopRow(Math.floor(el.scrollTop / rowH));
  }, [rowH]);

  useEffect(() => {
    const el = scroller.current;
    if (!el || scrollTo < 0) return;
    const top = scrollTo * rowH;
    if (top < el.scrollTop || top + rowH > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 3);
    }
  }, [scrollTo, rowH]);

  // The browser dispatches scroll events before it paints the frame; rendering the new rows
  // right there (flushSync) paints them in that frame. A plain state update from a scroll
  // event waits for a scheduler task, which often runs after the paint: a frame of blank
  // rows, or a dropped frame.
  const onScroll = useCallback(
    (e: UIEvent<HTMLDivElement>) => {
      const row = Math.floor(e.currentTarget.scrollTop / rowH);
      flushSync(() => setTopRow(row));
    },
    [rowH],
  );

  const onWheel = useCallback(
    (e: globalThis.WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey && !e.shiftKey) return;
      const rect = scroller.current?.querySelector('[data-timeline]')?.getBoundingClientRect();
      if (!rect) return;
      e.preventDefault();
      const span = view.end - view.start;
      if (e.shiftKey) {
        const shift = (e.deltaY || e.deltaX) * span * 0.001;
        const start = Math.max(0, Math.min(model.totalNs - span, view.start + shift));
        onView({ start, end: start + span });
        return;
      }
      const at = view.start + ((e.clientX - rect.left) / rect.width) * span;
      const factor = Math.exp(e.deltaY * 0.002);
      const next = Math.max(model.totalNs / 1e6, Math.min(model.totalNs, span * factor));
      let start = at - (at - view.start) * (next / span);
      start = Math.max(0, Math.min(model.totalNs - next, start));
      onView({ start, end: start + next });
    },
    [view, onView, model.totalNs],
  );
  // Native listener: React's wheel handlers are passive and cannot stop the page zoom.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [onWheel]);

  const first = Math.max(0, topRow - OVERSCAN);
  const last = Math.min(rows.length, topRow + Math.ceil(height / rowH) + 1 + OVERSCAN);
  // At most this many rows are ever in the window; row k renders in slot k % slots.
  const slots = Math.ceil(height / rowH) + 2 * OVERSCAN + 2;
  const bySlot: number[] = new Array<number>(Math.min(slots, rows.length)).fill(-1);
  for (let k = first; k < last; k++) bySlot[k % slots] = k;
  const idBase = `wf${useId().replaceAll(':', '')}-`;
  let owns = '';
  for (let k = first; k < last; k++) owns += `${k > first ? ' ' : ''}${idBase}${k % slots}`;

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="waterfall">
      <Ruler view={view} />
      <div
        ref={scroller}
        onScroll={onScroll}
        role="tree"
        aria-label="Span waterfall"
        aria-rowcount={rows.length}
        aria-owns={owns || undefined}
        className="relative min-h-0 flex-1 overflow-auto overscroll-contain"
        tabIndex={0}
      >
        <div style={{ height: rows.length * rowH, position: 'relative' }}>
          {bySlot.map((k, slot) =>
            k < 0 ? null : (
              <Row
                key={slot}
                k={k}
                span={rows[k]!}
                rowH={rowH}
                idBase={idBase}
                slots={slots}
                {...props}
              />
            ),
          )}
        </div>
        <div
          data-timeline
          className="pointer-events-none absolute inset-y-0 left-[var(--name-w)] right-0"
        />
      </div>
    </div>
  );
}

const Ruler = memo(function Ruler({ view }: { view: TimeView }) {
  const span = Math.max(1, view.end - view.start);
  // Fewer labels on a phone-sized timeline, so they never overlap.
  const marks = ticks(view.start, view.end, window.innerWidth < 640 ? 3 : 6);
  return (
    <div
      className="grid h-7 shrink-0 grid-cols-[var(--name-w)_1fr] border-b border-line bg-panel-2 text-[11px] text-faint"
      aria-hidden
    >
      <div className="flex items-center px-3 font-semibold uppercase tracking-wide">Span</div>
      <div className="relative mr-16 ml-2">
        {marks.map((t) => (
          <span
            key={t}
            className="absolute inset-y-0 border-l border-line pl-1 leading-7 tabular"
            style={{ left: `${((t - view.start) / span) * 100}%` }}
          >
            {formatNs(t)}
          </span>
        ))}
      </div>
    </div>
  );
});

const Row = memo(function Row({
  k,
  span: i,
  model,
  collapsed,
  onToggle,
  selected,
  onSelect,
  view,
  colorBy,
  critical,
  hits,
  currentHit,
  rowH,
  idBase,
  slots,
}: WaterfallProps & { k: number; span: number; rowH: number; idBase: string; slots: number }) {
  const depth = model.depth[i]!;
  const hasKids = model.descendants[i]! > 0;
  const isCollapsed = collapsed[i] === 1;
  const err = model.error[i] === 1;
  const span = Math.max(1, view.end - view.start);
  const start = model.start[i]!;
  const dur = model.duration[i]!;
  const left = ((start - view.start) / span) * 100;
  const width = Math.max((dur / span) * 100, 0.08);
  const name = str(model, model.name[i]!);
  const service = str(model, model.service[i]!);
  const onCritical = critical?.[i] === 1;
  const hit = hits?.[i] === 1;
  // Right of the bar (the timeline keeps a margin for it) unless the bar starts late and ends late.
  const labelRight = !(left > 30 && left + width > 85);
  const color = barColor(model, i, colorBy);
  const barH = rowH >= 24 ? 14 : 12;
  return (
    <div
      role="treeitem"
      aria-level={depth + 1}
      id={`${idBase}${k % slots}`}
      data-row={k}
      aria-expanded={hasKids ? !isCollapsed : undefined}
      aria-selected={selected === i}
      aria-label={`${name} ${service} ${formatNs(dur)}${err ? ' error' : ''}`}
      data-testid="span-row"
      data-span-id={model.spanId[i]}
      onClick={() => onSelect(i)}
      className={clsx(
        'absolute inset-x-0 top-0 grid cursor-pointer grid-cols-[var(--name-w)_1fr] border-b border-line/60 text-[12px]',
        selected === i ? 'bg-selected' : hit ? 'bg-hl/40' : 'hover:bg-hover',
        currentHit === i && 'outline outline-2 -outline-offset-2 outline-[var(--warn)]',
      )}
      style={{ transform: `translateY(${k * rowH}px)`, height: rowH, contain: 'strict' }}
    >
      <div
        className="flex min-w-0 items-center gap-1 pr-2"
        style={{ paddingLeft: 6 + Math.min(depth, MAX_INDENT_LEVELS) * INDENT }}
      >
        {hasKids ? (
          <button
            type="button"
            aria-label={isCollapsed ? `Expand ${name}` : `Collapse ${name}`}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(i);
            }}
            className="flex h-5 w-5 shrink-0 items-center justify-center rounded text-muted hover:bg-hover hover:text-fg"
          >
            {isCollapsed ? <ChevronRight size={13} /> : <ChevronDown size={13} />}
          </button>
        ) : (
          <span className="w-5 shrink-0" />
        )}
        <span className="h-3 w-1 shrink-0 rounded-sm" style={{ background: color }} />
        {err && <AlertTriangle size={12} className="shrink-0 text-err" aria-label="error" />}
        <span className={clsx('truncate', err ? 'text-err font-medium' : 'text-fg')} title={name}>
          {name}
        </span>
        <span className="truncate text-[11px] text-faint">{service}</span>
        {isCollapsed && (
          <span className="ml-auto shrink-0 rounded bg-panel-2 px-1 text-[10px] text-muted tabular">
            +{model.descendants[i]}
          </span>
        )}
        {depth > MAX_INDENT_LEVELS && (
          <span className="shrink-0 text-[10px] text-faint">L{depth}</span>
        )}
      </div>
      <div className="relative mr-16 ml-2">
        <div
          className={clsx(
            'absolute rounded-[3px]',
            err && 'ring-2 ring-[var(--error)]',
            onCritical && 'shadow-[0_3px_0_var(--critical)]',
          )}
          style={{
            top: (rowH - barH) / 2,
            height: barH,
            left: `${left}%`,
            width: `${width}%`,
            minWidth: 2,
            background: color,
            opacity: critical && !onCritical ? 0.45 : 0.9,
          }}
        />
        <span
          className="absolute top-0 whitespace-nowrap text-[11px] text-muted tabular"
          style={
            labelRight
              ? { left: `calc(${left + width}% + 4px)`, lineHeight: `${rowH}px` }
              : { right: `calc(${100 - left}% + 4px)`, lineHeight: `${rowH}px` }
          }
        >
          {formatNs(dur)}
        </span>
      </div>
    </div>
  );
});
