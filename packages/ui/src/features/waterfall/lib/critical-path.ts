/**
 * The critical path: the chain of spans that determined the trace's end time. From each
 * span's end, walk back through its children: the child that finished last (before the
 * cursor) is on the path, the cursor moves to its start, and so on until the parent's start.
 * Iterative, O(n log n) for the per-parent sort by end time.
 */
import type { WaterfallModel } from './model.ts';

export function criticalPath(model: WaterfallModel): Uint8Array {
  const mark = new Uint8Array(model.n);
  if (model.n === 0) return mark;
  const end = (i: number) => model.start[i]! + model.duration[i]!;
  // The root that ends last determines the trace.
  let root = model.roots[0]!;
  for (const r of model.roots) if (end(r) > end(root)) root = r;

  const stack: Array<[span: number, limit: number]> = [[root, end(root)]];
  const kids: number[] = [];
  while (stack.length > 0) {
    const [s, limit] = stack.pop()!;
    mark[s] = 1;
    kids.length = 0;
    for (let k = model.childStart[s]!; k < model.childStart[s + 1]!; k++)
      kids.push(model.children[k]!);
    if (kids.length === 0) continue;
    kids.sort((a, b) => end(b) - end(a));
    let cursor = Math.min(end(s), limit);
    const floor = model.start[s]!;
    for (const ch of kids) {
      if (cursor <= floor) break;
      if (model.start[ch]! < cursor) {
        stack.push([ch, cursor]);
        cursor = model.start[ch]!;
      }
    }
  }
  return mark;
}
