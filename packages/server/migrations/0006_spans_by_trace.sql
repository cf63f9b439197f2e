-- `spans` ordered by trace within ten-minute buckets, in granules of 1,024 rows and compressed
-- blocks of 16–64 KiB. Until 0006 it was ordered by (project_id, toStartOfHour(start_time),
-- service_name, start_time) in granules of 8,192 rows and blocks of 64 KiB–1 MiB: reading a
-- trace decompressed every column of a granule per service the trace crossed, and with the
-- bucketed maps (0005) each of the maps' bucket streams a whole block besides, some 30 MB for
-- a trace of ten spans. Now a trace's spans lie side by side in one granule (two when it
-- crosses a bucket boundary) that the primary key finds, and a lookup decompresses about
-- 2 MB. A time window still prunes by the bucket, first in the key. `start_time` itself is
-- not in the key: with it there, ClickHouse matched a range on `start_time` to that column and
-- not to the bucket, and a window pruned nothing (9,773 of 9,773 granules at 10M spans against
-- 135 without it). Given up: the primary key
-- no longer prunes by service (a span search by service reads the window's `service_name`,
-- a LowCardinality column that is cheap to scan), and small blocks compress a little worse
-- (about 5% more disk). Measured in docs/architecture/storage.md.
--
-- The table is copied into `spans_next` with the new layout, then the two are exchanged
-- (atomically) and the old copy dropped. `spans` is the source of truth, so the statements
-- that copy and exchange run only while `spans` still has the old layout (`-- @when`, checked
-- by the migration runner just before the statement): a re-run after a crash at any point
-- either redoes the copy from the untouched old table or finds the exchange done and only
-- finishes the rest. Stop ingest while it runs (on a ClickHouse server: spans written between
-- the DROP VIEW and the CREATE MATERIALIZED VIEW get no summary, and spans written during the
-- copy are not copied). It rewrites the whole table: about 30 s per million spans here.

CREATE TABLE IF NOT EXISTS spans_next
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
    attributes              Map(String, String) CODEC(LZ4),
    attributes_json         String CODEC(ZSTD(1)),
    resource_attributes     Map(String, String) CODEC(LZ4),
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
ORDER BY (project_id, toStartOfTenMinutes(start_time), trace_id)
TTL toDateTime(start_time) + toIntervalDay(retention_days)
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 0,
    min_compress_block_size = 16384, max_compress_block_size = 65536,
    map_serialization_version = 'with_buckets',
    map_serialization_version_for_zero_level_parts = 'basic',
    map_buckets_min_avg_size = 0,
    map_buckets_coefficient = 2;

-- @when SELECT count() > 0 FROM system.tables WHERE database = currentDatabase() AND name = 'spans' AND sorting_key LIKE '%service_name%'
TRUNCATE TABLE spans_next;

-- @when SELECT count() > 0 FROM system.tables WHERE database = currentDatabase() AND name = 'spans' AND sorting_key LIKE '%service_name%'
INSERT INTO spans_next SELECT * FROM spans;

DROP VIEW IF EXISTS traces_mv;

-- @when SELECT count() > 0 FROM system.tables WHERE database = currentDatabase() AND name = 'spans' AND sorting_key LIKE '%service_name%'
EXCHANGE TABLES spans AND spans_next;

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

DROP TABLE IF EXISTS spans_next;
