/** Time range: relative presets or an absolute from–to (inputs in the preferred time zone, sent as ISO). */
import { Clock } from 'lucide-react';
import { useState } from 'react';
import { Menu } from '../../../components/menu.tsx';
import { Button, Input } from '../../../components/ui.tsx';
import { fromZonedInput, toZonedInput } from '../../../lib/format.ts';
import { usePrefs } from '../../shell/hooks/prefs.ts';
import { describeRange, RELATIVE_RANGES, type ListState } from '../lib/url-state.ts';

export function TimeRangePicker({
  state,
  onChange,
}: {
  state: Pick<ListState, 'range' | 'from' | 'to'>;
  onChange: (next: Pick<ListState, 'range' | 'from' | 'to'>) => void;
}) {
  // The inputs are wall times in the preferred time zone (local when none is set).
  const { timeZone } = usePrefs();
  const [from, setFrom] = useState(() =>
    toZonedInput(state.from ? Date.parse(state.from) : Date.now() - 3_600_000, timeZone),
  );
  const [to, setTo] = useState(() =>
    state.to ? toZonedInput(Date.parse(state.to), timeZone) : '',
  );
  return (
    <Menu
      label="Time range"
      className="w-72"
      button={(p) => (
        <Button
          {...p}
          aria-label={`Time range: ${describeRange(state, timeZone)}`}
          icon={<Clock size={14} />}
          className="h-9"
        >
          <span className="hidden sm:inline">{describeRange(state, timeZone)}</span>
        </Button>
      )}
    >
      {(close) => (
        <div className="p-1">
          <ul>
            {RELATIVE_RANGES.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  role="menuitemradio"
                  aria-checked={state.range === r.id}
                  onClick={() => {
                    onChange({ range: r.id, from: '', to: '' });
                    close();
                  }}
                  className="flex w-full items-center justify-between rounded-md px-2 py-1.5 text-left text-[13px] hover:bg-hover"
                >
                  {r.label}
                  {state.range === r.id && <span className="text-accent">✓</span>}
                </button>
              </li>
            ))}
          </ul>
          <form
            className="mt-1 flex flex-col gap-2 border-t border-line p-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (!from) return;
              onChange({
                range: '',
                from: new Date(fromZonedInput(from, timeZone)).toISOString(),
                to: to ? new Date(fromZonedInput(to, timeZone)).toISOString() : '',
              });
              close();
            }}
          >
            <span className="text-[11px] font-semibold uppercase tracking-wide text-faint">
              Absolute
            </span>
            <label className="flex flex-col gap-0.5 text-[12px] text-muted">
              From
              <Input
                type="datetime-local"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                required
              />
            </label>
            <label className="flex flex-col gap-0.5 text-[12px] text-muted">
              To (empty: now)
              <Input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
            </label>
            <Button type="submit" variant="primary" size="sm">
              Apply
            </Button>
          </form>
        </div>
      )}
    </Menu>
  );
}
