import { Bookmark, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Dialog } from '../../../components/dialog.tsx';
import { Menu } from '../../../components/menu.tsx';
import { Button, ErrorNote, Input } from '../../../components/ui.tsx';
import { highlight } from '../../query/lib/highlight.ts';
import { useDeleteSavedQuery, useSaveQuery, useSavedQueries } from '../hooks/traces.ts';

export function SavedQueriesMenu({
  q,
  range,
  canWrite,
  onRun,
}: {
  q: string;
  range: string;
  canWrite: boolean;
  onRun: (q: string, range?: string | null) => void;
}) {
  // Loaded a moment after the page is up, or as soon as the button is pointed at or
  // focused: not among the first page's requests.
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => setWanted(true), 1000);
    return () => clearTimeout(t);
  }, []);
  const saved = useSavedQueries(wanted);
  const save = useSaveQuery();
  const del = useDeleteSavedQuery();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const list = saved.data?.savedQueries ?? [];
  return (
    <>
      <Menu
        label="Saved queries"
        className="w-96"
        button={(p) => (
          <Button
            {...p}
            onPointerEnter={() => setWanted(true)}
            onFocus={() => setWanted(true)}
            icon={<Bookmark size={14} />}
            className="h-9"
            aria-label="Saved queries"
          >
            <span className="hidden lg:inline">Saved</span>
          </Button>
        )}
      >
        {(close) => (
          <div>
            {canWrite && (
              <button
                type="button"
                disabled={!q.trim()}
                onClick={() => {
                  close();
                  setName('');
                  setNaming(true);
                }}
                className="w-full rounded-md px-2 py-1.5 text-left text-[13px] font-medium text-link hover:bg-hover disabled:text-faint"
              >
                Save current query…
              </button>
            )}
            {saved.isError && (
              <p className="px-2 py-2 text-[12px] text-muted">Saved queries are not available.</p>
            )}
            {list.length === 0 && !saved.isError && (
              <p className="px-2 py-3 text-[12px] text-muted">No saved queries yet.</p>
            )}
            <ul>
              {list.map((s) => (
                <li key={s.id} className="group flex items-center gap-1 rounded-md hover:bg-hover">
                  <button
                    type="button"
                    className="min-w-0 flex-1 px-2 py-1.5 text-left"
                    onClick={() => {
                      close();
                      onRun(s.query, s.timeRange);
                    }}
                  >
                    <span className="block truncate text-[13px] font-medium">{s.name}</span>
                    <span className="block truncate font-mono text-[11px]">
                      {highlight(s.query, null).map((seg, i) => (
                        <span key={i} className={`q-${seg.type}`}>
                          {seg.text}
                        </span>
                      ))}
                    </span>
                  </button>
                  {canWrite && (
                    <button
                      type="button"
                      aria-label={`Delete saved query ${s.name}`}
                      onClick={() => del.mutate(s.id)}
                      className="mr-1 rounded p-1 text-faint opacity-0 hover:text-err group-hover:opacity-100 focus:opacity-100"
                    >
                      <Trash2 size={13} />
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Menu>
      <Dialog
        open={naming}
        onClose={() => setNaming(false)}
        title="Save query"
        footer={
          <>
            <Button onClick={() => setNaming(false)}>Cancel</Button>
            <Button
              variant="primary"
              disabled={!name.trim() || save.isPending}
              onClick={() =>
                save.mutate(
                  { name: name.trim(), query: q, ...(range ? { timeRange: range } : {}) },
                  { onSuccess: () => setNaming(false) },
                )
              }
            >
              Save
            </Button>
          </>
        }
      >
        <label className="flex flex-col gap-1 text-[12px] font-medium text-muted">
          Name
          <Input
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Slow gpt-4o calls"
          />
        </label>
        <p className="mt-2 font-mono text-[12px] text-muted">{q}</p>
        {save.isError && <ErrorNote error={save.error} />}
      </Dialog>
    </>
  );
}
