/**
 * The waterfall model: the compact trace as typed arrays plus the tree (children in CSR
 * form, a preorder, depths, subtree extents), derived once per trace in O(n log n).
 * Everything the waterfall draws or computes later (visible rows, critical path, search,
 * flame layout) reads these arrays; nothing allocates per span after this.
 */
import type { CompactTrace } from './compact.ts';

export interface WaterfallModel {
  traceId: string;
  n: number;
  strings: string[];
  spanId: string[];
  /** Parent index, -1 for roots (including orphans and spans broken out of a cycle). */
  parent: Int32Array;
  name: Int32Array;
  service: Int32Array;
  kind: Int32Array;
  operation: Int32Array;
  model: Int32Array;
  start: Float64Array;
  duration: Float64Array;
  error: Uint8Array;
  tokens: Float64Array;
  depth: Int32Array;
  /** Children of span i are children[childStart[i] .. childStart[i+1]), in start order. */
  childStart: Int32Array;
  children: Int32Array;
  /** Span indexes in display order (depth first, children by start time). */
  preorder: Int32Array;
  /** Position of span i in `preorder`. */
  position: Int32Array;
  /** Number of descendants of span i (its subtree is preorder[position+1 .. position+size]). */
  descendants: Int32Array;
  /** 1 when span i or a descendant has an error. */
  errorBelow: Uint8Array;
  roots: Int32Array;
  /** The time axis runs 0 .. totalNs: the trace's duration, at least 1 ns (for the scale). */
  totalNs: number;
  /** The trace's duration in ns as stored: 0 for a trace of one instant (a logged label). */
  durationNs: number;
  maxDepth: number;
  /** Service string ids in order of first appearance (for colors and legends). */
  services: number[];
}

export function buildModel(trace: CompactTrace): WaterfallModel {
  const c = trace.spans;
  const n = c.spanId.length;
  const parent = Int32Array.from(c.parent);
  const start = Float64Array.from(c.startNs);
  const duration = Float64Array.from(c.durationNs);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0 || p >= n || p === i) parent[i] = -1;
  }

  // Children in CSR form. Spans come sorted by start, so children land in start order.
  const counts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) counts[parent[i]! + 1]!++;
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) childStart[i + 1] = childStart[i]! + counts[i + 1]!;
  const fill = childStart.slice(0, n);
  const children = new Int32Array(childStart[n]!);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) children[fill[p]!++] = i;
  }

  // Preorder by explicit stack (deep traces must not overflow the call stack). Spans not
  // reached from a root sit on a parent cycle: each becomes a root when first met.
  const preorder = new Int32Array(n);
  const position = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  const roots: number[] = [];
  const stack = new Int32Array(n);
  let pos = 0;
  let maxDepth = 0;
  const walk = (root: number) => {
    let top = 0;
    stack[top++] = root;
    depth[root] = 0;
    while (top > 0) {
      const s = stack[--top]!;
      if (position[s] !== -1) continue;
      position[s] = pos;
      preorder[pos++] = s;
      const d = depth[s]!;
      if (d > maxDepth) maxDepth = d;
      for (let k = childStart[s + 1]! - 1; k >= childStart[s]!; k--) {
        const ch = children[k]!;
        if (position[ch] !== -1) continue;
        depth[ch] = d + 1;
        stack[top++] = ch;
      }
    }
  };
  for (let i = 0; i < n; i++) {
    if (parent[i] === -1) {
      roots.push(i);
      walk(i);
    }
  }
  for (let i = 0; i < n; i++) {
    if (position[i] === -1) {
      parent[i] = -1;
      roots.push(i);
      walk(i);
    }
  }

  // Subtree sizes and error roll-up, children before parents (reverse preorder).
  const descendants = new Int32Array(n);
  const errorBelow = Uint8Array.from(c.error);
  for (let k = n - 1; k >= 0; k--) {
    const s = preorder[k]!;
    const p = parent[s]!;
    if (p >= 0) {
      descendants[p]! += descendants[s]! + 1;
      if (errorBelow[s]) errorBelow[p] = 1;
    }
  }

  let totalNs = trace.durationNs;
  for (let i = 0; i < n; i++) totalNs = Math.max(totalNs, start[i]! + duration[i]!);

  const seen = new Set<number>();
  const services: number[] = [];
  for (let i = 0; i < n; i++) {
    const sv = c.service[i]!;
    if (!seen.has(sv)) {
      seen.add(sv);
      services.push(sv);
    }
  }

  return {
    traceId: trace.traceId,
    n,
    strings: trace.strings,
    spanId: c.spanId,
    parent,
    name: Int32Array.from(c.name),
    service: Int32Array.from(c.service),
    kind: Int32Array.from(c.kind),
    operation: Int32Array.from(c.operation),
    model: Int32Array.from(c.model),
    start,
    duration,
    error: Uint8Array.from(c.error),
    tokens: Float64Array.from(c.tokens),
    depth,
    childStart,
    children,
    preorder,
    position,
    descendants,
    errorBelow,
    roots: Int32Array.from(roots),
    totalNs: Math.max(totalNs, 1),
    durationNs: totalNs,
    maxDepth,
    services,
  };
}

export const str = (m: WaterfallModel, id: number): string => m.strings[id] ?? '';
export const childCount = (m: WaterfallModel, i: number): number =>
  m.childStart[i + 1]! - m.childStart[i]!;
