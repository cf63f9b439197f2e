-- The columns of `traces` that hold random bits are stored without compression: the attribute
-- Bloom words (0011), the trace id (16 random bytes) and the bounds (nanoseconds, in random
-- order within a bucket). LZ4 saved 0-11% of their size (at 1M traces: each Bloom word 6.6-6.9
-- of 7.6 MiB, the id 15.3 of 15.3, each bound 6.8 of 7.6) and cost the time of every read. A
-- search by candidates (queries/candidate-search.ts) reads the Bloom words, ids and bounds of
-- every trace row in the window: at 10M spans its candidates statement took 160-170 ms, and
-- 121-130 ms on the same rows stored so (in-process medians, bench/README.md).
--
-- Only the codec changes (type and default stay): existing parts keep their blocks until a
-- merge rewrites them, so the migration rewrites no data (one metadata mutation); every new
-- part is written so. A re-run changes nothing.
ALTER TABLE traces
    MODIFY COLUMN trace_id CODEC(NONE),
    MODIFY COLUMN start_time CODEC(NONE),
    MODIFY COLUMN end_time CODEC(NONE),
    MODIFY COLUMN attr_bloom_0 CODEC(NONE),
    MODIFY COLUMN attr_bloom_1 CODEC(NONE),
    MODIFY COLUMN attr_bloom_2 CODEC(NONE),
    MODIFY COLUMN attr_bloom_3 CODEC(NONE),
    MODIFY COLUMN attr_bloom_4 CODEC(NONE),
    MODIFY COLUMN attr_bloom_5 CODEC(NONE),
    MODIFY COLUMN attr_bloom_6 CODEC(NONE),
    MODIFY COLUMN attr_bloom_7 CODEC(NONE);
