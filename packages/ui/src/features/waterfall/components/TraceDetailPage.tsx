/** Trace detail: summary, waterfall or flame graph with minimap, search in the trace, span panel. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import clsx from 'clsx';
import {
  ChevronDown,
  ChevronUp,
  ChevronsDownUp,
  ChevronsUpDown,
  GitCompare,
  Link2,
  Route,
  Search,
  ZoomIn,
  ZoomOut,
  Maximize2,
} from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  Button,
  Empty,
  ErrorNote,
  IconButton,
  Input,
  Select,
  Spinner,
} from '../../../components/ui.tsx';
import { api, ApiError } from '../../../lib/api.ts';
import { formatCount, formatNs, formatTime, nsToMs } from '../../../lib/format.ts';
import { ROW_HEIGHTS, usePrefs } from '../../shell/hooks/prefs.ts';
import { useListKeys } from '../../shell/hooks/shortcuts.ts';
import { useTheme } from '../../shell/lib/theme.ts';
import { notify } from '../../shell/lib/notifications.ts';
import {
  prefetchWaterfall,
  useSpan,
  useSpanText,
  useWaterfall,
  type LoadedTrace,
} from '../hooks/waterfall.ts';
import { serviceColor } from '../lib/colors.ts';
import { criticalPath } from '../lib/critical-path.ts';
import { str } from '../lib/model.ts';
import {
  collapseBelow,
  emptyCollapse,
  initialCollapse,
  reveal,
  toggle,
  visibleRows,
  type CollapseState,
} from '../lib/rows.ts';
import { searchSpans } from '../lib/search.ts';
import { summarize } from '../lib/summary.ts';
import { FlameGraph } from './FlameGraph.tsx';
import { Minimap } from './Minimap.tsx';
import { SpanDetail } from './SpanDetail.tsx';
import { Waterfall, type ColorBy, type TimeView } from './Waterfall.tsx';

/**
 * With the compact route the browser has names but no attributes or content: the server
 * searches those (`GET /spans?traceId=` with `search=` text, or `q=` for `key:value` terms).
 */
function useServerFind(loaded: LoadedTrace, find: string): Set<string> | undefined {
  const term = find.trim();
  const query = useQuery({
    queryKey: ['find', loaded.model.traceId, term],
    queryFn: ({ signal }) =>
      api<{ spans: { spanId: string }[] }>('/spans', {
        query: {
          traceId: loaded.model.traceId,
          from: '2000-01-01T00:00:00Z',
          limit: 1000,
          ...(term.includes(':') ? { q: term } : { search: term }),
        },
        signal,
      }),
    enabled: term.length > 0 && !loaded.full,
    retry: false,
    staleTime: 60_000,
  });
  return useMemo(
    () => (query.data ? new Set(query.data.spans.map((s) => s.spanId)) : undefined),
    [query.data],
  );
}

export function TraceDetailPage() {
  const { traceId } = useParams();
  const id = traceId?.toLowerCase();
  const client = useQueryClient();
  // For the benchmark: when the route rendered (its code loaded), before the data. The
  // fetch starts here, during the first render, not in an effect after the commit.
  useState(() => {
    performance.mark('pyflare:trace-route');
    if (id) prefetchWaterfall(client, id);
  });
  const query = useWaterfall(id);
  if (query.isPending) {
    return (
      <div className="flex h-full items-center justify-center gap-2 text-muted">
        <Spinner /> Loading trace…
      </div>
    );
  }
  if (query.isError) {
    const e = query.error;
    return (
      <div className="p-6">
        {e instanceof ApiError && e.status === 404 ? (
          <Empty title="Trace not found">
            No span of trace <span className="font-mono">{traceId}</span> is stored in this project
            (yet).{' '}
            <Link className="text-link" to="/traces">
              Back to traces
            </Link>
          </Empty>
        ) : (
          <ErrorNote error={e} />
        )}
      </div>
    );
  }
  return <TraceView key={query.data.model.traceId} loaded={query.data} />;
}

function TraceView({ loaded }: { loaded: LoadedTrace }) {
  const { model } = loaded;
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { resolved: theme } = useTheme();
  const { density, timeZone } = usePrefs();
  const setParam = useCallback(
    (k: string, v: string | null) =>
      setParams(
        (p) => {
          const n = new URLSearchParams(p);
          if (v === null || v === '') n.delete(k);
          else n.set(k, v);
          return n;
        },
        { replace: true },
      ),
    [setParams],
  );
  const viewMode = params.get('view') === 'flame' ? 'flame' : 'waterfall';
  const colorBy = (
    ['service', 'kind', 'operation'].includes(params.get('color') ?? '')
      ? params.get('color')
      : 'service'
  ) as ColorBy;
  const showCritical = params.get('cp') === '1';
  const spanParam = params.get('span');
  const find = params.get('find') ?? '';

  const [collapsed, setCollapsed] = useState<CollapseState>(() => initialCollapse(model));
  const rows = useMemo(() => visibleRows(model, collapsed), [model, collapsed]);
  const rowOf = useMemo(() => {
    const r = new Int32Array(model.n).fill(-1);
    rows.forEach((s, k) => (r[s] = k));
    return r;
  }, [model, rows]);
  const critical = useMemo(
    () => (showCritical ? criticalPath(model) : null),
    [model, showCritical],
  );
  const summary = useMemo(() => summarize(model), [model]);
  const [view, setView] = useState<TimeView>({ start: 0, end: model.totalNs });
  const selected = useMemo(
    () => (spanParam ? model.spanId.indexOf(spanParam) : -1),
    [model, spanParam],
  );
  const [cursor, setCursor] = useState(() => (selected >= 0 ? selected : (model.roots[0] ?? -1)));
  const [scrollTo, setScrollTo] = useState(-1);

  // A span opened from a link is made visible once.
  useEffect(() => {
    if (selected >= 0) {
      setCollapsed((c) => reveal(model, c, selected));
      setCursor(selected);
    }
  }, [model, selected]);
  useEffect(() => {
    if (cursor >= 0 && rowOf[cursor]! >= 0) setScrollTo(rowOf[cursor]!);
  }, [cursor, rowOf]);

  // Search within the trace.
  const [findDraft, setFindDraft] = useState(find);
  const spanText = useSpanText(loaded);
  const serverHits = useServerFind(loaded, find);
  const hits = useMemo(() => {
    const local = searchSpans(model, find, spanText);
    if (!serverHits || serverHits.size === 0) return local;
    // Spans the server found by attribute or content, merged in display order.
    const mark = new Uint8Array(model.n);
    local.forEach((i) => (mark[i] = 1));
    model.spanId.forEach((id, i) => {
      if (serverHits.has(id)) mark[i] = 1;
    });
    return model.preorder.filter((i) => mark[i] === 1);
  }, [model, find, spanText, serverHits]);
  const hitMark = useMemo(() => {
    if (hits.length === 0) return null;
    const m = new Uint8Array(model.n);
    hits.forEach((h) => (m[h] = 1));
    return m;
  }, [model, hits]);
  const [hitIndex, setHitIndex] = useState(0);
  const jumpTo = useCallback(
    (i: number) => {
      setCollapsed((c) => reveal(model, c, i));
      setCursor(i);
    },
    [model],
  );
  useEffect(() => {
    setHitIndex(0);
    if (hits.length > 0) jumpTo(hits[0]!);
  }, [hits, jumpTo]);
  const stepHit = (d: number) => {
    if (hits.length === 0) return;
    const next = (hitIndex + d + hits.length) % hits.length;
    setHitIndex(next);
    jumpTo(hits[next]!);
  };

  const open = useCallback(
    (i: number) => {
      setCursor(i);
      setParam('span', model.spanId[i] ?? null);
    },
    [model, setParam],
  );

  useListKeys({
    next: () => {
      const k = rowOf[cursor] ?? -1;
      const nxt = rows[Math.min(rows.length - 1, k + 1)];
      if (nxt !== undefined) setCursor(nxt);
    },
    prev: () => {
      const k = rowOf[cursor] ?? 0;
      const prv = rows[Math.max(0, k - 1)];
      if (prv !== undefined) setCursor(prv);
    },
    open: () => cursor >= 0 && open(cursor),
    escape: () => setParam('span', null),
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement)?.tagName === 'INPUT' || cursor < 0) return;
      if (e.key === 'ArrowLeft' && model.descendants[cursor]! > 0 && !collapsed[cursor])
        setCollapsed((c) => toggle(c, cursor));
      if (e.key === 'ArrowRight' && collapsed[cursor]) setCollapsed((c) => toggle(c, cursor));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [cursor, collapsed, model]);

  // The benchmark and tests read this mark: rows are on screen and respond.
  const marked = useRef(false);
  useEffect(() => {
    if (marked.current) return;
    marked.current = true;
    requestAnimationFrame(() => performance.mark('pyflare:waterfall-interactive'));
  }, []);

  const span = useSpan(loaded, spanParam ?? undefined);
  const zoom = (f: number) => {
    const c = (view.start + view.end) / 2;
    const w = Math.max(model.totalNs / 1e6, Math.min(model.totalNs, (view.end - view.start) * f));
    const start = Math.max(0, Math.min(model.totalNs - w, c - w / 2));
    setView({ start, end: start + w });
  };
  const rootName = model.roots.length ? str(model, model.name[model.roots[0]!]!) : '';
  const panelOpen = spanParam !== null;
  const startMs = nsToMs(loaded.compact.startTimeUnixNano);

  return (
    <div
      className="flex h-full min-h-0 flex-col"
      style={{ '--name-w': 'clamp(180px, 36%, 460px)' } as CSSProperties}
      data-testid="trace-detail"
      data-fetch-ms={loaded.fetchMs.toFixed(1)}
      data-build-ms={loaded.buildMs.toFixed(1)}
      data-source={loaded.source}
    >
      <section className="border-b border-line bg-panel px-4 py-3">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="truncate text-base font-semibold" title={rootName}>
            {rootName || 'Trace'}
          </h1>
          {summary.errors > 0 && (
            <span className="rounded bg-err-soft px-1.5 text-[12px] font-medium text-err">
              {summary.errors} error{summary.errors === 1 ? '' : 's'}
            </span>
          )}
          <span className="font-mono text-[12px] text-faint">{model.traceId}</span>
          <div className="ml-auto flex items-center gap-1.5">
            <Button
              size="sm"
              icon={<Link2 size={13} />}
              onClick={() => {
                void navigator.clipboard?.writeText(window.location.href);
                notify('Link copied', { tone: 'ok' });
              }}
            >
              Copy link
            </Button>
            <Button
              size="sm"
              icon={<GitCompare size={13} />}
              onClick={() => void navigate(`/compare?a=${model.traceId}`)}
            >
              Compare
            </Button>
          </div>
        </div>
        <dl
          className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-[12px]"
          aria-label="Trace summary"
          data-testid="trace-summary"
        >
          <div>
            <dt className="inline text-faint">Duration </dt>
            <dd className="inline font-medium tabular">{formatNs(summary.durationNs)}</dd>
          </div>
          <div>
            <dt className="inline text-faint">Spans </dt>
            <dd className="inline font-medium tabular">{formatCount(summary.spans)}</dd>
          </div>
          <div>
            <dt className="inline text-faint">Depth </dt>
            <dd className="inline font-medium tabular">{summary.depth}</dd>
          </div>
          <div>
            <dt className="inline text-faint">Tokens </dt>
            <dd className="inline font-medium tabular">{formatCount(summary.tokens)}</dd>
          </div>
          <div>
            <dt className="inline text-faint">Started </dt>
            <dd className="inline font-medium tabular">{formatTime(startMs, { timeZone })}</dd>
          </div>
          <div className="flex min-w-0 flex-wrap items-center gap-2">
            <dt className="text-faint">Services</dt>
            {summary.services.slice(0, 8).map((s) => (
              <dd key={s} className="flex items-center gap-1">
                <span className="h-2 w-2 rounded-sm" style={{ background: serviceColor(s) }} />
                {s}
              </dd>
            ))}
          </div>
          {summary.models.length > 0 && (
            <div>
              <dt className="inline text-faint">Models </dt>
              <dd className="inline font-medium">{summary.models.join(', ')}</dd>
            </div>
          )}
        </dl>
      </section>

      <div className="flex flex-wrap items-center gap-2 border-b border-line bg-panel px-3 py-1.5">
        <div
          role="radiogroup"
          aria-label="View"
          className="flex rounded-md border border-line p-0.5"
        >
          {(['waterfall', 'flame'] as const).map((v) => (
            <button
              key={v}
              type="button"
              role="radio"
              aria-checked={viewMode === v}
              onClick={() => setParam('view', v === 'flame' ? 'flame' : null)}
              className={clsx(
                'rounded px-2 py-0.5 text-[12px] font-medium',
                viewMode === v ? 'bg-hover text-fg' : 'text-muted hover:text-fg',
              )}
            >
              {v === 'flame' ? 'Flame graph' : 'Waterfall'}
            </button>
          ))}
        </div>
        <form
          className="flex min-w-[200px] flex-1 items-center gap-1 sm:max-w-sm"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            if (findDraft === find) stepHit(1);
            else setParam('find', findDraft);
          }}
        >
          <div className="relative flex-1">
            <Search size={13} className="pointer-events-none absolute left-2 top-2 text-faint" />
            <Input
              aria-label="Search in trace"
              placeholder="Find span by name, attribute, text"
              value={findDraft}
              onChange={(e) => setFindDraft(e.target.value)}
              className="h-7 pl-7"
            />
          </div>
          {find && (
            <span
              className="whitespace-nowrap text-[12px] text-muted tabular"
              data-testid="find-count"
            >
              {hits.length ? `${hitIndex + 1} of ${hits.length}` : 'no match'}
            </span>
          )}
          <IconButton label="Previous match" onClick={() => stepHit(-1)} className="h-7 w-7">
            <ChevronUp size={14} />
          </IconButton>
          <IconButton label="Next match" onClick={() => stepHit(1)} className="h-7 w-7">
            <ChevronDown size={14} />
          </IconButton>
        </form>
        <div className="ml-auto flex items-center gap-1">
          <Select
            aria-label="Color by"
            value={colorBy}
            onChange={(e) =>
              setParam('color', e.target.value === 'service' ? null : e.target.value)
            }
            className="h-7 text-[12px]"
          >
            <option value="service">Color: service</option>
            <option value="kind">Color: span kind</option>
            <option value="operation">Color: operation</option>
          </Select>
          <Button
            size="sm"
            aria-pressed={showCritical}
            icon={<Route size={13} />}
            onClick={() => setParam('cp', showCritical ? null : '1')}
            className={clsx(showCritical && '!border-[var(--critical)] !text-fg')}
          >
            Critical path
          </Button>
          <IconButton
            label="Expand all"
            onClick={() => setCollapsed(emptyCollapse(model))}
            className="h-7 w-7"
          >
            <ChevronsUpDown size={14} />
          </IconButton>
          <IconButton
            label="Collapse all"
            onClick={() => setCollapsed(collapseBelow(model, 1))}
            className="h-7 w-7"
          >
            <ChevronsDownUp size={14} />
          </IconButton>
          <IconButton label="Zoom in" onClick={() => zoom(0.5)} className="h-7 w-7">
            <ZoomIn size={14} />
          </IconButton>
          <IconButton label="Zoom out" onClick={() => zoom(2)} className="h-7 w-7">
            <ZoomOut size={14} />
          </IconButton>
          <IconButton
            label="Reset zoom"
            onClick={() => setView({ start: 0, end: model.totalNs })}
            className="h-7 w-7"
          >
            <Maximize2 size={13} />
          </IconButton>
        </div>
      </div>

      <Minimap
        model={model}
        rows={rows}
        view={view}
        onView={setView}
        colorBy={colorBy}
        theme={theme}
      />

      <div className="relative flex min-h-0 flex-1">
        <div className="flex min-w-0 flex-1 flex-col">
          {viewMode === 'waterfall' ? (
            <Waterfall
              model={model}
              rows={rows}
              collapsed={collapsed}
              onToggle={(i) => setCollapsed((c) => toggle(c, i))}
              selected={cursor}
              onSelect={open}
              view={view}
              onView={setView}
              colorBy={colorBy}
              critical={critical}
              hits={hitMark}
              currentHit={hits[hitIndex] ?? -1}
              scrollTo={scrollTo}
              rowHeight={ROW_HEIGHTS[density].span}
            />
          ) : (
            <FlameGraph
              model={model}
              view={view}
              colorBy={colorBy}
              selected={cursor}
              onSelect={open}
              theme={theme}
              critical={critical}
            />
          )}
        </div>
        {panelOpen && (
          <div className="absolute inset-0 z-20 md:static md:z-auto md:w-[44%] md:min-w-[360px] md:max-w-[720px]">
            <SpanDetail
              span={span.span}
              loading={span.loading}
              error={span.error}
              onClose={() => setParam('span', null)}
              traceStartNs={loaded.compact.startTimeUnixNano}
            />
          </div>
        )}
      </div>
    </div>
  );
}
