-- Each `traces` row gets a 64-bit set of its services, models, users and sessions: bit
-- (cityHash64(value) % 64) of `<array>_bits` is set for every value of `<array>`. A part of a
-- trace ORs its values' bits and a merge ORs the parts' (`groupBitOr`), so the OR of a trace's
-- rows holds the bit of every value the trace has.
--
-- Why: a search by candidates (queries/candidate-search.ts) re-aggregates every `traces` row in
-- the window that may have its attribute, and `service:`, `model:`, `user:` and `session:`
-- read the arrays of all of them to test `hasAny`. At 10M spans the `models` arrays alone are
-- 59 MB (decompressed) of the 1M rows' 8 MB per 64-bit column: the candidates statement of the
-- query bench's selective search took 93-106 ms with the arrays and 62-79 ms with the bits
-- (in-process, the same rows, bench/README.md). The bits have false positives (two values
-- with the same bit), never false negatives; the search checks those conditions again on the
-- candidates' spans, which it reads anyway for their attributes, so it stays exact.
--
-- The bits are each column's DEFAULT, computed from the row's array: `traces_mv` does not
-- name them, so every insert computes them from what it writes, and the rows written before
-- this migration get them from the MATERIALIZE below (a mutation rewriting the four columns,
-- about 0.6 s per million trace rows, synchronously, before the API answers). Both statements
-- can be re-run after a crash and end in the same state.
ALTER TABLE traces
    ADD COLUMN IF NOT EXISTS services_bits SimpleAggregateFunction(groupBitOr, UInt64)
        DEFAULT arrayReduce('groupBitOr', arrayMap(v -> bitShiftLeft(toUInt64(1), cityHash64(v) % 64), services)),
    ADD COLUMN IF NOT EXISTS models_bits SimpleAggregateFunction(groupBitOr, UInt64)
        DEFAULT arrayReduce('groupBitOr', arrayMap(v -> bitShiftLeft(toUInt64(1), cityHash64(v) % 64), models)),
    ADD COLUMN IF NOT EXISTS users_bits SimpleAggregateFunction(groupBitOr, UInt64)
        DEFAULT arrayReduce('groupBitOr', arrayMap(v -> bitShiftLeft(toUInt64(1), cityHash64(v) % 64), users)),
    ADD COLUMN IF NOT EXISTS sessions_bits SimpleAggregateFunction(groupBitOr, UInt64)
        DEFAULT arrayReduce('groupBitOr', arrayMap(v -> bitShiftLeft(toUInt64(1), cityHash64(v) % 64), sessions));

ALTER TABLE traces
    MATERIALIZE COLUMN services_bits,
    MATERIALIZE COLUMN models_bits,
    MATERIALIZE COLUMN users_bits,
    MATERIALIZE COLUMN sessions_bits
SETTINGS mutations_sync = 2;
