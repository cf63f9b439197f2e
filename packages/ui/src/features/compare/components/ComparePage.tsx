/** Two traces side by side: summary comparison, the merged span tree with structure and timing diffs, attribute diff. */
import { useVirtualizer } from '@tanstack/react-virtual';
import clsx from 'clsx';
import { ArrowLeftRight } from 'lucide-react';
import { useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Badge, Button, Card, ErrorNote, Input, Spinner } from '../../../components/ui.tsx';
import { formatCount, formatDeltaNs, formatNs } from '../../../lib/format.ts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import type { TracePage, TraceSummary } from '../../../lib/types.ts';
import { useSpan, useWaterfall, type LoadedTrace } from '../../waterfall/hooks/waterfall.ts';
import { serviceColor } from '../../waterfall/lib/colors.ts';
import {
  compareSummaries,
  diffAttributes,
  diffCounts,
  diffTraces,
  isFaster,
  isSlower,
  type DiffRow,
} from '../../waterfall/lib/diff.ts';
import { summarize } from '../../waterfall/lib/summary.ts';
import { Value } from '../../waterfall/components/AttributeTable.tsx';

const HEX = /^[0-9a-f]{32}$/;

function Picker({
  a,
  b,
  onPick,
}: {
  a: string;
  b: string;
  onPick: (a: string, b: string) => void;
}) {
  const [x, setX] = useState(a);
  const [y, setY] = useState(b);
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onPick(x.trim().toLowerCase(), y.trim().toLowerCase());
      }}
    >
      <label className="flex min-w-[280px] flex-1 flex-col gap-1 text-[12px] text-muted">
        Trace A (baseline)
        <Input
          value={x}
          onChange={(e) => setX(e.target.value)}
          placeholder="32 hex characters"
          className="font-mono"
        />
      </label>
      <label className="flex min-w-[280px] flex-1 flex-col gap-1 text-[12px] text-muted">
        Trace B
        <Input
          value={y}
          onChange={(e) => setY(e.target.value)}
          placeholder="32 hex characters"
          className="font-mono"
        />
      </label>
      <Button
        type="submit"
        variant="primary"
        disabled={!HEX.test(x.trim().toLowerCase()) || !HEX.test(y.trim().toLowerCase())}
      >
        Compare
      </Button>
    </form>
  );
}

export function ComparePage() {
  const [params, setParams] = useSearchParams();
  const a = (params.get('a') ?? '').toLowerCase();
  const b = (params.get('b') ?? '').toLowerCase();
  const qa = useWaterfall(HEX.test(a) ? a : undefined);
  const qb = useWaterfall(HEX.test(b) ? b : undefined);
  const ready = qa.data && qb.data;
  return (
    <div className="flex h-full min-h-0 flex-col gap-3 p-4">
      <div className="flex items-center gap-2">
        <h1 className="text-lg font-semibold tracking-tight">Compare traces</h1>
        {ready && (
          <Button
            size="sm"
            className="ml-auto"
            icon={<ArrowLeftRight size={13} />}
            onClick={() => setParams({ a: b, b: a })}
          >
            Swap
          </Button>
        )}
      </div>
      {!ready && <Picker a={a} b={b} onPick={(x, y) => setParams({ a: x, b: y })} />}
      {!ready && (
        <p className="max-w-2xl text-[13px] text-muted" data-testid="compare-hint">
          Paste two trace ids, or pick the traces where you find them: tick two rows in the{' '}
          <Link to="/traces" className="text-link hover:underline">
            trace list
          </Link>{' '}
          and press Compare, or press Compare on a trace&apos;s page to set it as the baseline. The
          first trace is the baseline; the comparison shows the spans each trace has that the other
          lacks, their timing differences and their attribute differences.
        </p>
      )}
      {(qa.isError || qb.isError) && <ErrorNote error={qa.error ?? qb.error} />}
      {(qa.isFetching || qb.isFetching) && <Spinner />}
      {ready && <Comparison a={qa.data} b={qb.data} />}
    </div>
  );
}

function summaryOf(l: LoadedTrace): TraceSummary {
  if (l.full) return l.full.trace;
  const s = summarize(l.model);
  return {
    traceId: l.model.traceId,
    rootName: '',
    rootService: '',
    services: s.services,
    spanCount: s.spans,
    errorCount: s.errors,
    hasError: s.errors > 0,
    startTimeUnixNano: l.compact.startTimeUnixNano,
    endTimeUnixNano: '',
    durationNs: s.durationNs,
    models: s.models,
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: s.tokens,
    users: [],
    sessions: [],
  };
}

function Comparison({ a, b }: { a: LoadedTrace; b: LoadedTrace }) {
  const rows = useMemo(() => diffTraces(a.model, b.model), [a, b]);
  const counts = useMemo(() => diffCounts(rows), [rows]);
  // The server's summaries (token totals by input/output); the model's when unavailable.
  const summaries = useQuery({
    queryKey: ['summaries', a.model.traceId, b.model.traceId],
    queryFn: ({ signal }) =>
      api<TracePage>('/traces', {
        query: {
          traceId: [a.model.traceId, b.model.traceId],
          from: '2000-01-01T00:00:00Z',
          limit: 2,
        },
        signal,
      }),
    retry: false,
  });
  const summary = useMemo(() => {
    const found = (id: string) => summaries.data?.traces.find((t) => t.traceId === id);
    return compareSummaries(
      found(a.model.traceId) ?? summaryOf(a),
      found(b.model.traceId) ?? summaryOf(b),
    );
  }, [a, b, summaries.data]);
  const [picked, setPicked] = useState<DiffRow | null>(null);
  const [onlyChanges, setOnlyChanges] = useState(false);
  const shown = useMemo(
    () =>
      onlyChanges ? rows.filter((r) => r.status !== 'same' || isSlower(r) || isFaster(r)) : rows,
    [rows, onlyChanges],
  );
  const maxDur = Math.max(a.model.totalNs, b.model.totalNs);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 30,
    overscan: 10,
  });

  return (
    <div className="flex min-h-0 flex-1 flex-col gap-3">
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <Card title="Summary">
          <table className="w-full text-[13px]" data-testid="compare-summary">
            <thead>
              <tr className="text-left text-[11px] uppercase tracking-wide text-faint">
                <th className="px-4 py-1.5 font-semibold" />
                <th className="px-2 py-1.5 text-right font-semibold">
                  <Link className="hover:text-link" to={`/traces/${a.model.traceId}`}>
                    A {a.model.traceId.slice(0, 8)}
                  </Link>
                </th>
                <th className="px-2 py-1.5 text-right font-semibold">
                  <Link className="hover:text-link" to={`/traces/${b.model.traceId}`}>
                    B {b.model.traceId.slice(0, 8)}
                  </Link>
                </th>
                <th className="px-4 py-1.5 text-right font-semibold">Δ</th>
              </tr>
            </thead>
            <tbody>
              {summary.map((s) => {
                const f = s.kind === 'duration' ? formatNs : formatCount;
                return (
                  <tr key={s.label} className="border-t border-line">
                    <td className="px-4 py-1.5 text-muted">{s.label}</td>
                    <td className="px-2 py-1.5 text-right tabular">{f(s.a)}</td>
                    <td className="px-2 py-1.5 text-right tabular">{f(s.b)}</td>
                    <td
                      className={clsx(
                        'px-4 py-1.5 text-right tabular font-medium',
                        s.delta > 0 ? 'text-err' : s.delta < 0 ? 'text-ok' : 'text-faint',
                      )}
                    >
                      {s.kind === 'duration'
                        ? formatDeltaNs(s.delta)
                        : `${s.delta > 0 ? '+' : ''}${s.delta}`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
        <Card title="Structure and timing">
          <div className="flex flex-wrap gap-2 px-4 py-3 text-[13px]" data-testid="diff-counts">
            <Badge>{counts.matched} matched</Badge>
            <Badge tone="ok">{counts.added} added</Badge>
            <Badge tone="error">{counts.removed} removed</Badge>
            <Badge tone="warn">{counts.slower} slower</Badge>
            <Badge tone="accent">{counts.faster} faster</Badge>
            <label className="ml-auto flex items-center gap-1.5 text-[12px] text-muted">
              <input
                type="checkbox"
                checked={onlyChanges}
                onChange={(e) => setOnlyChanges(e.target.checked)}
                className="accent-[var(--accent)]"
              />
              Only changes
            </label>
          </div>
          <p className="px-4 pb-3 text-[12px] text-muted">
            Spans are matched by their name path (service and name from the root, with the position
            among same-named siblings). Slower and faster mean a change of more than 10% and 1 ms.
          </p>
        </Card>
      </div>
      <div className="flex min-h-0 flex-1 gap-3">
        <Card className="flex min-h-0 min-w-0 flex-1 flex-col">
          <div className="grid grid-cols-[minmax(0,1fr)_90px_90px_100px_160px] border-b border-line bg-panel-2 px-3 py-1.5 text-[11px] font-semibold uppercase tracking-wide text-faint">
            <span>Span</span>
            <span className="text-right">A</span>
            <span className="text-right">B</span>
            <span className="text-right">Δ</span>
            <span className="pl-3">Change</span>
          </div>
          <div ref={scroller} className="min-h-0 flex-1 overflow-auto" data-testid="diff-rows">
            <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
              {virtual.getVirtualItems().map((item) => {
                const r = shown[item.index]!;
                const slower = isSlower(r);
                const faster = isFaster(r);
                const da = r.a >= 0 ? a.model.duration[r.a]! : 0;
                const db = r.b >= 0 ? b.model.duration[r.b]! : 0;
                return (
                  <button
                    type="button"
                    key={r.key}
                    data-testid="diff-row"
                    data-status={r.status}
                    onClick={() => setPicked(r)}
                    className={clsx(
                      'absolute inset-x-0 grid h-[30px] grid-cols-[minmax(0,1fr)_90px_90px_100px_160px] items-center border-b border-line px-3 text-left text-[12px] hover:bg-hover',
                      picked?.key === r.key && 'bg-selected',
                      r.status === 'added' && 'bg-ok-soft',
                      r.status === 'removed' && 'bg-err-soft',
                    )}
                    style={{ top: item.start }}
                  >
                    <span
                      className="flex min-w-0 items-center gap-1.5"
                      style={{ paddingLeft: Math.min(r.depth, 30) * 12 }}
                    >
                      <span
                        className="h-2.5 w-1 shrink-0 rounded-sm"
                        style={{ background: serviceColor(r.service) }}
                      />
                      <span
                        className={clsx(
                          'truncate',
                          r.status === 'removed' && 'line-through text-muted',
                        )}
                      >
                        {r.label}
                      </span>
                      <span className="truncate text-[11px] text-faint">{r.service}</span>
                    </span>
                    <span className="text-right font-mono tabular text-muted">
                      {r.a >= 0 ? formatNs(da) : '–'}
                    </span>
                    <span className="text-right font-mono tabular text-muted">
                      {r.b >= 0 ? formatNs(db) : '–'}
                    </span>
                    <span
                      className={clsx(
                        'text-right font-mono tabular',
                        slower
                          ? 'text-err font-medium'
                          : faster
                            ? 'text-ok font-medium'
                            : 'text-faint',
                      )}
                    >
                      {r.status === 'same' ? formatDeltaNs(r.deltaNs) : ''}
                    </span>
                    <span className="flex items-center gap-1.5 pl-3">
                      {r.status === 'added' && <Badge tone="ok">added</Badge>}
                      {r.status === 'removed' && <Badge tone="error">removed</Badge>}
                      {slower && (
                        <Badge tone="error">
                          slower {Number.isFinite(r.ratio) ? `×${r.ratio.toFixed(2)}` : ''}
                        </Badge>
                      )}
                      {faster && <Badge tone="ok">faster ×{r.ratio.toFixed(2)}</Badge>}
                      {r.status === 'same' && !slower && !faster && (
                        <span className="relative h-1.5 w-full rounded bg-panel-2">
                          <span
                            className="absolute h-1.5 rounded bg-[var(--c0)]"
                            style={{ width: `${(db / maxDur) * 100}%` }}
                          />
                        </span>
                      )}
                    </span>
                  </button>
                );
              })}
            </div>
          </div>
        </Card>
        {picked && picked.a >= 0 && picked.b >= 0 && <AttributeDiff a={a} b={b} row={picked} />}
      </div>
    </div>
  );
}

function AttributeDiff({ a, b, row }: { a: LoadedTrace; b: LoadedTrace; row: DiffRow }) {
  const sa = useSpan(a, a.model.spanId[row.a]);
  const sb = useSpan(b, b.model.spanId[row.b]);
  const changes = useMemo(
    () => (sa.span && sb.span ? diffAttributes(sa.span.attributes, sb.span.attributes) : []),
    [sa.span, sb.span],
  );
  return (
    <Card
      title={`Attributes: ${row.label}`}
      className="hidden w-[420px] shrink-0 flex-col overflow-hidden lg:flex"
      data-testid="attribute-diff"
    >
      <div className="min-h-0 flex-1 overflow-auto">
        {(sa.loading || sb.loading) && (
          <div className="p-4">
            <Spinner />
          </div>
        )}
        <table className="w-full table-fixed text-[12px]">
          <tbody>
            {changes
              .filter((c) => c.change !== 'same')
              .concat(changes.filter((c) => c.change === 'same'))
              .map((c) => (
                <tr
                  key={c.key}
                  className={clsx(
                    'border-b border-line align-top',
                    c.change === 'same' && 'opacity-60',
                  )}
                >
                  <th
                    scope="row"
                    className="w-[34%] px-3 py-1.5 text-left font-mono font-normal text-muted break-all"
                  >
                    {c.key}
                    <div>
                      <Badge
                        tone={
                          c.change === 'added'
                            ? 'ok'
                            : c.change === 'removed'
                              ? 'error'
                              : c.change === 'changed'
                                ? 'warn'
                                : 'neutral'
                        }
                      >
                        {c.change}
                      </Badge>
                    </div>
                  </th>
                  <td className="px-2 py-1.5 break-all">
                    {c.a !== undefined ? <Value v={c.a} /> : <span className="text-faint">–</span>}
                  </td>
                  <td className="px-2 py-1.5 break-all">
                    {c.b !== undefined ? <Value v={c.b} /> : <span className="text-faint">–</span>}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
