/**
 * The span waterfall: a time ruler, then one row per visible span (indented tree with
 * collapse toggles, a bar on the time axis). Rows have a fixed height and only those in
 * view are in the DOM, so 100,000 spans scroll like 100. Colors come from the theme.
 *
 * Scrolling is the hot path, and React stays out of it: the rows are drawn by `RowSlots`
 * (`row-slots.ts`), plain DOM code that recycles a fixed set of row elements (row `k` in slot
 * `k % slots`) and rewrites only what changed. The scroll listener draws the rows for the new
 * position right in the scroll event, which the browser dispatches before it paints the
 * frame, so they are painted in that frame; scrolling within a row draws nothing. React
 * renders the scroller and, when an input changes (rows, selection, zoom, colors, hits), a
 * layout effect redraws the window. Clicks are handled once, on the scroller. The DOM order
 * is slot order, not visual order: the tree's `aria-owns` lists the rows in visual order for
 * assistive technology, and each row carries `data-row` (its index among the visible rows).
 */
import { memo, useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { CSSProperties, MouseEvent } from 'react';
import { formatNs } from '../../../lib/format.ts';
import type { WaterfallModel } from '../lib/model.ts';
import type { CollapseState } from '../lib/rows.ts';
import { ticks } from '../lib/ticks.ts';
import { RowSlots, type ColorBy, type RowInputs, type TimeView } from './row-slots.ts';

export type { ColorBy, TimeView } from './row-slots.ts';
export { barColor } from './row-slots.ts';

export const ROW_H = 26;
const OVERSCAN = 6;

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

export function Waterfall(props: WaterfallProps) {
  const { model, rows, collapsed, selected, view, onView, colorBy, critical, hits } = props;
  const { currentHit, scrollTo, onSelect, onToggle } = props;
  const rowH = props.rowHeight ?? ROW_H;
  const scroller = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(600);
  const idBase = `wf${useId().replaceAll(':', '')}-`;
  // At most this many rows are ever in the window; row k is drawn in slot k % slots.
  const slots = Math.ceil(height / rowH) + 2 * OVERSCAN + 2;

  // The latest inputs, read by the scroll listener and the click handler.
  const inputs = useRef<RowInputs | null>(null);
  const slotsRef = useRef<RowSlots | null>(null);
  const topRow = useRef(-1);
  const draw = useCallback(
    (force: boolean) => {
      const el = scroller.current;
      const box = inner.current;
      const now = inputs.current;
      if (!el || !box || !now) return;
      const top = Math.floor(el.scrollTop / now.rowH);
      if (!force && top === topRow.current) return;
      topRow.current = top;
      slotsRef.current ??= new RowSlots(box, idBase);
      const first = Math.max(0, top - OVERSCAN);
      const last = Math.min(now.rows.length, top + Math.ceil(height / now.rowH) + 1 + OVERSCAN);
      const owns = slotsRef.current.draw(now, first, last, slots);
      if (owns) el.setAttribute('aria-owns', owns);
      else el.removeAttribute('aria-owns');
    },
    [idBase, height, slots],
  );

  useLayoutEffect(() => {
    inputs.current = {
      model,
      rows,
      collapsed,
      selected,
      view,
      colorBy,
      critical,
      hits,
      currentHit,
      rowH,
    };
    slotsRef.current?.invalidate();
    draw(true);
  }, [model, rows, collapsed, selected, view, colorBy, critical, hits, currentHit, rowH, draw]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Passive: the listener never cancels the scroll, it only draws the rows for it.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => draw(false);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [draw]);

  useEffect(() => {
    const el = scroller.current;
    if (!el || scrollTo < 0) return;
    const top = scrollTo * rowH;
    if (top < el.scrollTop || top + rowH > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 3);
    }
  }, [scrollTo, rowH]);

  // One handler for every row: a click on a toggle button collapses or expands, elsewhere selects.
  const onClick = useCallback(
    (e: MouseEvent<HTMLDivElement>) => {
      const target = e.target as Element;
      const row = target.closest('.wf-row');
      const span = row ? (slotsRef.current?.spanOf(row) ?? -1) : -1;
      if (span < 0) return;
      if (target.closest('button')) onToggle(span);
      else onSelect(span);
    },
    [onToggle, onSelect],
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

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="waterfall">
      <Ruler view={view} />
      <div
        ref={scroller}
        onClick={onClick}
        onPointerOver={(e) => slotsRef.current?.titleAt(e.target as Element)}
        role="tree"
        aria-label="Span waterfall"
        aria-rowcount={rows.length}
        className="relative min-h-0 flex-1 overflow-auto overscroll-contain"
        tabIndex={0}
      >
        <div
          ref={inner}
          style={
            {
              height: rows.length * rowH,
              position: 'relative',
              '--row-h': `${rowH}px`,
              '--bar-h': `${rowH >= 24 ? 14 : 12}px`,
            } as CSSProperties
          }
        />
        <div
          data-timeline
          className="pointer-events-none absolute inset-y-0 left-[var(--name-w)] right-0"
        />
      </div>
    </div>
  );
}

/** Least room per ruler label ("999 ms", "1.25 s" and a gap), in px. */
const LABEL_PX = 72;

const Ruler = memo(function Ruler({ view }: { view: TimeView }) {
  const span = Math.max(1, view.end - view.start);
  // As many labels as the timeline's width holds (it changes with the window, the detail
  // panel and the name column), so they never overlap.
  const axis = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useLayoutEffect(() => {
    const el = axis.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const marks = ticks(view.start, view.end, Math.max(1, Math.min(6, Math.floor(width / LABEL_PX))));
  return (
    <div
      className="grid h-7 shrink-0 grid-cols-[var(--name-w)_1fr] border-b border-line bg-panel-2 text-[11px] text-faint"
      aria-hidden
    >
      <div className="flex items-center px-3 font-semibold uppercase tracking-wide">Span</div>
      <div ref={axis} className="relative mr-16 ml-2" data-testid="ruler">
        {marks.map((t) => (
          <span
            key={t}
            className="absolute inset-y-0 border-l border-line pl-1 leading-7 whitespace-nowrap tabular"
            style={{ left: `${((t - view.start) / span) * 100}%` }}
          >
            {formatNs(t)}
          </span>
        ))}
      </div>
    </div>
  );
});
