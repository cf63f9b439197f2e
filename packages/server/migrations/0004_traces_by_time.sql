-- `traces` ordered by time. Until 0004 it was ordered by (project_id, trace_id), so every
-- search over a time window read the whole table: with random trace ids each granule holds
-- traces from the whole day, and the start_time minmax index pruned nothing. Now each row
-- carries `start_bucket`, the ten-minute bucket its (partial) aggregate starts in, and the
-- table is ordered by (project_id, start_bucket, trace_id): a window reads its buckets only.
-- Partial aggregates of one trace that start in different buckets stay separate rows; readers
-- GROUP BY trace_id, as before. Lookups by id use the bloom filter on trace_id, whose false
-- positive rate is low (0.0001) because a page looks up 50 ids in some 2,000 granules per
-- million traces: at 0.001, 50 ids read 144 granules instead of about 50.
--
-- `trace_id` here is the id's 16 bytes (FixedString(16)) rather than its 32 hex digits:
-- every trace search groups this table by id, and grouping by a fixed 16-byte key costs a
-- third of the CPU (measured at 1M traces). Ingest accepts only 32-hex-digit trace ids.
--
-- The table is rebuilt from `spans` (the source of truth), then swapped in. Every statement
-- is safe to re-run after a crash at any point: a re-run rebuilds `traces_next` from `spans`
-- again and ends in the same state. Stop ingest while it runs (on a ClickHouse server:
-- spans written between the DROP VIEW and the CREATE MATERIALIZED VIEW get no summary).

CREATE TABLE IF NOT EXISTS traces_next
(
    project_id      LowCardinality(String),
    start_bucket    DateTime('UTC'),
    trace_id        FixedString(16),
    start_time      SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
    end_time        SimpleAggregateFunction(max, DateTime64(9, 'UTC')),
    span_count      SimpleAggregateFunction(sum, UInt64),
    error_count     SimpleAggregateFunction(sum, UInt64),
    root_name       SimpleAggregateFunction(max, String),
    root_service    SimpleAggregateFunction(max, String),
    first_span_name AggregateFunction(argMin, String, DateTime64(9, 'UTC')),
    services        SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    models          SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    users           SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    sessions        SimpleAggregateFunction(groupUniqArrayArray, Array(String)),
    input_tokens    SimpleAggregateFunction(sum, UInt64),
    output_tokens   SimpleAggregateFunction(sum, UInt64),
    total_tokens    SimpleAggregateFunction(sum, UInt64),
    retention_days  SimpleAggregateFunction(max, UInt16),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.0001) GRANULARITY 1,
    INDEX idx_start start_time TYPE minmax GRANULARITY 1
)
ENGINE = AggregatingMergeTree
ORDER BY (project_id, start_bucket, trace_id)
TTL toDateTime(end_time) + toIntervalDay(retention_days)
SETTINGS index_granularity = 512;

DROP VIEW IF EXISTS traces_mv;

TRUNCATE TABLE IF EXISTS traces_next;

INSERT INTO traces_next
SELECT
    project_id,
    toStartOfTenMinutes(toDateTime(min(span_start), 'UTC')) AS start_bucket,
    tid AS trace_id,
    min(span_start) AS start_time,
    max(span_end) AS end_time,
    count() AS span_count,
    countIf(status_code = 'error') AS error_count,
    max(if(parent_span_id = '', toString(name), '')) AS root_name,
    max(if(parent_span_id = '', toString(service_name), '')) AS root_service,
    argMinState(toString(name), span_start) AS first_span_name,
    groupUniqArray(toString(service_name)) AS services,
    arrayFilter(m -> m != '', groupUniqArrayArray([toString(request_model), toString(response_model)])) AS models,
    arrayFilter(u -> u != '', groupUniqArray(user_id)) AS users,
    arrayFilter(s -> s != '', groupUniqArray(session_id)) AS sessions,
    sum(span_input_tokens) AS input_tokens,
    sum(span_output_tokens) AS output_tokens,
    sum(span_total_tokens) AS total_tokens,
    max(span_retention_days) AS retention_days
FROM
(
    SELECT
        project_id, toFixedString(unhex(trace_id), 16) AS tid, parent_span_id, name,
        service_name, status_code,
        request_model, response_model, user_id, session_id,
        start_time AS span_start, end_time AS span_end,
        input_tokens AS span_input_tokens, output_tokens AS span_output_tokens,
        total_tokens AS span_total_tokens, retention_days AS span_retention_days
    FROM spans
)
GROUP BY project_id, tid;

DROP TABLE IF EXISTS traces;

RENAME TABLE traces_next TO traces;

CREATE MATERIALIZED VIEW IF NOT EXISTS traces_mv TO traces AS
SELECT
    project_id,
    toStartOfTenMinutes(toDateTime(min(span_start), 'UTC')) AS start_bucket,
    tid AS trace_id,
    min(span_start) AS start_time,
    max(span_end) AS end_time,
    count() AS span_count,
    countIf(status_code = 'error') AS error_count,
    max(if(parent_span_id = '', toString(name), '')) AS root_name,
    max(if(parent_span_id = '', toString(service_name), '')) AS root_service,
    argMinState(toString(name), span_start) AS first_span_name,
    groupUniqArray(toString(service_name)) AS services,
    arrayFilter(m -> m != '', groupUniqArrayArray([toString(request_model), toString(response_model)])) AS models,
    arrayFilter(u -> u != '', groupUniqArray(user_id)) AS users,
    arrayFilter(s -> s != '', groupUniqArray(session_id)) AS sessions,
    sum(span_input_tokens) AS input_tokens,
    sum(span_output_tokens) AS output_tokens,
    sum(span_total_tokens) AS total_tokens,
    max(span_retention_days) AS retention_days
FROM
(
    SELECT
        project_id, toFixedString(unhex(trace_id), 16) AS tid, parent_span_id, name,
        service_name, status_code,
        request_model, response_model, user_id, session_id,
        start_time AS span_start, end_time AS span_end,
        input_tokens AS span_input_tokens, output_tokens AS span_output_tokens,
        total_tokens AS span_total_tokens, retention_days AS span_retention_days
    FROM spans
)
GROUP BY project_id, tid;
