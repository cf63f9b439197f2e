/** A small SVG area/line chart for time series; colors are theme variables. */
import { useId } from 'react';

export function Chart({
  points,
  color = 'var(--accent)',
  height = 64,
  format,
  label,
  second,
  secondColor = 'var(--c2)',
}: {
  points: readonly number[];
  second?: readonly number[];
  color?: string;
  secondColor?: string;
  height?: number;
  format?: (v: number) => string;
  label: string;
}) {
  const id = useId();
  const w = 300;
  const max = Math.max(1e-9, ...points, ...(second ?? []));
  const path = (vals: readonly number[]) =>
    vals
      .map(
        (v, i) =>
          `${i === 0 ? 'M' : 'L'}${((i / Math.max(1, vals.length - 1)) * w).toFixed(1)},${(height - (v / max) * (height - 4) - 2).toFixed(1)}`,
      )
      .join(' ');
  const line = path(points);
  return (
    <svg
      viewBox={`0 0 ${w} ${height}`}
      preserveAspectRatio="none"
      className="block h-16 w-full"
      role="img"
      aria-label={label}
    >
      <defs>
        <linearGradient id={id} x1="0" x2="0" y1="0" y2="1">
          <stop offset="0%" stopColor={color} stopOpacity="0.35" />
          <stop offset="100%" stopColor={color} stopOpacity="0" />
        </linearGradient>
      </defs>
      {points.length > 1 && (
        <>
          <path d={`${line} L${w},${height} L0,${height} Z`} fill={`url(#${id})`} />
          <path
            d={line}
            fill="none"
            stroke={color}
            strokeWidth="1.5"
            vectorEffect="non-scaling-stroke"
          />
        </>
      )}
      {second && second.length > 1 && (
        <path
          d={path(second)}
          fill="none"
          stroke={secondColor}
          strokeWidth="1.5"
          strokeDasharray="3 2"
          vectorEffect="non-scaling-stroke"
        />
      )}
      {format && points.length > 0 && <title>{`${label}: max ${format(max)}`}</title>}
    </svg>
  );
}
