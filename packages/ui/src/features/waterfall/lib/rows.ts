/**
 * Visible rows of the waterfall: the preorder with collapsed subtrees skipped. A collapsed
 * span's subtree is one contiguous run of the preorder, so this is one pass that jumps
 * over it: O(visible rows + collapsed spans met).
 */
import type { WaterfallModel } from './model.ts';

/** Collapse state: 1 at span i when its children are hidden. */
export type CollapseState = Uint8Array;

export function emptyCollapse(model: WaterfallModel): CollapseState {
  return new Uint8Array(model.n);
}

export function visibleRows(model: WaterfallModel, collapsed: CollapseState): Int32Array {
  const out = new Int32Array(model.n);
  let count = 0;
  let k = 0;
  while (k < model.n) {
    const s = model.preorder[k]!;
    out[count++] = s;
    k += collapsed[s] ? model.descendants[s]! + 1 : 1;
  }
  return out.subarray(0, count);
}

export function toggle(collapsed: CollapseState, i: number): CollapseState {
  const next = collapsed.slice();
  next[i] = next[i] ? 0 : 1;
  return next;
}

/** Collapses every span deeper than `depth` that has children (depth 0 = roots only). */
export function collapseBelow(model: WaterfallModel, depth: number): CollapseState {
  const next = new Uint8Array(model.n);
  for (let i = 0; i < model.n; i++) {
    if (model.depth[i]! >= depth && model.descendants[i]! > 0) next[i] = 1;
  }
  return next;
}

/** Expands every ancestor of span i so that it is visible. */
export function reveal(model: WaterfallModel, collapsed: CollapseState, i: number): CollapseState {
  let changed = false;
  const next = collapsed.slice();
  for (let p = model.parent[i]!; p >= 0; p = model.parent[p]!) {
    if (next[p]) {
      next[p] = 0;
      changed = true;
    }
  }
  return changed ? next : collapsed;
}

/**
 * The default for large traces: everything open up to `maxRowsOpen` rows; beyond that,
 * subtrees below depth 2 start collapsed so the first paint stays small and legible.
 */
export function initialCollapse(model: WaterfallModel, maxRowsOpen = 20_000): CollapseState {
  if (model.n <= maxRowsOpen) return emptyCollapse(model);
  return collapseBelow(model, 2);
}
