/** Catalogs of what a project sends: its services and its models, within a time window. */
import { z } from 'zod';
import type { Database } from '../database.ts';
import { SqlParams, windowSql, type TimeWindow } from './sql-params.ts';

export interface ServiceInfo {
  name: string;
  spanCount: number;
  errorCount: number;
  lastSeenUnixNano: string;
}

export interface ModelInfo {
  /** The requested model, or the response model when no request model was recorded. */
  model: string;
  provider: string;
  spanCount: number;
  inputTokens: number;
  outputTokens: number;
  lastSeenUnixNano: string;
}

const serviceRow = z.object({
  name: z.string(),
  span_count: z.number(),
  error_count: z.number(),
  last_seen: z.string(),
});

const modelRow = z.object({
  model: z.string(),
  provider: z.string(),
  span_count: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  last_seen: z.string(),
});

export async function listServices(
  db: Database,
  projectId: string,
  window: TimeWindow,
): Promise<ServiceInfo[]> {
  const params = new SqlParams({ projectId });
  const rows = await db.query(
    `SELECT toString(service_name) AS name, count() AS span_count,
            countIf(status_code = 'error') AS error_count,
            toString(toUnixTimestamp64Nano(max(start_time))) AS last_seen
     FROM spans
     WHERE project_id = {projectId:String} AND ${windowSql(params, 'start_time', window)}
     GROUP BY name
     ORDER BY name`,
    params.values,
  );
  return rows.map((raw) => {
    const row = serviceRow.parse(raw);
    return {
      name: row.name,
      spanCount: row.span_count,
      errorCount: row.error_count,
      lastSeenUnixNano: row.last_seen,
    };
  });
}

export async function listModels(
  db: Database,
  projectId: string,
  window: TimeWindow,
): Promise<ModelInfo[]> {
  const params = new SqlParams({ projectId });
  const rows = await db.query(
    `SELECT if(request_model != '', toString(request_model), toString(response_model)) AS model,
            toString(provider) AS provider, count() AS span_count,
            sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
            toString(toUnixTimestamp64Nano(max(start_time))) AS last_seen
     FROM spans
     WHERE project_id = {projectId:String} AND ${windowSql(params, 'start_time', window)}
       AND (request_model != '' OR response_model != '')
     GROUP BY model, provider
     ORDER BY model, provider`,
    params.values,
  );
  return rows.map((raw) => {
    const row = modelRow.parse(raw);
    return {
      model: row.model,
      provider: row.provider,
      spanCount: row.span_count,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      lastSeenUnixNano: row.last_seen,
    };
  });
}
