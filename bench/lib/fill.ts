import type { Database } from '../../packages/server/src/storage/database.ts';

/**
 * Fills `spans` inside the engine: `INSERT INTO spans SELECT ... FROM numbers(from, count)`,
 * ten spans per trace, every value derived from the row number by hashing (so runs are
 * reproducible and a span's trace-level values agree with its siblings'). The `traces_mv`
 * materialized view fills `traces` as the rows land.
 *
 * Per trace: an HTTP server root, an agent, a retrieval, three LLM chat calls, two tools, an
 * outgoing HTTP call and an embeddings call. 2% of traces fail (three spans with status
 * error). Start times are spread over the 24 hours before `nowMs`; trace durations are
 * 0.1–20 s. 0.1% of chat prompts contain the marker word `zanzibar` for free-text search.
 */

export const FILL_SERVICES = [
  'support-bot',
  'rag-api',
  'agent-worker',
  'copilot-backend',
  'search-assist',
];
export const FILL_MODELS = [
  'gpt-4o',
  'gpt-4o-mini',
  'claude-sonnet-4-5',
  'claude-haiku-4-5',
  'gemini-2.0-flash',
];
export const FILL_PROVIDERS = ['openai', 'openai', 'anthropic', 'anthropic', 'gcp.vertex_ai'];
export const FILL_TENANTS = 40;
export const FILL_RARE_WORD = 'zanzibar';
export const SPANS_PER_TRACE = 10;

const WORDS = [
  'the',
  'customer',
  'order',
  'refund',
  'shipping',
  'delayed',
  'please',
  'summarize',
  'policy',
  'account',
  'invoice',
  'weather',
  'paris',
  'forecast',
  'ticket',
  'priority',
  'escalate',
  'support',
  'document',
  'context',
  'answer',
  'question',
  'product',
  'warranty',
  'return',
  'label',
  'tracking',
  'password',
  'reset',
  'login',
  'error',
  'timeout',
  'latency',
  'budget',
];

const sqlArray = (items: readonly string[]) => `[${items.map((s) => `'${s}'`).join(', ')}]`;

/** Trace-level hash: the same for the ten spans of a trace. */
const th = (salt: string) => `cityHash64('${salt}', t)`;

const FILL_SQL = `
INSERT INTO spans (
  project_id, trace_id, span_id, parent_span_id, flags, name, kind, service_name, environment,
  scope_name, scope_version, start_time, end_time, duration_ns, status_code, status_message,
  operation, provider, request_model, response_model, input_tokens, output_tokens,
  cached_tokens, total_tokens, user_id, session_id, input_text, output_text, attributes,
  resource_attributes, retention_days, ingested_at
)
SELECT
  'default' AS project_id,
  concat(leftPad(lower(hex(${th('a')})), 16, '0'), leftPad(lower(hex(${th('b')})), 16, '0')) AS trace_id,
  leftPad(lower(hex(cityHash64('s', number))), 16, '0') AS span_id,
  if(i = 0, '', leftPad(lower(hex(cityHash64('s', t * ${SPANS_PER_TRACE} + if(i <= 2, 0, 1)))), 16, '0')) AS parent_span_id,
  1 AS flags,
  multiIf(i = 0, 'POST /v1/chat', i = 1, 'invoke_agent support-agent', i = 2, 'retrieve knowledge-base',
          i IN (3, 5, 7), concat('chat ', model), i IN (4, 6), concat('execute_tool ', tool),
          i = 8, 'GET', 'embeddings text-embedding-3-small') AS name,
  multiIf(i = 0, 'server', i IN (3, 5, 7, 8, 9), 'client', 'internal') AS kind,
  FILL_SERVICES[1 + ${th('svc')} % ${FILL_SERVICES.length}] AS service_name,
  'production' AS environment,
  multiIf(i IN (0, 8), '@opentelemetry/instrumentation-http', i IN (3, 5, 7, 9),
          'opentelemetry.instrumentation.openai', 'pyflare.agent') AS scope_name,
  '1.0.0' AS scope_version,
  fromUnixTimestamp64Nano(toInt64(trace_start + if(i = 0, 0, toUInt64(trace_dur * i / 12)))) AS start_time,
  fromUnixTimestamp64Nano(toInt64(trace_start + if(i = 0, 0, toUInt64(trace_dur * i / 12)) + dur)) AS end_time,
  dur AS duration_ns,
  if(failed AND i IN (0, 1, 7), 'error', 'unset') AS status_code,
  if(failed AND i IN (0, 1, 7), 'RateLimitError: Rate limit reached', '') AS status_message,
  multiIf(i = 1, 'agent', i = 2, 'retrieval', i IN (3, 5, 7), 'chat', i IN (4, 6), 'tool',
          i = 9, 'embedding', '') AS operation,
  multiIf(i IN (3, 5, 7), FILL_PROVIDERS[model_idx], i = 9, 'openai', '') AS provider,
  multiIf(i IN (3, 5, 7), model, i = 9, 'text-embedding-3-small', '') AS request_model,
  request_model AS response_model,
  if(i IN (3, 5, 7, 9), 200 + cityHash64('in', number) % 4000, 0) AS input_tokens,
  if(i IN (3, 5, 7), 20 + cityHash64('out', number) % 600, 0) AS output_tokens,
  0 AS cached_tokens,
  input_tokens + output_tokens AS total_tokens,
  concat('user-', toString(${th('u')} % 5000)) AS user_id,
  concat('sess-', toString(${th('sess')} % 200000)) AS session_id,
  if(i IN (3, 5, 7),
     concat(arrayStringConcat(arrayMap(k -> WORDS[1 + cityHash64('w', number, k) % length(WORDS)], range(24)), ' '),
            if(cityHash64('rare', number) % 1000 = 0, ' ${FILL_RARE_WORD}', '')),
     '') AS input_text,
  if(i IN (3, 5, 7),
     arrayStringConcat(arrayMap(k -> WORDS[1 + cityHash64('o', number, k) % length(WORDS)], range(16)), ' '),
     '') AS output_text,
  mapFilter((k, v) -> v != '', map(
    'app.tenant', concat('tenant-', toString(${th('ten')} % ${FILL_TENANTS})),
    'app.release', '2025.11.3',
    'code.function.name', name,
    'thread.id', toString(number % 64),
    'user.id', user_id,
    'session.id', session_id,
    'gen_ai.operation.name', operation,
    'gen_ai.request.model', request_model,
    'gen_ai.provider.name', provider,
    'gen_ai.tool.name', if(i IN (4, 6), tool, ''),
    'http.request.method', multiIf(i = 0, 'POST', i = 8, 'GET', ''),
    'http.response.status_code', if(i IN (0, 8), if(failed, '500', '200'), '')
  )) AS attributes,
  map('service.name', service_name, 'service.version', '1.8.0',
      'deployment.environment.name', 'production', 'telemetry.sdk.language', 'python',
      'host.name', concat('ip-10-0-', toString(${th('host')} % 32))) AS resource_attributes,
  30 AS retention_days,
  now64(3) AS ingested_at
FROM
(
  SELECT
    number,
    intDiv(number, ${SPANS_PER_TRACE}) AS t,
    number % ${SPANS_PER_TRACE} AS i,
    ${sqlArray(FILL_SERVICES)} AS FILL_SERVICES,
    ${sqlArray(FILL_PROVIDERS)} AS FILL_PROVIDERS,
    ${sqlArray(WORDS)} AS WORDS,
    1 + ${th('m')} % ${FILL_MODELS.length} AS model_idx,
    ${sqlArray(FILL_MODELS)}[model_idx] AS model,
    ['get_weather', 'search_orders', 'lookup_customer', 'create_ticket'][1 + cityHash64('tool', number) % 4] AS tool,
    ${th('e')} % 100 < 2 AS failed,
    {nowNs:UInt64} - ${th('start')} % {windowNs:UInt64} AS trace_start,
    (100 + ${th('dur')} % 19900) * 1000000 AS trace_dur,
    if(i = 0, trace_dur, toUInt64(trace_dur / 12 * (0.2 + (cityHash64('d', number) % 1000) / 1250))) AS dur
  FROM numbers({from:UInt64}, {count:UInt64})
)`;

export interface FillOptions {
  /** First row number (so a second fill appends new traces). A multiple of 10. */
  from: number;
  count: number;
  nowMs: number;
  windowMs?: number;
  /** Rows per INSERT statement. */
  chunk?: number;
  onProgress?: (done: number) => void;
}

export async function fillSpans(db: Database, options: FillOptions): Promise<void> {
  const chunk = options.chunk ?? 2_000_000;
  const windowNs = BigInt(options.windowMs ?? 24 * 3600_000) * 1_000_000n;
  // Traces must end before now: leave room for the longest one (20 s).
  const nowNs = BigInt(options.nowMs - 30_000) * 1_000_000n;
  for (let done = 0; done < options.count; done += chunk) {
    const count = Math.min(chunk, options.count - done);
    await db.command(FILL_SQL, {
      from: BigInt(options.from + done),
      count: BigInt(count),
      nowNs,
      windowNs: windowNs - 30_000_000_000n,
    });
    options.onProgress?.(done + count);
  }
}

/** The trace id of trace number `t` (as the fill computes it), for lookups. */
export const TRACE_ID_SQL = `concat(leftPad(lower(hex(cityHash64('a', t))), 16, '0'), leftPad(lower(hex(cityHash64('b', t))), 16, '0'))`;
