-- The attribute Bloom filter of `traces` (0011) becomes a blocked one: each (key, value) pair
-- of a span sets all its bits in ONE of the eight words, so a search tests one word per pair
-- instead of eight. With h = cityHash64(key, value): the word is the low three bits of h, and
-- bytes 1 to 6 of h each pick a bit of it (their low six bits), six bits per pair. A part of a
-- trace ORs its spans' words and the merge ORs the parts' (`groupBitOr`), as before.
--
-- Why: a search by candidates (queries/candidate-search.ts) tests the words of every `traces`
-- row in the window. Eight columns of 8 bytes at 1M traces read 64 MB: 40-48 ms of a 140 ms
-- candidates statement at 10M spans, against 13-19 ms for one word (in-process, bench/README.md).
-- False positives stay about as rare: at 35 distinct pairs per trace a word holds about 4.4
-- pairs, 24-28% of its bits set, and 0.1-0.2% of the traces without a pair pass its test (0.1%
-- with 0011's filter). As before, a trace with hundreds of pairs fills its words and passes
-- every test, which costs time, never correctness.
--
-- The words written before this migration are in 0011's layout, which the new test would
-- misread (a pair's bits there are spread over the eight words). They are all set ("may have
-- anything", the rows written before 0011 read so too): those traces are always candidates,
-- so searches over them stay exact and take the plan without the Bloom test (slower) until
-- they expire. The update rewrites the eight words of every row (8 bytes each), synchronously,
-- before the API answers. A re-run sets all of them again, which is always correct (a row
-- written since has only lost its filter). The view is replaced first; stop ingest while it
-- runs, as for 0011.
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
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 0, m, 0), attr_hashes, attr_masks))) AS attr_bloom_0,
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 1, m, 0), attr_hashes, attr_masks))) AS attr_bloom_1,
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 2, m, 0), attr_hashes, attr_masks))) AS attr_bloom_2,
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 3, m, 0), attr_hashes, attr_masks))) AS attr_bloom_3,
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 4, m, 0), attr_hashes, attr_masks))) AS attr_bloom_4,
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 5, m, 0), attr_hashes, attr_masks))) AS attr_bloom_5,
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 6, m, 0), attr_hashes, attr_masks))) AS attr_bloom_6,
    groupBitOr(arrayReduce('groupBitOr', arrayMap((h, m) -> if(bitAnd(h, 7) = 7, m, 0), attr_hashes, attr_masks))) AS attr_bloom_7
FROM
(
    SELECT
        project_id, toFixedString(unhex(trace_id), 16) AS tid, parent_span_id, name,
        service_name, status_code,
        request_model, response_model, user_id, session_id,
        start_time AS span_start, end_time AS span_end,
        input_tokens AS span_input_tokens, output_tokens AS span_output_tokens,
        total_tokens AS span_total_tokens, retention_days AS span_retention_days,
        arrayMap((k, v) -> cityHash64(k, v), mapKeys(attributes), mapValues(attributes)) AS attr_hashes,
        arrayMap(h -> bitOr(bitOr(bitOr(bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 8), 63)), bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 16), 63))), bitOr(bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 24), 63)), bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 32), 63)))), bitOr(bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 40), 63)), bitShiftLeft(toUInt64(1), bitAnd(bitShiftRight(h, 48), 63)))), attr_hashes) AS attr_masks
    FROM spans
)
GROUP BY project_id, tid;

ALTER TABLE traces UPDATE
    attr_bloom_0 = 18446744073709551615,
    attr_bloom_1 = 18446744073709551615,
    attr_bloom_2 = 18446744073709551615,
    attr_bloom_3 = 18446744073709551615,
    attr_bloom_4 = 18446744073709551615,
    attr_bloom_5 = 18446744073709551615,
    attr_bloom_6 = 18446744073709551615,
    attr_bloom_7 = 18446744073709551615
WHERE 1
SETTINGS mutations_sync = 2;
