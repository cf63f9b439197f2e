/**
 * Loading a trace for the waterfall. `fetchWaterfall` is the one switch between the compact
 * route (`GET /traces/:id/waterfall`) and the full trace (`GET /traces/:id`), from which the
 * same compact shape is derived in the browser when the server has no compact route yet.
 * The model (typed arrays and tree) is built inside the query, so once per trace.
 */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, ApiError } from '../../../lib/api.ts';
import type { Span, TraceDetail } from '../../../lib/types.ts';
import { compactFromTrace, type CompactTrace } from '../lib/compact.ts';
import { buildModel, type WaterfallModel } from '../lib/model.ts';

let compactRoute: boolean | undefined;

export interface LoadedTrace {
  compact: CompactTrace;
  model: WaterfallModel;
  /** Present when the full trace was read (every span with attributes and content). */
  full?: TraceDetail;
  source: 'waterfall' | 'full';
  fetchMs: number;
  buildMs: number;
}

export async function fetchWaterfall(traceId: string, signal?: AbortSignal): Promise<LoadedTrace> {
  const t0 = performance.now();
  performance.mark('pyflare:waterfall-fetch');
  let compact: CompactTrace | undefined;
  let full: TraceDetail | undefined;
  if (compactRoute !== false) {
    try {
      compact = await api<CompactTrace>(`/traces/${traceId}/waterfall`, { signal });
      compactRoute = true;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404 || compactRoute === true) throw err;
    }
  }
  if (!compact) {
    full = await api<TraceDetail>(`/traces/${traceId}`, { signal });
    compactRoute = false;
    compact = compactFromTrace(full);
  }
  const t1 = performance.now();
  const model = buildModel(compact);
  const t2 = performance.now();
  return {
    compact,
    model,
    full,
    source: full ? 'full' : 'waterfall',
    fetchMs: t1 - t0,
    buildMs: t2 - t1,
  };
}

const waterfallQuery = (traceId: string) => ({
  queryKey: ['waterfall', traceId],
  queryFn: ({ signal }: { signal?: AbortSignal }) => fetchWaterfall(traceId, signal),
  staleTime: 60_000,
  retry: false,
});

export function useWaterfall(traceId: string | undefined) {
  return useQuery({ ...waterfallQuery(traceId ?? ''), enabled: !!traceId });
}

/**
 * Starts loading a trace now rather than in an effect after the page's first commit (or on
 * hover, before the click); the page's query then joins the request in flight.
 */
export function prefetchWaterfall(client: QueryClient, traceId: string): void {
  void client.prefetchQuery(waterfallQuery(traceId));
}

/** One span in full: from the loaded full trace, else `GET /traces/:id/spans/:spanId`. */
export function useSpan(loaded: LoadedTrace | undefined, spanId: string | undefined) {
  const index = useMemo(() => {
    if (!loaded?.full) return undefined;
    const m = new Map<string, Span>();
    for (const s of loaded.full.spans) if (!m.has(s.spanId)) m.set(s.spanId, s);
    return m;
  }, [loaded]);
  const local = spanId ? index?.get(spanId) : undefined;
  const remote = useQuery({
    queryKey: ['span', loaded?.model.traceId, spanId],
    queryFn: ({ signal }) =>
      api<Span>(`/traces/${loaded!.model.traceId}/spans/${spanId}`, { signal }),
    enabled: !!loaded && !!spanId && !loaded.full,
    staleTime: 60_000,
  });
  return {
    span: local ?? remote.data,
    loading: !local && remote.isPending && !!spanId && !loaded?.full,
    error: remote.error,
  };
}

/** Searchable text of a span beyond its name (attributes and content), when loaded. */
export function useSpanText(
  loaded: LoadedTrace | undefined,
): ((i: number) => string | undefined) | undefined {
  return useMemo(() => {
    const full = loaded?.full;
    if (!full) return undefined;
    const bySpan = new Map(full.spans.map((s) => [s.spanId, s]));
    const cache = new Map<number, string>();
    return (i: number) => {
      let text = cache.get(i);
      if (text === undefined) {
        const s = bySpan.get(loaded.model.spanId[i]!);
        text = s
          ? `${JSON.stringify(s.attributes)} ${s.status?.message ?? ''} ${s.inputText ?? ''} ${s.outputText ?? ''} ${s.userId} ${s.sessionId}`
          : '';
        cache.set(i, text);
      }
      return text;
    };
  }, [loaded]);
}
