/**
 * Flame-graph layout (an icicle by time): each span is a box at x = start, width =
 * duration, row = depth. Spans are grouped per depth in start order for drawing and for
 * hit-testing by binary search.
 */
import type { WaterfallModel } from './model.ts';

export interface FlameLayout {
  depthCount: number;
  /** byDepth[d] holds the spans at depth d, sorted by start. */
  byDepth: Int32Array[];
}

export function flameLayout(model: WaterfallModel): FlameLayout {
  const depthCount = model.n === 0 ? 0 : model.maxDepth + 1;
  const counts = new Int32Array(depthCount);
  for (let i = 0; i < model.n; i++) counts[model.depth[i]!]!++;
  const byDepth = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(depthCount);
  // Span indexes are in start order already, so each depth list is sorted.
  for (let i = 0; i < model.n; i++) {
    const d = model.depth[i]!;
    byDepth[d]![fill[d]!++] = i;
  }
  return { depthCount, byDepth };
}

/** The span at time `t` (ns) on row `depth`, or -1. */
export function hitTest(
  model: WaterfallModel,
  layout: FlameLayout,
  depth: number,
  t: number,
): number {
  const row = layout.byDepth[depth];
  if (!row) return -1;
  let lo = 0;
  let hi = row.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (model.start[row[mid]!]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Overlapping siblings: look back a little for a span that covers t.
  for (let k = found; k >= 0 && k > found - 64; k--) {
    const s = row[k]!;
    if (model.start[s]! + Math.max(model.duration[s]!, 0) >= t) return s;
  }
  return -1;
}
