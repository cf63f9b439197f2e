/** The project's home: request and error rates, latency, tokens, top models, recent errors; live. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertCircle } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { Card, Empty, ErrorNote, Select, Spinner } from '../../../components/ui.tsx';
import { api, ApiError } from '../../../lib/api.ts';
import {
  formatAgo,
  formatCount,
  formatMs,
  formatNs,
  formatPercent,
  nsToMs,
} from '../../../lib/format.ts';
import type { Overview } from '../../../lib/types.ts';
import { useAuth } from '../../auth/hooks/auth.tsx';
import { useLiveChannel } from '../../live/hooks/live.ts';
import { Chart } from './Chart.tsx';

const RANGES = [
  { id: 'last-1h', label: 'Last hour' },
  { id: 'last-6h', label: 'Last 6 hours' },
  { id: 'last-24h', label: 'Last 24 hours' },
  { id: 'last-7d', label: 'Last 7 days' },
];
const RANGE_MS: Record<string, number> = {
  'last-1h': 3_600_000,
  'last-6h': 6 * 3_600_000,
  'last-24h': 86_400_000,
  'last-7d': 7 * 86_400_000,
};

function Stat({
  label,
  value,
  sub,
  children,
  testId,
}: {
  label: string;
  value: string;
  sub?: string;
  children?: React.ReactNode;
  testId?: string;
}) {
  return (
    <Card className="flex flex-col overflow-hidden" data-testid={testId}>
      <div className="px-4 pt-3">
        <p className="text-[12px] font-medium text-muted">{label}</p>
        <p className="mt-0.5 text-2xl font-semibold tracking-tight tabular">{value}</p>
        {sub && <p className="text-[11px] text-faint">{sub}</p>}
      </div>
      <div className="mt-auto pt-2">{children}</div>
    </Card>
  );
}

export function HomePage() {
  const { me } = useAuth();
  const [range, setRange] = useState('last-1h');
  const client = useQueryClient();
  const overview = useQuery({
    queryKey: ['overview', range],
    queryFn: ({ signal }) => {
      const to = Date.now();
      return api<Overview>('/overview', {
        query: {
          from: new Date(to - RANGE_MS[range]!).toISOString(),
          to: new Date(to).toISOString(),
        },
        signal,
      });
    },
    refetchInterval: 15_000,
    retry: false,
  });
  // New traces refresh the numbers (at most every few seconds: the query dedupes).
  useLiveChannel('traces', { q: '' }, true, () => {
    const state = client.getQueryState(['overview', range]);
    if (!state || Date.now() - state.dataUpdatedAt > 3000)
      void client.invalidateQueries({ queryKey: ['overview', range] });
  });

  const data = overview.data;
  const s = data?.series ?? [];
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4 p-4 md:p-6">
      <div className="flex flex-wrap items-center gap-2">
        <div>
          <h1 className="text-lg font-semibold tracking-tight">Overview</h1>
          <p className="text-[12px] text-muted">
            Project <span className="font-medium text-fg">{me?.project.name || 'default'}</span> ·
            requests are traces (root spans) · updates live as traces arrive
          </p>
        </div>
        <Select
          aria-label="Overview range"
          value={range}
          onChange={(e) => setRange(e.target.value)}
          className="ml-auto"
        >
          {RANGES.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </Select>
      </div>
      {overview.isPending && (
        <div className="flex justify-center p-10">
          <Spinner />
        </div>
      )}
      {overview.isError &&
        (overview.error instanceof ApiError && overview.error.status === 404 ? (
          <Empty title="The overview is not available on this server">
            Browse{' '}
            <Link className="text-link" to="/traces">
              traces
            </Link>{' '}
            instead.
          </Empty>
        ) : (
          <ErrorNote error={overview.error} />
        ))}
      {data && (
        <>
          <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
            <Stat
              testId="stat-requests"
              label="Requests"
              value={formatCount(data.totals.requests)}
              sub={`${(data.totals.requests / Math.max(1, (Date.parse(data.to) - Date.parse(data.from)) / 60_000)).toFixed(2)} / min`}
            >
              <Chart
                label="Requests over time"
                points={s.map((p) => p.requests)}
                color="var(--c0)"
              />
            </Stat>
            <Stat
              testId="stat-errors"
              label="Error rate"
              value={formatPercent(data.totals.errorRate)}
              sub={`${formatCount(data.totals.errors)} failed`}
            >
              <Chart
                label="Errors over time"
                points={s.map((p) => p.errors)}
                color="var(--error)"
              />
            </Stat>
            <Stat
              testId="stat-latency"
              label="Latency p50 / p99"
              value={`${formatMs(data.totals.p50Ms)} / ${formatMs(data.totals.p99Ms)}`}
            >
              <Chart
                label="Latency p50 and p99"
                points={s.map((p) => p.p99Ms)}
                second={s.map((p) => p.p50Ms)}
                color="var(--c3)"
                secondColor="var(--c5)"
              />
            </Stat>
            <Stat
              testId="stat-tokens"
              label="Tokens in / out"
              value={`${formatCount(data.totals.inputTokens)} / ${formatCount(data.totals.outputTokens)}`}
            >
              <Chart
                label="Tokens over time"
                points={s.map((p) => p.inputTokens + p.outputTokens)}
                color="var(--c2)"
              />
            </Stat>
          </div>
          <div className="grid grid-cols-1 gap-3 lg:grid-cols-5">
            <Card title="Top models" className="lg:col-span-2">
              {data.topModels.length === 0 ? (
                <Empty title="No model calls" />
              ) : (
                <table className="w-full text-[13px]">
                  <thead>
                    <tr className="text-left text-[11px] uppercase tracking-wide text-faint">
                      <th className="px-4 py-2 font-semibold">Model</th>
                      <th className="px-2 py-2 text-right font-semibold">Calls</th>
                      <th className="px-4 py-2 text-right font-semibold">Tokens</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.topModels.map((m) => {
                      const maxCalls = data.topModels[0]?.calls || 1;
                      return (
                        <tr key={`${m.provider}/${m.model}`} className="border-t border-line">
                          <td className="px-4 py-2">
                            <Link
                              to={`/traces?q=${encodeURIComponent(`model:${m.model}`)}`}
                              className="font-medium hover:text-link"
                            >
                              {m.model}
                            </Link>
                            <span className="ml-1.5 text-[11px] text-faint">{m.provider}</span>
                            <div className="mt-1 h-1 rounded bg-panel-2">
                              <div
                                className="h-1 rounded bg-[var(--c2)]"
                                style={{ width: `${(m.calls / maxCalls) * 100}%` }}
                              />
                            </div>
                          </td>
                          <td className="px-2 py-2 text-right tabular">{formatCount(m.calls)}</td>
                          <td className="px-4 py-2 text-right tabular text-muted">
                            {formatCount(m.inputTokens + m.outputTokens)}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )}
            </Card>
            <Card
              title="Recent errors"
              className="lg:col-span-3"
              actions={
                <Link className="text-[12px] text-link" to="/traces?q=status%3Aerror">
                  All errors
                </Link>
              }
            >
              {data.recentErrors.length === 0 ? (
                <Empty title="No errors in this range" />
              ) : (
                <ul>
                  {data.recentErrors.slice(0, 10).map((t) => (
                    <li key={t.traceId} className="border-t border-line first:border-0">
                      <Link
                        to={`/traces/${t.traceId}`}
                        className="flex items-center gap-3 px-4 py-2 hover:bg-hover"
                      >
                        <AlertCircle size={14} className="shrink-0 text-err" />
                        <span className="min-w-0 flex-1 truncate text-[13px] font-medium">
                          {t.rootName}
                        </span>
                        <span className="hidden text-[12px] text-muted sm:inline">
                          {t.rootService}
                        </span>
                        <span className="w-20 text-right font-mono text-[12px] tabular">
                          {formatNs(t.durationNs)}
                        </span>
                        <span className="w-16 text-right text-[11px] text-faint">
                          {formatAgo(nsToMs(t.startTimeUnixNano))}
                        </span>
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
