-- Attribute map keys as plain String rather than LowCardinality(String): parsing a
-- Map(LowCardinality(String), String) on insert cost about twice as much as a
-- Map(String, String) of the same data (docs/architecture/ingest.md), and the maps are
-- most of a span row's bytes. Compression keeps the repeated keys small on disk either way.
-- Re-running a MODIFY COLUMN to the type a column already has changes nothing.

ALTER TABLE spans MODIFY COLUMN attributes Map(String, String) CODEC(ZSTD(1));
ALTER TABLE spans MODIFY COLUMN resource_attributes Map(String, String) CODEC(ZSTD(1));
ALTER TABLE metrics MODIFY COLUMN attributes Map(String, String) CODEC(ZSTD(1));
ALTER TABLE metrics MODIFY COLUMN resource_attributes Map(String, String) CODEC(ZSTD(1));
ALTER TABLE logs MODIFY COLUMN attributes Map(String, String) CODEC(ZSTD(1));
ALTER TABLE logs MODIFY COLUMN resource_attributes Map(String, String) CODEC(ZSTD(1));
