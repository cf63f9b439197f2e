/** Typed attributes: strings, numbers, booleans, arrays and maps each shown as what they are. */
import clsx from 'clsx';
import type { AttributeValue, Attributes } from '../../../lib/types.ts';

function typeOf(v: AttributeValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (typeof v === 'object') return 'map';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

export function Value({ v }: { v: AttributeValue }) {
  const t = typeOf(v);
  if (t === 'string') return <span className="whitespace-pre-wrap break-all">{v as string}</span>;
  if (t === 'int' || t === 'double')
    return <span className="font-mono text-[var(--c0)] tabular">{String(v)}</span>;
  if (t === 'bool') return <span className="font-mono text-[var(--c2)]">{String(v)}</span>;
  if (t === 'null') return <span className="font-mono text-faint">null</span>;
  return (
    <pre className="font-mono text-[12px] whitespace-pre-wrap break-all">
      {JSON.stringify(v, null, 2)}
    </pre>
  );
}

export function AttributeTable({
  attributes,
  filter = '',
  label,
}: {
  attributes: Attributes;
  filter?: string;
  label: string;
}) {
  const f = filter.toLowerCase();
  const entries = Object.entries(attributes ?? {})
    .filter(
      ([k, v]) => !f || k.toLowerCase().includes(f) || JSON.stringify(v).toLowerCase().includes(f),
    )
    .sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0)
    return <p className="py-3 text-[12px] text-muted">No {label.toLowerCase()}.</p>;
  return (
    <table className="w-full table-fixed text-[12px]" aria-label={label}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k} className="border-b border-line align-top last:border-0">
            <th
              scope="row"
              className="w-[38%] py-1.5 pr-2 text-left font-mono font-normal text-muted break-all"
            >
              {k}
            </th>
            <td className="py-1.5">
              <span
                className={clsx('mr-1.5 rounded bg-panel-2 px-1 font-mono text-[10px] text-faint')}
              >
                {typeOf(v)}
              </span>
              <Value v={v} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
