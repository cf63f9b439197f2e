-- `spans` parts: compact up to 256 MiB (uncompressed), and wider merges.
--
-- A wide part keeps each column in its own files; `spans` has about sixty columns (with the
-- map subcolumns and skip indexes, several hundred files per part). Writing those costs a
-- fixed ~100 ms per insert here, whatever the rows: an insert of ~5,000 spans took 160 ms as a
-- wide part and ~90 ms as a compact one (one data file), with merges stopped; at ~48,000 spans
-- the two cost the same. Ingest batches are a few thousand spans (each acknowledgement waits
-- for its insert), so below ClickHouse's default threshold of 10 MB (about 3,000 spans here)
-- every such insert paid for the wide format. Merged parts above the threshold become wide.
--
-- `merge_selector_base` 10 instead of 5: the merge selector waits for about twice as many
-- parts of similar size before merging them, so each row is rewritten fewer times on its way
-- to a large part (measured: a stream of 5,000-span inserts merged 27% fewer rows and spent
-- 45% less time merging), at the cost of more parts alive at once (14 instead of 8 after 60
-- inserts), far below the limits where ClickHouse slows inserts.
--
-- Settings only: parts written before keep their format until merged.

ALTER TABLE spans MODIFY SETTING min_bytes_for_wide_part = 268435456, merge_selector_base = 10;
