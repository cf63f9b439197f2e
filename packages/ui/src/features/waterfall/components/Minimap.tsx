/**
 * The minimap: every visible row of the trace drawn small on a canvas, with the current
 * time window as a box. Drag on empty space to zoom to a range; drag the box to pan;
 * double-click to reset.
 */
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { colorKey, cssVar, hashString, resolvePalette } from '../lib/colors.ts';
import type { WaterfallModel } from '../lib/model.ts';
import type { ColorBy, TimeView } from './Waterfall.tsx';

const H = 44;

export function Minimap({
  model,
  rows,
  view,
  onView,
  colorBy,
  theme,
}: {
  model: WaterfallModel;
  rows: Int32Array;
  view: TimeView;
  onView: (v: TimeView) => void;
  colorBy: ColorBy;
  theme: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{
    mode: 'brush' | 'pan';
    x0: number;
    v0: TimeView;
    x1: number;
  } | null>(null);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const width = c.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.floor(width * dpr));
    c.height = H * dpr;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, width, H);
    const palette = resolvePalette();
    const errColor = cssVar('--error');
    const total = model.totalNs;
    const n = rows.length;
    const rowH = Math.max(H / Math.max(n, 1), 0.5);
    // At most ~4,000 boxes: a 44 px strip cannot show more, and 100,000 would cost a frame.
    const stride = Math.max(1, Math.ceil(n / 4000));
    for (let k = 0; k < n; k += stride) {
      const i = rows[k]!;
      const key = colorKey(model, i, colorBy);
      ctx.fillStyle = model.error[i] ? errColor : palette[hashString(key) % palette.length]!;
      const x = (model.start[i]! / total) * width;
      const w = Math.max(1, (model.duration[i]! / total) * width);
      ctx.fillRect(x, (k / n) * H, w, Math.max(rowH, 1));
    }
  }, [model, rows, colorBy, theme]);

  const toNs = (clientX: number) => {
    const rect = canvas.current!.getBoundingClientRect();
    return Math.max(0, Math.min(1, (clientX - rect.left) / rect.width)) * model.totalNs;
  };

  const onDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const inBox = box.current?.contains(e.target as Node) ?? false;
    setDrag({ mode: inBox ? 'pan' : 'brush', x0: e.clientX, v0: view, x1: e.clientX });
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    if (drag.mode === 'pan') {
      const d = toNs(e.clientX) - toNs(drag.x0);
      const span = drag.v0.end - drag.v0.start;
      const start = Math.max(0, Math.min(model.totalNs - span, drag.v0.start + d));
      onView({ start, end: start + span });
    } else setDrag({ ...drag, x1: e.clientX });
  };
  const onUp = (e: PointerEvent<HTMLDivElement>) => {
    if (drag?.mode === 'brush') {
      const a = toNs(drag.x0);
      const b = toNs(e.clientX);
      if (Math.abs(b - a) > model.totalNs / 500)
        onView({ start: Math.min(a, b), end: Math.max(a, b) });
    }
    setDrag(null);
  };

  const pct = (ns: number) => `${(ns / model.totalNs) * 100}%`;
  const brush =
    drag?.mode === 'brush' && canvas.current
      ? [toNs(drag.x0), toNs(drag.x1)].sort((x, y) => x - y)
      : null;
  return (
    <div
      className="relative mx-3 my-2 h-[44px] shrink-0 cursor-crosshair select-none overflow-hidden rounded border border-line bg-panel-2"
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onDoubleClick={() => onView({ start: 0, end: model.totalNs })}
      data-testid="minimap"
      aria-label="Minimap: drag to zoom, drag the window to pan, double-click to reset"
      role="slider"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round((view.start / model.totalNs) * 100)}
      tabIndex={0}
    >
      <canvas ref={canvas} className="absolute inset-0 h-full w-full" />
      <div className="absolute inset-y-0 left-0 bg-black/25" style={{ width: pct(view.start) }} />
      <div className="absolute inset-y-0 right-0 bg-black/25" style={{ left: pct(view.end) }} />
      <div
        ref={box}
        className="absolute inset-y-0 cursor-grab border-x-2 border-accent"
        style={{ left: pct(view.start), width: pct(view.end - view.start) }}
      />
      {brush && (
        <div
          className="absolute inset-y-0 bg-accent/25"
          style={{ left: pct(brush[0]!), width: pct(brush[1]! - brush[0]!) }}
        />
      )}
    </div>
  );
}
