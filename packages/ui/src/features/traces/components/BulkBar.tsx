import { Download, GitCompare, X } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Menu, MenuItem } from '../../../components/menu.tsx';
import { Button, IconButton } from '../../../components/ui.tsx';
import { api, download } from '../../../lib/api.ts';
import type { TraceDetail, TraceSummary } from '../../../lib/types.ts';
import { notify } from '../../shell/lib/notifications.ts';
import { summariesToCsv, tracesToOtlpJson } from '../lib/export.ts';

export function BulkBar({
  selected,
  rows,
  onClear,
}: {
  selected: ReadonlySet<string>;
  rows: readonly TraceSummary[];
  onClear: () => void;
}) {
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const ids = [...selected];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const full = async () => Promise.all(ids.map((id) => api<TraceDetail>(`/traces/${id}`)));
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      notify('Export failed', {
        tone: 'error',
        detail: err instanceof Error ? err.message : String(err),
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      role="toolbar"
      aria-label="Selected traces"
      className="flex items-center gap-2 border-b border-line bg-accent-soft px-3 py-1.5 text-[13px]"
    >
      <span className="font-medium" data-testid="selection-count">
        {ids.length} selected
      </span>
      <Menu
        label="Export"
        align="left"
        button={(p) => (
          <Button size="sm" {...p} disabled={busy} icon={<Download size={13} />}>
            Export
          </Button>
        )}
      >
        {(close) => (
          <>
            <MenuItem
              onClick={() => {
                close();
                void run(async () =>
                  download(
                    `traces-${stamp}.json`,
                    JSON.stringify(await full(), null, 2),
                    'application/json',
                  ),
                );
              }}
            >
              JSON (full traces)
            </MenuItem>
            <MenuItem
              onClick={() => {
                close();
                download(
                  `traces-${stamp}.csv`,
                  summariesToCsv(rows.filter((r) => selected.has(r.traceId))),
                  'text/csv',
                );
              }}
            >
              CSV (summaries)
            </MenuItem>
            <MenuItem
              onClick={() => {
                close();
                void run(async () =>
                  download(
                    `traces-${stamp}.otlp.json`,
                    JSON.stringify(tracesToOtlpJson(await full())),
                    'application/json',
                  ),
                );
              }}
            >
              OTLP/JSON
            </MenuItem>
          </>
        )}
      </Menu>
      <Button
        size="sm"
        icon={<GitCompare size={13} />}
        disabled={ids.length !== 2}
        title={ids.length === 2 ? 'Compare the two traces' : 'Select exactly two traces to compare'}
        onClick={() => void navigate(`/compare?a=${ids[0]}&b=${ids[1]}`)}
      >
        Compare
      </Button>
      <IconButton label="Clear selection" onClick={onClear} className="ml-auto">
        <X size={15} />
      </IconButton>
    </div>
  );
}
