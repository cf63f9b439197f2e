/**
 * Flame graph (icicle by time): one canvas row per depth, each span a box from its start
 * for its duration. Hover shows the span, click selects it; shares the waterfall's time window.
 */
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { formatNs } from '../../../lib/format.ts';
import { colorKey, cssVar, hashString, resolvePalette } from '../lib/colors.ts';
import { flameLayout, hitTest } from '../lib/flame.ts';
import type { WaterfallModel } from '../lib/model.ts';
import { str } from '../lib/model.ts';
import type { ColorBy, TimeView } from './Waterfall.tsx';

const ROW = 20;

export function FlameGraph({
  model,
  view,
  colorBy,
  selected,
  onSelect,
  theme,
  critical,
}: {
  model: WaterfallModel;
  view: TimeView;
  colorBy: ColorBy;
  selected: number;
  onSelect: (i: number) => void;
  theme: string;
  critical: Uint8Array | null;
}) {
  const layout = useMemo(() => flameLayout(model), [model]);
  const canvas = useRef<HTMLCanvasElement>(null);
  const wrap = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const [width, setWidth] = useState(800);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    const height = layout.depthCount * ROW;
    c.width = Math.floor(width * dpr);
    c.height = Math.floor(height * dpr);
    c.style.width = `${width}px`;
    c.style.height = `${height}px`;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, width, height);
    const palette = resolvePalette();
    const err = cssVar('--error');
    const fg = '#0b0f14';
    const crit = cssVar('--critical');
    const span = Math.max(1, view.end - view.start);
    ctx.font = '11px ui-sans-serif, system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (let d = 0; d < layout.depthCount; d++) {
      const row = layout.byDepth[d]!;
      let lastPixel = -1;
      for (let k = 0; k < row.length; k++) {
        const i = row[k]!;
        const x0 = ((model.start[i]! - view.start) / span) * width;
        const w = (model.duration[i]! / span) * width;
        if (x0 > width || x0 + w < 0) continue;
        // Boxes under a pixel wide that land on the pixel already drawn are skipped.
        const px = Math.floor(x0);
        if (w < 1 && px === lastPixel) continue;
        lastPixel = px;
        const key = colorKey(model, i, colorBy);
        ctx.fillStyle = model.error[i] ? err : palette[hashString(key) % palette.length]!;
        ctx.globalAlpha = critical && !critical[i] ? 0.45 : 1;
        ctx.fillRect(x0, d * ROW + 1, Math.max(w - 1, 1), ROW - 2);
        ctx.globalAlpha = 1;
        if (i === selected) {
          ctx.strokeStyle = cssVar('--fg');
          ctx.lineWidth = 2;
          ctx.strokeRect(x0 + 1, d * ROW + 2, Math.max(w - 2, 1), ROW - 4);
        } else if (critical?.[i]) {
          ctx.fillStyle = crit;
          ctx.fillRect(x0, d * ROW + ROW - 3, Math.max(w - 1, 1), 2);
        }
        if (w > 40) {
          ctx.fillStyle = fg;
          const label = str(model, model.name[i]!);
          ctx.save();
          ctx.beginPath();
          ctx.rect(x0 + 3, d * ROW, w - 6, ROW);
          ctx.clip();
          ctx.fillText(label, Math.max(x0, 0) + 4, d * ROW + ROW / 2);
          ctx.restore();
        }
      }
    }
  }, [model, layout, view, width, colorBy, selected, theme, critical]);

  const spanAt = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const d = Math.floor(y / ROW);
    const t = view.start + (x / rect.width) * (view.end - view.start);
    return { i: hitTest(model, layout, d, t), x, y };
  };

  return (
    <div ref={wrap} className="relative min-h-0 flex-1 overflow-auto" data-testid="flame-graph">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Flame graph of ${model.n} spans over ${layout.depthCount} levels`}
        onMouseMove={(e) => {
          const h = spanAt(e);
          setHover(h.i >= 0 ? h : null);
        }}
        onMouseLeave={() => setHover(null)}
        onClick={(e) => {
          const h = spanAt(e);
          if (h.i >= 0) onSelect(h.i);
        }}
        className="cursor-pointer"
      />
      {hover && (
        <div
          className="pointer-events-none absolute z-10 rounded-md border border-line bg-panel px-2 py-1 text-[12px] shadow-pop"
          style={{ left: Math.min(hover.x + 12, width - 220), top: hover.y + 14 }}
        >
          <div className="font-medium">{str(model, model.name[hover.i]!)}</div>
          <div className="text-muted">
            {str(model, model.service[hover.i]!)} · {formatNs(model.duration[hover.i]!)}
          </div>
        </div>
      )}
    </div>
  );
}
