/**
 * Search within a trace: spans whose name, service, model, operation, kind or id contains
 * the text (case-insensitive), or whose extra text (attributes, content, when the full
 * spans are loaded) does. Results are in display (preorder) order, for next/previous.
 */
import type { WaterfallModel } from './model.ts';

export function searchSpans(
  model: WaterfallModel,
  query: string,
  extraText?: (span: number) => string | undefined,
): Int32Array {
  const q = query.trim().toLowerCase();
  if (!q) return new Int32Array(0);
  // Decide once per distinct string whether it matches.
  const stringHit = new Uint8Array(model.strings.length);
  model.strings.forEach((s, i) => {
    if (s.toLowerCase().includes(q)) stringHit[i] = 1;
  });
  const out: number[] = [];
  for (let k = 0; k < model.n; k++) {
    const s = model.preorder[k]!;
    if (
      stringHit[model.name[s]!] ||
      stringHit[model.service[s]!] ||
      stringHit[model.model[s]!] ||
      stringHit[model.operation[s]!] ||
      stringHit[model.kind[s]!] ||
      model.spanId[s]!.toLowerCase() === q ||
      extraText?.(s)?.toLowerCase().includes(q)
    ) {
      out.push(s);
    }
  }
  return Int32Array.from(out);
}
