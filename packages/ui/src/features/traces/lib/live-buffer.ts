import type { TraceSummary } from '../../../lib/types.ts';

/**
 * The live list's rolling buffer: `incoming` (newest first) ahead of `existing`, one row per
 * trace id (an update replaces the older summary in place of the newer position), at most `max`.
 */
export function mergeLive(
  incoming: readonly TraceSummary[],
  existing: readonly TraceSummary[],
  max: number,
): TraceSummary[] {
  const seen = new Set<string>();
  const out: TraceSummary[] = [];
  for (const list of [incoming, existing]) {
    for (const t of list) {
      if (seen.has(t.traceId)) continue;
      seen.add(t.traceId);
      out.push(t);
      if (out.length >= max) return out;
    }
  }
  return out;
}
