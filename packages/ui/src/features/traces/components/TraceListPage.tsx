/** Trace Explorer: query, facets, time range, saved queries, live mode, bulk actions. */
import { useQueryClient } from '@tanstack/react-query';
import clsx from 'clsx';
import { Pause, Play, Radio, RefreshCw, SlidersHorizontal } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { Button, Empty, ErrorNote, IconButton, Select } from '../../../components/ui.tsx';
import type { TraceSummary } from '../../../lib/types.ts';
import { listStartNow } from '../../../app/boot.ts';
import { useAuth } from '../../auth/hooks/auth.tsx';
import { LIVE_NEEDS_SESSION, liveAvailable, useLiveChannel } from '../../live/hooks/live.ts';
import { QueryInput } from '../../query/components/QueryInput.tsx';
import { toggleTerm } from '../../query/lib/highlight.ts';
import { ROW_HEIGHTS, usePrefs } from '../../shell/hooks/prefs.ts';
import { useListKeys } from '../../shell/hooks/shortcuts.ts';
import { prefetchWaterfall } from '../../waterfall/hooks/waterfall.ts';
import { useFacets, useTraceSearch } from '../hooks/traces.ts';
import { mergeLive } from '../lib/live-buffer.ts';
import { readState, windowOf, writeState, type ListState, type Sort } from '../lib/url-state.ts';
import { BulkBar } from './BulkBar.tsx';
import { FacetSidebar } from './FacetSidebar.tsx';
import { SavedQueriesMenu } from './SavedQueriesMenu.tsx';
import { TimeRangePicker } from './TimeRangePicker.tsx';
import { TraceTable } from './TraceTable.tsx';

export const LIVE_BUFFER = 500;

export function TraceListPage() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readState(params), [params]);
  const navigate = useNavigate();
  const { canWrite } = useAuth();
  const canLive = liveAvailable();
  const { density, timeZone } = usePrefs();
  const [draft, setDraft] = useState(state.q);
  const [refreshAt, setRefreshAt] = useState(0);
  const [facetsOpen, setFacetsOpen] = useState(() => window.innerWidth >= 900);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [active, setActive] = useState(-1);
  const [live, setLive] = useState<TraceSummary[]>([]);
  const [pending, setPending] = useState<TraceSummary[]>([]);
  const [paused, setPaused] = useState(false);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const client = useQueryClient();
  const hoverTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => setDraft(state.q), [state.q]);
  // A new filter is a new "now" for relative ranges; the live buffer starts over.
  const key = params.toString();
  // The first `now` may be the boot's, whose first page is already in flight (app/boot.ts).
  const [clock, setClock] = useState(() => ({ key, refreshAt, now: listStartNow(params) }));
  if (clock.key !== key || clock.refreshAt !== refreshAt)
    setClock({ key, refreshAt, now: Date.now() });
  const now = clock.now;
  useEffect(() => {
    setLive([]);
    setPending([]);
    setActive(-1);
  }, [key]);

  const update = useCallback(
    (patch: Partial<ListState>) =>
      setParams(writeState({ ...state, ...patch }), { replace: false }),
    [state, setParams],
  );

  const search = useTraceSearch(state, now);
  const facets = useFacets(windowOf(state, now));
  const pageRows = useMemo(() => search.data?.pages.flatMap((p) => p.traces) ?? [], [search.data]);
  // `?live=1` in a key session streams nothing (see liveAvailable): the list pages as usual.
  const streaming = state.live && canLive;
  const rows = useMemo(
    () => (streaming ? mergeLive(live, pageRows, LIVE_BUFFER) : pageRows),
    [streaming, live, pageRows],
  );

  useLiveChannel('traces', { q: state.q }, streaming, (data) => {
    const t = data as TraceSummary;
    if (!t?.traceId) return;
    if (paused) setPending((p) => mergeLive([t], p, LIVE_BUFFER));
    else {
      setLive((l) => mergeLive([t], l, LIVE_BUFFER));
      setFresh((f) => new Set(f).add(t.traceId));
    }
  });

  const resume = () => {
    setLive((l) => mergeLive(pending, l, LIVE_BUFFER));
    setPending([]);
    setPaused(false);
  };

  useListKeys({
    next: () => setActive((a) => Math.min(a + 1, rows.length - 1)),
    prev: () => setActive((a) => Math.max(a - 1, 0)),
    open: () => {
      const r = rows[active];
      if (r) void navigate(`/traces/${r.traceId}`);
    },
    escape: () => setSelected(new Set()),
  });

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  const onEndReached = useCallback(() => {
    if (search.hasNextPage && !search.isFetchingNextPage) void search.fetchNextPage();
  }, [search]);

  return (
    <div className="relative flex h-full min-h-0">
      {facetsOpen && (
        <FacetSidebar
          facets={facets.data?.facets ?? []}
          sample={facets.data?.sample}
          loading={facets.isFetching}
          q={state.q}
          onToggle={(term) => update({ q: toggleTerm(state.q, term) })}
        />
      )}
      <div className="flex min-w-0 flex-1 flex-col">
        <div className="flex flex-wrap items-center gap-2 border-b border-line bg-panel px-3 py-2">
          <IconButton
            label={facetsOpen ? 'Hide filters' : 'Show filters'}
            active={facetsOpen}
            onClick={() => setFacetsOpen((o) => !o)}
          >
            <SlidersHorizontal size={16} />
          </IconButton>
          <QueryInput
            value={draft}
            onChange={setDraft}
            onSubmit={(q) => update({ q })}
            facets={facets.data?.facets ?? []}
          />
          <TimeRangePicker state={state} onChange={(r) => update(r)} />
          <SavedQueriesMenu
            q={state.q}
            range={state.range}
            canWrite={canWrite}
            onRun={(q, range) => update({ q, ...(range ? { range, from: '', to: '' } : {}) })}
          />
          <Select
            aria-label="Sort by"
            value={`${state.sort}:${state.order}`}
            onChange={(e) => {
              const [sort, order] = e.target.value.split(':') as [Sort, 'asc' | 'desc'];
              update({ sort, order });
            }}
            className="h-9"
          >
            <option value="time:desc">Newest first</option>
            <option value="time:asc">Oldest first</option>
            <option value="duration:desc">Slowest first</option>
            <option value="tokens:desc">Most tokens</option>
          </Select>
          <Button
            className={clsx('h-9', state.live && '!border-ok !text-ok')}
            icon={<Radio size={14} />}
            aria-pressed={state.live}
            disabled={!canLive}
            title={canLive ? 'Stream new traces into the list' : LIVE_NEEDS_SESSION}
            onClick={() => update({ live: !state.live, sort: 'time', order: 'desc' })}
          >
            Live
          </Button>
          <IconButton label="Refresh" onClick={() => setRefreshAt(Date.now())}>
            <RefreshCw size={15} className={clsx(search.isFetching && 'animate-spin')} />
          </IconButton>
        </div>
        {state.live && (
          <div
            className="flex items-center gap-3 border-b border-line bg-ok-soft px-3 py-1.5 text-[12px]"
            data-testid="live-bar"
          >
            {!canLive ? (
              <>
                <span className="text-muted">{LIVE_NEEDS_SESSION}.</span>
                <Button size="sm" onClick={() => update({ live: false })} className="ml-auto">
                  Close
                </Button>
              </>
            ) : (
              <>
                <span className="flex items-center gap-1.5 font-medium text-ok">
                  <span
                    className={clsx('h-2 w-2 rounded-full bg-ok', !paused && 'animate-pulse')}
                  />
                  {paused ? 'Paused' : 'Streaming new traces'}
                </span>
                <span className="text-muted">
                  {live.length} received · keeps the newest {LIVE_BUFFER}
                </span>
                {paused ? (
                  <Button size="sm" icon={<Play size={12} />} onClick={resume} className="ml-auto">
                    Resume{pending.length ? ` (${pending.length} new)` : ''}
                  </Button>
                ) : (
                  <Button
                    size="sm"
                    icon={<Pause size={12} />}
                    onClick={() => setPaused(true)}
                    className="ml-auto"
                  >
                    Pause
                  </Button>
                )}
              </>
            )}
          </div>
        )}
        {selected.size > 0 && (
          <BulkBar selected={selected} rows={rows} onClear={() => setSelected(new Set())} />
        )}
        {search.isError ? (
          <div className="p-4">
            <ErrorNote error={search.error} />
          </div>
        ) : rows.length === 0 && !search.isPending ? (
          <Empty title="No traces match">
            Widen the time range or remove a filter. Traces sent over OTLP to this server appear
            here within a few seconds.
          </Empty>
        ) : (
          <TraceTable
            rows={rows}
            selected={selected}
            onToggle={toggle}
            onToggleAll={() =>
              setSelected((s) =>
                rows.every((r) => s.has(r.traceId))
                  ? new Set()
                  : new Set(rows.map((r) => r.traceId)),
              )
            }
            active={active}
            setActive={setActive}
            onEndReached={streaming ? undefined : onEndReached}
            fresh={fresh}
            rowHeight={ROW_HEIGHTS[density].list}
            timeZone={timeZone}
            loadingMore={search.isFetchingNextPage}
            onHover={(id) => {
              // Hovering for a moment means a click is likely: start loading the trace.
              clearTimeout(hoverTimer.current);
              hoverTimer.current = setTimeout(() => prefetchWaterfall(client, id), 150);
            }}
          />
        )}
        <footer className="flex items-center gap-3 border-t border-line bg-panel px-3 py-1 text-[11px] text-faint">
          <span data-testid="row-count">
            {rows.length} traces{search.hasNextPage && !streaming ? '+' : ''}
          </span>
          <span className="ml-auto hidden sm:inline">
            j/k to move · Enter to open · / to search
          </span>
        </footer>
      </div>
    </div>
  );
}
