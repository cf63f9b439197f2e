-- `traces` gets a Bloom filter of each trace's span attributes: 512 bits in eight UInt64
-- words, one per partition (a partitioned Bloom filter with eight hash functions). Each
-- (key, value) pair of a span's `attributes` is hashed once with cityHash64, and byte i of the
-- hash picks the bit set in word i (its low six bits). A part of a trace ORs its spans' words,
-- and the merge ORs the parts' (`groupBitOr`). A search with `attr.key:value` then narrows the
-- traces first by the words of the pair, cheaply and without reading `spans`, and checks the
-- attribute itself on the spans of those candidates only (queries/candidate-search.ts).
--
-- Why: every span-level condition was checked on every span of the window. With an attribute
-- that many traces have (one tenant of forty) and trace-level conditions that many traces pass
-- (a service, a model, a duration) but few pass both, the page filled only after the whole
-- window's `attributes` were read: 550-720 ms at 10M spans, against a 300 ms target.
--
-- The filter has false positives, never false negatives, so a candidate is always checked.
-- Rows written before this migration read the default, all bits set: "may have anything", so
-- they are always candidates and the answers stay exact. At 35 distinct pairs per trace about
-- 43% of the bits are set and 0.1% of the traces without a pair pass its test; a trace with
-- hundreds of distinct pairs fills its words and passes every test, which costs time, never
-- correctness. Cost: 64 bytes per trace row and about 0.3 us of engine CPU per span at ingest.
--
-- The view is replaced (dropped and created with the words); stop ingest while it runs, as
-- for 0006. A re-run changes nothing.
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_0 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_1 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_2 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_3 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_4 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_5 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_6 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;
ALTER TABLE traces ADD COLUMN IF NOT EXISTS attr_bloom_7 SimpleAggregateFunction(groupBitOr, UInt64) DEFAULT 18446744073709551615;

DROP VIEW IF EXISTS traces_mv;

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
    max(span_retention_days) AS retention_days,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 0), 63)), attr_hashes))) AS attr_bloom_0,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 8), 63)), attr_hashes))) AS attr_bloom_1,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 16), 63)), attr_hashes))) AS attr_bloom_2,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 24), 63)), attr_hashes))) AS attr_bloom_3,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 32), 63)), attr_hashes))) AS attr_bloom_4,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 40), 63)), attr_hashes))) AS attr_bloom_5,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 48), 63)), attr_hashes))) AS attr_bloom_6,
    groupBitOr(arrayReduce('groupBitOr', arrayMap(h -> bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 56), 63)), attr_hashes))) AS attr_bloom_7
FROM
(
    SELECT
        project_id, toFixedString(unhex(trace_id), 16) AS tid, parent_span_id, name,
        service_name, status_code,
        request_model, response_model, user_id, session_id,
        start_time AS span_start, end_time AS span_end,
        input_tokens AS span_input_tokens, output_tokens AS span_output_tokens,
        total_tokens AS span_total_tokens, retention_days AS span_retention_days,
        arrayMap((k, v) -> cityHash64(k, v), mapKeys(attributes), mapValues(attributes)) AS attr_hashes
    FROM spans
)
GROUP BY project_id, tid;
