/**
 * Trace comparison: spans of two traces matched by their name path (the chain of
 * `service name` from the root, with the occurrence number among siblings of the same
 * name), then the merged tree with what was added, removed, slower or faster.
 */
import type { AttributeValue, Attributes, TraceSummary } from '../../../lib/types.ts';
import type { WaterfallModel } from './model.ts';
import { str } from './model.ts';

export type DiffStatus = 'same' | 'added' | 'removed';

export interface DiffRow {
  key: string;
  label: string;
  service: string;
  depth: number;
  /** Span index in trace A / B, or -1. */
  a: number;
  b: number;
  status: DiffStatus;
  /** Duration in B minus A (ns); 0 unless matched. */
  deltaNs: number;
  /** B over A duration; NaN unless matched and A > 0. */
  ratio: number;
}

/** Name-path keys of every span, `parentKey / service name #k`. */
export function pathKeys(model: WaterfallModel): string[] {
  const keys = new Array<string>(model.n);
  const rootSeen = new Map<string, number>();
  for (let k = 0; k < model.n; k++) {
    const s = model.preorder[k]!;
    if (model.parent[s]! >= 0) continue;
    const base = `${str(model, model.service[s]!)} ${str(model, model.name[s]!)}`;
    const occ = rootSeen.get(base) ?? 0;
    rootSeen.set(base, occ + 1);
    keys[s] = `${base}#${occ}`;
  }
  for (let k = 0; k < model.n; k++) {
    const s = model.preorder[k]!;
    const seen = new Map<string, number>();
    for (let c = model.childStart[s]!; c < model.childStart[s + 1]!; c++) {
      const ch = model.children[c]!;
      const base = `${str(model, model.service[ch]!)} ${str(model, model.name[ch]!)}`;
      const occ = seen.get(base) ?? 0;
      seen.set(base, occ + 1);
      keys[ch] = `${keys[s]} / ${base}#${occ}`;
    }
  }
  return keys;
}

interface Node {
  key: string;
  label: string;
  service: string;
  a: number;
  b: number;
  children: Node[];
}

export function diffTraces(a: WaterfallModel, b: WaterfallModel): DiffRow[] {
  const nodes = new Map<string, Node>();
  const roots: Node[] = [];
  const add = (m: WaterfallModel, keys: string[], side: 'a' | 'b') => {
    for (let k = 0; k < m.n; k++) {
      const s = m.preorder[k]!;
      const key = keys[s]!;
      let node = nodes.get(key);
      if (!node) {
        node = {
          key,
          label: str(m, m.name[s]!),
          service: str(m, m.service[s]!),
          a: -1,
          b: -1,
          children: [],
        };
        nodes.set(key, node);
        const p = m.parent[s]!;
        const parentNode = p >= 0 ? nodes.get(keys[p]!) : undefined;
        (parentNode ? parentNode.children : roots).push(node);
      }
      node[side] = s;
    }
  };
  add(a, pathKeys(a), 'a');
  add(b, pathKeys(b), 'b');

  const rows: DiffRow[] = [];
  const stack: Array<[Node, number]> = roots.map((r) => [r, 0] as [Node, number]).reverse();
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const da = node.a >= 0 ? a.duration[node.a]! : 0;
    const db = node.b >= 0 ? b.duration[node.b]! : 0;
    const matched = node.a >= 0 && node.b >= 0;
    rows.push({
      key: node.key,
      label: node.label,
      service: node.service,
      depth,
      a: node.a,
      b: node.b,
      status: matched ? 'same' : node.a >= 0 ? 'removed' : 'added',
      deltaNs: matched ? db - da : 0,
      ratio: matched && da > 0 ? db / da : Number.NaN,
    });
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, depth + 1]);
  }
  return rows;
}

export interface AttributeChange {
  key: string;
  a?: AttributeValue;
  b?: AttributeValue;
  change: 'added' | 'removed' | 'changed' | 'same';
}

const same = (x: AttributeValue | undefined, y: AttributeValue | undefined) =>
  JSON.stringify(x) === JSON.stringify(y);

export function diffAttributes(a: Attributes, b: Attributes): AttributeChange[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.map((key) => {
    const inA = Object.prototype.hasOwnProperty.call(a, key);
    const inB = Object.prototype.hasOwnProperty.call(b, key);
    const change: AttributeChange['change'] = !inA
      ? 'added'
      : !inB
        ? 'removed'
        : same(a[key], b[key])
          ? 'same'
          : 'changed';
    return { key, ...(inA ? { a: a[key] } : {}), ...(inB ? { b: b[key] } : {}), change };
  });
}

export interface SummaryChange {
  label: string;
  a: number;
  b: number;
  delta: number;
  kind: 'duration' | 'count';
}

export function compareSummaries(a: TraceSummary, b: TraceSummary): SummaryChange[] {
  const row = (
    label: string,
    x: number,
    y: number,
    kind: SummaryChange['kind'],
  ): SummaryChange => ({
    label,
    a: x,
    b: y,
    delta: y - x,
    kind,
  });
  return [
    row('Duration', a.durationNs, b.durationNs, 'duration'),
    row('Spans', a.spanCount, b.spanCount, 'count'),
    row('Errors', a.errorCount, b.errorCount, 'count'),
    row('Services', a.services.length, b.services.length, 'count'),
    row('Input tokens', a.inputTokens, b.inputTokens, 'count'),
    row('Output tokens', a.outputTokens, b.outputTokens, 'count'),
  ];
}

export interface DiffCounts {
  matched: number;
  added: number;
  removed: number;
  slower: number;
  faster: number;
}

/** Counts, with "slower/faster" meaning a change of more than `threshold` (10%) and 1 ms. */
export function diffCounts(rows: readonly DiffRow[], threshold = 0.1): DiffCounts {
  const c: DiffCounts = { matched: 0, added: 0, removed: 0, slower: 0, faster: 0 };
  for (const r of rows) {
    if (r.status === 'added') c.added++;
    else if (r.status === 'removed') c.removed++;
    else {
      c.matched++;
      if (isSlower(r, threshold)) c.slower++;
      else if (isFaster(r, threshold)) c.faster++;
    }
  }
  return c;
}

export const isSlower = (r: DiffRow, threshold = 0.1): boolean =>
  r.status === 'same' &&
  r.deltaNs > 1_000_000 &&
  (Number.isNaN(r.ratio) || r.ratio > 1 + threshold);
export const isFaster = (r: DiffRow, threshold = 0.1): boolean =>
  r.status === 'same' && r.deltaNs < -1_000_000 && r.ratio < 1 - threshold;
