/**
 * The compact, columnar form of a trace that the waterfall reads (the contract's
 * `GET /traces/:id/waterfall`), and its derivation from the full trace
 * (`GET /traces/:id`) for servers that do not have the compact route yet.
 */
import type { Span, TraceDetail } from '../../../lib/types.ts';

export interface CompactTrace {
  traceId: string;
  spanCount: number;
  startTimeUnixNano: string;
  durationNs: number;
  strings: string[];
  spans: {
    spanId: string[];
    parent: number[];
    name: number[];
    service: number[];
    kind: number[];
    operation: number[];
    model: number[];
    startNs: number[];
    durationNs: number[];
    error: number[];
    tokens: number[];
  };
}

function interner(): { strings: string[]; id(s: string): number } {
  const strings: string[] = [];
  const ids = new Map<string, number>();
  return {
    strings,
    id(s) {
      let i = ids.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        ids.set(s, i);
      }
      return i;
    },
  };
}

const toBig = (s: string): bigint => {
  try {
    return BigInt(s);
  } catch {
    return 0n;
  }
};

/** Builds the compact form from full spans (sorted by start time, parents by index). */
export function compactFromSpans(traceId: string, input: readonly Span[]): CompactTrace {
  const spans = input
    .map((span) => ({ span, start: toBig(span.startTimeUnixNano) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const n = spans.length;
  const t0 = n > 0 ? spans[0]!.start : 0n;
  let end = t0;
  const index = new Map<string, number>();
  spans.forEach(({ span }, i) => {
    if (!index.has(span.spanId)) index.set(span.spanId, i);
  });
  const s = interner();
  const out: CompactTrace['spans'] = {
    spanId: new Array<string>(n),
    parent: new Array<number>(n),
    name: new Array<number>(n),
    service: new Array<number>(n),
    kind: new Array<number>(n),
    operation: new Array<number>(n),
    model: new Array<number>(n),
    startNs: new Array<number>(n),
    durationNs: new Array<number>(n),
    error: new Array<number>(n),
    tokens: new Array<number>(n),
  };
  for (let i = 0; i < n; i++) {
    const { span, start } = spans[i]!;
    const parent = span.parentSpanId ? index.get(span.parentSpanId) : undefined;
    const duration = Math.max(0, span.durationNs);
    const spanEnd = start + BigInt(Math.round(duration));
    if (spanEnd > end) end = spanEnd;
    out.spanId[i] = span.spanId;
    out.parent[i] = parent === undefined || parent === i ? -1 : parent;
    out.name[i] = s.id(span.name);
    out.service[i] = s.id(span.serviceName);
    out.kind[i] = s.id(span.kind);
    out.operation[i] = s.id(span.operation ?? '');
    out.model[i] = s.id(span.responseModel || span.requestModel || '');
    out.startNs[i] = Number(start - t0);
    out.durationNs[i] = duration;
    out.error[i] = span.status?.code === 'error' ? 1 : 0;
    out.tokens[i] = span.totalTokens || (span.inputTokens ?? 0) + (span.outputTokens ?? 0);
  }
  return {
    traceId,
    spanCount: n,
    startTimeUnixNano: t0.toString(),
    durationNs: Number(end - t0),
    strings: s.strings,
    spans: out,
  };
}

export function compactFromTrace(detail: TraceDetail): CompactTrace {
  return compactFromSpans(detail.trace.traceId, detail.spans);
}
