/**
 * SQL pieces for metric queries: attribute lookups over both the point's and the
 * resource's attributes, and turning cumulative points into per-point increments.
 */
import type { ClosedWindow, SqlParams } from './sql-params.ts';

/**
 * The text value of `key` for a metric point: the point's attribute, else the resource's;
 * `service.name` also falls back to the service_name column.
 */
export function metricAttributeSql(key: string, params: SqlParams): string {
  const k = params.bind('String', key);
  const fallback = key === 'service.name' ? 'toString(service_name)' : "''";
  return `multiIf(mapContains(attributes, ${k}), attributes[${k}], mapContains(resource_attributes, ${k}), resource_attributes[${k}], ${fallback})`;
}

export interface MetricSelection {
  projectId: string;
  name: string;
  window: ClosedWindow;
  attributes: { key: string; value: string }[];
}

/** WHERE for the points of one metric in a window with the given attribute values. */
export function metricWhereSql(s: MetricSelection, params: SqlParams): string {
  const parts = [
    'project_id = {projectId:String}',
    `metric_name = ${params.bind('String', s.name)}`,
    `time >= fromUnixTimestamp64Nano(${params.bind('Int64', s.window.fromNs)}, 'UTC')`,
    `time <= fromUnixTimestamp64Nano(${params.bind('Int64', s.window.toNs)}, 'UTC')`,
  ];
  for (const { key, value } of s.attributes) {
    parts.push(`${metricAttributeSql(key, params)} = ${params.bind('String', value)}`);
  }
  return parts.join(' AND ');
}

/** Identifies one series (a reset starts a new one: its start_time changes). */
export const SERIES_SQL =
  'cityHash64(attributes, resource_attributes, service_name, scope_name, start_time)';

/** The window over which `lagInFrame` finds a point's predecessor in its series. */
export const SERIES_WINDOW = `WINDOW w AS (PARTITION BY ${SERIES_SQL} ORDER BY time ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)`;

/**
 * The increment a point adds. Delta points are increments already. A cumulative point adds
 * its value minus its predecessor's (a drop means a reset: the value itself); the first
 * point of a series adds its whole value when the series started inside the window, and is
 * unknown (NULL) when it started before.
 */
export function increment(column: string, fromParam: string): string {
  return `if(temporality != 'cumulative', toFloat64(${column}),
    if(row_number() OVER w = 1,
      if(start_time >= ${fromParam}, toFloat64(${column}), NULL),
      if(${column} >= lagInFrame(${column}, 1) OVER w,
        toFloat64(${column}) - toFloat64(lagInFrame(${column}, 1) OVER w),
        toFloat64(${column}))))`;
}

/** The per-bucket increments of a histogram point, by the same rules as `increment`. */
export function bucketIncrements(fromParam: string): string {
  return `if(temporality != 'cumulative', bucket_counts,
    if(row_number() OVER w = 1,
      if(start_time >= ${fromParam}, bucket_counts, arrayMap(x -> toUInt64(0), bucket_counts)),
      if(count >= lagInFrame(count, 1) OVER w
           AND length(bucket_counts) = length(lagInFrame(bucket_counts, 1) OVER w),
        arrayMap((a, b) -> toUInt64(greatest(toInt64(a) - toInt64(b), 0)), bucket_counts,
                 lagInFrame(bucket_counts, 1) OVER w),
        bucket_counts)))`;
}
