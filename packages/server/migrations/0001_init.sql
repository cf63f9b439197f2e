-- PyFlare schema, version 1. The same statements run on chDB (embedded) and on a
-- ClickHouse server (distributed). Each statement ends with ';' at the end of a line.

-- Spans: one row per span, normalized into the canonical model; raw attributes kept
-- verbatim beside the extracted columns. Ordered for time-window scans within a project;
-- trace lookups first read the trace's bounds from `traces`, then prune by time.
CREATE TABLE IF NOT EXISTS spans
(
    project_id              LowCardinality(String),
    trace_id                String,
    span_id                 String,
    parent_span_id          String,
    trace_state             String,
    flags                   UInt32,
    name                    LowCardinality(String),
    kind                    LowCardinality(String),
    service_name            LowCardinality(String),
    environment             LowCardinality(String),
    scope_name              LowCardinality(String),
    scope_version           LowCardinality(String),
    start_time              DateTime64(9, 'UTC'),
    end_time                DateTime64(9, 'UTC'),
    duration_ns             UInt64,
    status_code             LowCardinality(String),
    status_message          String,
    operation               LowCardinality(String),
    provider                LowCardinality(String),
    request_model           LowCardinality(String),
    response_model          LowCardinality(String),
    input_tokens            UInt64,
    output_tokens           UInt64,
    cached_tokens           UInt64,
    total_tokens            UInt64,
    user_id                 String,
    session_id              String,
    tags                    Array(String),
    input_text              String CODEC(ZSTD(3)),
    output_text             String CODEC(ZSTD(3)),
    input_messages          String CODEC(ZSTD(3)),
    output_messages         String CODEC(ZSTD(3)),
    retrieval_documents     String CODEC(ZSTD(3)),
    inference_id            String,
    ml_features             String CODEC(ZSTD(1)),
    ml_prediction           String,
    ml_label                String,
    embedding               Array(Float32) CODEC(ZSTD(1)),
    attributes              Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_json         String CODEC(ZSTD(1)),
    resource_attributes     Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    resource_json           String CODEC(ZSTD(1)),
    events_json             String CODEC(ZSTD(1)),
    links_json              String CODEC(ZSTD(1)),
    dropped_attributes_count UInt32,
    dropped_events_count    UInt32,
    dropped_links_count     UInt32,
    retention_days          UInt16,
    ingested_at             DateTime64(3, 'UTC'),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_duration duration_ns TYPE minmax GRANULARITY 1,
    INDEX idx_user user_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_session session_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_model request_model TYPE set(256) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(start_time)
ORDER BY (project_id, toStartOfHour(start_time), service_name, start_time)
TTL toDateTime(start_time) + toIntervalDay(retention_days)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 0;

-- Trace summaries, aggregated from spans as they are written. Parts may hold partial
-- aggregates of one trace until they merge: readers always GROUP BY trace_id.
CREATE TABLE IF NOT EXISTS traces
(
    project_id      LowCardinality(String),
    trace_id        String,
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
    INDEX idx_start start_time TYPE minmax GRANULARITY 1
)
ENGINE = AggregatingMergeTree
ORDER BY (project_id, trace_id)
TTL toDateTime(end_time) + toIntervalDay(retention_days);

CREATE MATERIALIZED VIEW IF NOT EXISTS traces_mv TO traces AS
SELECT
    project_id,
    trace_id,
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
        project_id, trace_id, parent_span_id, name, service_name, status_code,
        request_model, response_model, user_id, session_id,
        start_time AS span_start, end_time AS span_end,
        input_tokens AS span_input_tokens, output_tokens AS span_output_tokens,
        total_tokens AS span_total_tokens, retention_days AS span_retention_days
    FROM spans
)
GROUP BY project_id, trace_id;

CREATE TABLE IF NOT EXISTS metrics
(
    project_id          LowCardinality(String),
    metric_name         LowCardinality(String),
    metric_type         LowCardinality(String),
    description         String,
    unit                LowCardinality(String),
    service_name        LowCardinality(String),
    scope_name          LowCardinality(String),
    scope_version       LowCardinality(String),
    resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes          Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_json     String CODEC(ZSTD(1)),
    start_time          DateTime64(9, 'UTC'),
    time                DateTime64(9, 'UTC'),
    value               Float64,
    count               UInt64,
    sum                 Float64,
    min                 Nullable(Float64),
    max                 Nullable(Float64),
    bucket_counts       Array(UInt64),
    explicit_bounds     Array(Float64),
    exp_scale           Int32,
    exp_zero_count      UInt64,
    exp_positive_offset Int32,
    exp_positive_counts Array(UInt64),
    exp_negative_offset Int32,
    exp_negative_counts Array(UInt64),
    quantiles           Array(Float64),
    quantile_values     Array(Float64),
    temporality         LowCardinality(String),
    is_monotonic        UInt8,
    flags               UInt32,
    exemplars_json      String CODEC(ZSTD(1)),
    retention_days      UInt16,
    ingested_at         DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(time)
ORDER BY (project_id, metric_name, service_name, time)
TTL toDateTime(time) + toIntervalDay(retention_days);

CREATE TABLE IF NOT EXISTS logs
(
    project_id          LowCardinality(String),
    time                DateTime64(9, 'UTC'),
    observed_time       DateTime64(9, 'UTC'),
    severity_number     UInt8,
    severity_text       LowCardinality(String),
    body                String CODEC(ZSTD(3)),
    body_json           String CODEC(ZSTD(3)),
    trace_id            String,
    span_id             String,
    flags               UInt32,
    event_name          LowCardinality(String),
    service_name        LowCardinality(String),
    scope_name          LowCardinality(String),
    scope_version       LowCardinality(String),
    resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes          Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_json     String CODEC(ZSTD(1)),
    retention_days      UInt16,
    ingested_at         DateTime64(3, 'UTC'),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(time)
ORDER BY (project_id, service_name, time)
TTL toDateTime(time) + toIntervalDay(retention_days);

-- Small mutable state: ReplacingMergeTree with a version column, read with FINAL.
CREATE TABLE IF NOT EXISTS projects
(
    id              String,
    name            String,
    retention_days  UInt16,
    capture_content UInt8,
    created_at      DateTime64(3, 'UTC'),
    deleted         UInt8,
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;

CREATE TABLE IF NOT EXISTS api_keys
(
    id            String,
    project_id    String,
    name          String,
    prefix        String,
    key_hash      String,
    scopes        Array(String),
    created_at    DateTime64(3, 'UTC'),
    last_used_at  Nullable(DateTime64(3, 'UTC')),
    revoked_at    Nullable(DateTime64(3, 'UTC')),
    version       UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id;
