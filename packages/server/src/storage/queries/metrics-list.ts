import { z } from 'zod';
import type { Database } from '../database.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';

export interface MetricInfo {
  name: string;
  type: string;
  unit: string;
  description: string;
  /** Distinct services reporting it. */
  services: string[];
  pointCount: number;
  lastSeenUnixNano: string;
}

const metricRow = z.object({
  name: z.string(),
  type: z.string(),
  unit: z.string(),
  description: z.string(),
  services: z.array(z.string()),
  point_count: z.number(),
  last_seen: z.string(),
});

/** The metrics a project reported within a window; type, unit and description as last seen. */
export async function listMetrics(
  db: Database,
  projectId: string,
  window: TimeWindow,
  prefix = '',
): Promise<MetricInfo[]> {
  const params = new SqlParams({ projectId });
  const rows = await db.query(
    `SELECT toString(metric_name) AS name,
            toString(argMax(metric_type, time)) AS type,
            toString(argMax(unit, time)) AS unit,
            argMax(description, time) AS description,
            arraySort(groupUniqArray(toString(service_name))) AS services,
            count() AS point_count,
            toString(toUnixTimestamp64Nano(max(time))) AS last_seen
     FROM metrics
     WHERE project_id = {projectId:String} AND ${windowSql(params, 'time', window)}
       AND startsWith(metric_name, ${params.bind('String', prefix)})
     GROUP BY name
     ORDER BY name`,
    params.values,
  );
  return rows.map((raw) => {
    const row = metricRow.parse(raw);
    return {
      name: row.name,
      type: row.type,
      unit: row.unit,
      description: row.description,
      services: row.services.filter((s) => s !== ''),
      pointCount: row.point_count,
      lastSeenUnixNano: row.last_seen,
    };
  });
}
