/** Facets with counts (GET /attributes); clicking a value toggles its term in the query. */
import { formatValue } from '@pyflare/query';
import clsx from 'clsx';
import { ChevronDown, ChevronRight } from 'lucide-react';
import { useState } from 'react';
import { Spinner } from '../../../components/ui.tsx';
import { formatCount, formatTime } from '../../../lib/format.ts';
import type { Facet, FacetSample } from '../../../lib/types.ts';
import { hasTerm } from '../../query/lib/highlight.ts';

const FACETS: { facet: string; key: string; label: string }[] = [
  { facet: 'service', key: 'service', label: 'Service' },
  { facet: 'model', key: 'model', label: 'Model' },
  { facet: 'status', key: 'status', label: 'Status' },
  { facet: 'operation', key: 'operation', label: 'Operation' },
  { facet: 'user', key: 'user', label: 'User' },
  { facet: 'session', key: 'session', label: 'Session' },
  { facet: 'environment', key: 'env', label: 'Environment' },
  { facet: 'provider', key: 'provider', label: 'Provider' },
];

/** Span statuses (error, ok, unset) as the query language's trace statuses (error, ok). */
export function statusFacet(f: Facet): Facet {
  const error = f.values.filter((v) => v.value === 'error').reduce((a, v) => a + v.count, 0);
  const ok = f.values.filter((v) => v.value !== 'error').reduce((a, v) => a + v.count, 0);
  const values = [
    { value: 'ok', count: ok },
    { value: 'error', count: error },
  ].filter((v) => v.count > 0);
  return { ...f, distinctValues: values.length, values: values.sort((a, b) => b.count - a.count) };
}

export const facetTerm = (key: string, value: string) => `${key}:${formatValue(value)}`;

export function FacetSidebar({
  facets,
  sample,
  loading,
  q,
  onToggle,
}: {
  facets: readonly Facet[];
  sample?: FacetSample | undefined;
  loading: boolean;
  q: string;
  onToggle: (term: string) => void;
}) {
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  return (
    <aside
      aria-label="Facets"
      className="absolute inset-y-0 left-0 z-30 flex w-64 shrink-0 flex-col overflow-auto border-r border-line bg-panel shadow-pop md:static md:z-auto md:w-60 md:shadow-none"
    >
      <div className="flex items-center justify-between px-3 pb-1 pt-3">
        <span className="text-[11px] font-semibold uppercase tracking-wide text-faint">
          Filters
        </span>
        {loading && <Spinner />}
      </div>
      {/* The counts are of spans (a trace of five spans counts five times), so they do not add up
          to the list's trace count: say so. */}
      <p
        className="px-3 pb-1 text-[11px] leading-snug text-faint"
        data-testid="facet-sample"
        title={
          sample?.partial
            ? `Counted from ${formatTime(Date.parse(sample.from))} to the end of the range`
            : undefined
        }
      >
        {sample?.partial
          ? `Span counts from the newest ${formatCount(sample.spans)} of ${formatCount(sample.windowSpans)} spans`
          : 'Span counts in the time range'}
      </p>
      {FACETS.map(({ facet, key, label }) => {
        const raw = facets.find((x) => x.builtin && x.key === facet);
        const f = raw && facet === 'status' ? statusFacet(raw) : raw;
        if (!f || f.values.length === 0) return null;
        const isClosed = closed[facet];
        return (
          <section
            key={facet}
            className="border-b border-line px-2 py-1.5"
            data-testid={`facet-${facet}`}
          >
            <button
              type="button"
              className="flex w-full items-center gap-1 rounded px-1 py-1 text-[12px] font-semibold text-fg hover:bg-hover"
              aria-expanded={!isClosed}
              onClick={() => setClosed((c) => ({ ...c, [facet]: !isClosed }))}
            >
              {isClosed ? <ChevronRight size={13} /> : <ChevronDown size={13} />}
              {label}
              <span className="ml-auto font-normal text-faint tabular">{f.distinctValues}</span>
            </button>
            {!isClosed && (
              <ul className="mt-0.5">
                {f.values.map((v) => {
                  const term = facetTerm(key, v.value);
                  const on = hasTerm(q, term);
                  const max = f.values[0]?.count || 1;
                  return (
                    <li key={v.value}>
                      <label
                        className={clsx(
                          'relative flex cursor-pointer items-center gap-2 overflow-hidden rounded px-1.5 py-1 text-[12px] hover:bg-hover',
                          on && 'bg-selected',
                        )}
                      >
                        <span
                          className="absolute inset-y-0.5 left-0 rounded-r bg-accent/10"
                          style={{ width: `${(v.count / max) * 100}%` }}
                          aria-hidden
                        />
                        <input
                          type="checkbox"
                          checked={on}
                          onChange={() => onToggle(term)}
                          aria-label={`${label} ${v.value}`}
                          className="relative accent-[var(--accent)]"
                        />
                        <span
                          className={clsx(
                            'relative truncate',
                            facet === 'status' && v.value === 'error' && 'text-err',
                          )}
                        >
                          {v.value}
                        </span>
                        <span className="relative ml-auto text-faint tabular">
                          {formatCount(v.count)}
                        </span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        );
      })}
      {!loading && facets.length === 0 && (
        <p className="px-3 py-4 text-[12px] text-muted">No data in this time range.</p>
      )}
    </aside>
  );
}
