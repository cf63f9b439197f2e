-- `trace_durations`: each trace's time bounds, ordered by time, so that "the slowest traces"
-- is read as a top-K over rows instead of a GROUP BY of every trace in the window (the
-- GROUP BY of a million trace ids cost 200-270 ms at 10M spans; the top-K over the rows, 25-40
-- ms). For that, every trace must have one row holding its whole bounds (its "current" row):
-- the materialized view writes each insert's part of a trace (partial bounds, which are the
-- whole bounds of a trace whose spans all came in one insert), and the ingest path writes a
-- current row for each trace whose spans came in more than one insert, right after the insert
-- (storage/trace-durations.ts); a start-up repair covers a crash between the two. Readers walk
-- the rows by duration and keep a row only when it matches the trace's bounds in
-- `trace_index` (queries/duration-walk.ts). Bounds only widen as spans arrive, so a partial row
-- is never longer than its trace, and the current row is the longest.
--
-- Also: `trace_index` gets small compressed blocks (4-16 KiB instead of 64 KiB-1 MiB), as
-- `spans` (0006) and `traces` (0007) did. Its lookups read a granule of 256 rows (10 KB) per id,
-- and decompressed a whole block for it: 16 MB for the 134 ids of a duration walk at 1M traces,
-- 1.6 MB with small blocks. Parts written before keep their blocks until merged.
--
-- Filled from `trace_index` (which holds the same bounds, one current row per trace), with the
-- view dropped first: a re-run after a crash empties and refills it and ends in the same state.
-- Stop ingest while it runs.

CREATE TABLE IF NOT EXISTS trace_durations
(
    project_id      LowCardinality(String),
    start_bucket    DateTime('UTC'),
    trace_id        FixedString(16),
    start_time      SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
    end_time        SimpleAggregateFunction(max, DateTime64(9, 'UTC')),
    retention_days  SimpleAggregateFunction(max, UInt16)
)
ENGINE = AggregatingMergeTree
ORDER BY (project_id, start_bucket, trace_id)
TTL toDateTime(end_time) + toIntervalDay(retention_days)
SETTINGS index_granularity = 1024;

ALTER TABLE trace_index MODIFY SETTING min_compress_block_size = 4096, max_compress_block_size = 16384;

DROP VIEW IF EXISTS trace_durations_mv;

TRUNCATE TABLE IF EXISTS trace_durations;

INSERT INTO trace_durations
SELECT
    project_id,
    toStartOfTenMinutes(toDateTime(min(start_time), 'UTC')) AS start_bucket,
    trace_id,
    min(start_time) AS trace_start,
    max(end_time) AS trace_end,
    max(retention_days) AS trace_retention_days
FROM trace_index
GROUP BY project_id, trace_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS trace_durations_mv TO trace_durations AS
SELECT
    project_id,
    toStartOfTenMinutes(toDateTime(min(span_start), 'UTC')) AS start_bucket,
    tid AS trace_id,
    min(span_start) AS start_time,
    max(span_end) AS end_time,
    max(span_retention_days) AS retention_days
FROM
(
    SELECT
        project_id, toFixedString(unhex(trace_id), 16) AS tid,
        start_time AS span_start, end_time AS span_end, retention_days AS span_retention_days
    FROM spans
)
GROUP BY project_id, tid;
