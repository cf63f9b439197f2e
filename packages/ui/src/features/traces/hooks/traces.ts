import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import type { Facet, FacetSample, SavedQuery, TraceDetail, TracePage } from '../../../lib/types.ts';
import type { ListState } from '../lib/url-state.ts';
import { windowOf } from '../lib/url-state.ts';

export const PAGE_SIZE = 100;

/** The list's pages for a state at `now`; also started at boot (`app/boot.ts`) for the first page. */
export function traceSearchQuery(state: ListState, now: number) {
  const window = windowOf(state, now);
  return infiniteQueryOptions({
    queryKey: ['traces', state.q, window.from, window.to ?? '', state.sort, state.order],
    queryFn: ({ pageParam, signal }) =>
      api<TracePage>('/traces', {
        query: {
          q: state.q || undefined,
          from: window.from,
          to: window.to,
          sort: state.sort,
          order: state.order,
          limit: PAGE_SIZE,
          cursor: pageParam || undefined,
          utcOffsetMinutes: state.q ? -new Date().getTimezoneOffset() : undefined,
        },
        signal,
      }),
    initialPageParam: '',
    getNextPageParam: (last: TracePage) => last.nextCursor ?? undefined,
    staleTime: 10_000,
  });
}

export function useTraceSearch(state: ListState, now: number) {
  return useInfiniteQuery(traceSearchQuery(state, now));
}

export function facetsQuery(window: { from: string; to?: string }) {
  return queryOptions({
    queryKey: ['facets', window.from.slice(0, 16), window.to ?? ''],
    queryFn: ({ signal }) =>
      api<{ facets: Facet[]; sample?: FacetSample }>('/attributes', {
        query: { from: window.from, to: window.to, values: 8, limit: 100 },
        signal,
      }),
    staleTime: 30_000,
  });
}

export function useFacets(window: { from: string; to?: string }) {
  return useQuery(facetsQuery(window));
}

export function useTrace(traceId: string | undefined) {
  return useQuery({
    queryKey: ['trace', traceId],
    queryFn: ({ signal }) => api<TraceDetail>(`/traces/${traceId}`, { signal }),
    enabled: !!traceId,
    staleTime: 60_000,
  });
}

export function useSavedQueries(enabled: boolean) {
  return useQuery({
    queryKey: ['saved-queries'],
    queryFn: () => api<{ savedQueries: SavedQuery[] }>('/saved-queries'),
    enabled,
    retry: false,
  });
}

export function useSaveQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; query: string; timeRange?: string }) =>
      api<SavedQuery>('/saved-queries', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['saved-queries'] }),
  });
}

export function useDeleteSavedQuery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/saved-queries/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['saved-queries'] }),
  });
}
