/**
 * Rows as JSONCompactEachRow: one JSON array per line, the values in the order of
 * `columns`, inserted with that column list. Against JSONEachRow (one object per line) the
 * keys are not repeated on every row, so the payload is smaller, `JSON.stringify` of an
 * array is faster than of an object, and ClickHouse parses it faster (measured in
 * docs/architecture/ingest.md). Values keep JSONEachRow's meaning: a missing (undefined)
 * value is written as `null`, which ClickHouse stores as the column's default.
 *
 * Hot path (every ingested span passes here): a plain indexed loop, one reused array, each
 * row's JSON written straight into a growing buffer. Against building one string of the
 * whole batch and encoding it at the end, this never holds the batch twice (a rope of
 * megabytes, then its flattened copy, then the bytes), and was about 10% faster per span in
 * interleaved runs on a loaded machine (docs/architecture/ingest.md).
 */
export function encodeCompactRows(rows: readonly object[], columns: readonly string[]): Buffer {
  const n = columns.length;
  const values: unknown[] = new Array<unknown>(n);
  let buf: Buffer | undefined;
  let used = 0;
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    for (let i = 0; i < n; i++) values[i] = r[columns[i]!];
    let line = JSON.stringify(values);
    // A lone surrogate (possible in OTLP/JSON input) is written by JSON.stringify as a
    // `\udXXX` escape, which ClickHouse refuses, failing the whole batch: store U+FFFD
    // instead, as a UTF-8 encoder does. Pairs are written raw, so any such escape is a lone one.
    if (line.includes('\\ud')) line = line.replace(LONE_SURROGATE, '\\ufffd');
    // UTF-8 needs at most 3 bytes per UTF-16 code unit, plus the newline.
    const most = used + line.length * 3 + 1;
    if (buf === undefined || most > buf.length) {
      // First guess: every row as long as the first, mostly ASCII; then doubling.
      const guess = buf === undefined ? (line.length + 1) * rows.length * 1.25 : buf.length * 2;
      const grown = Buffer.allocUnsafe(Math.ceil(Math.max(most, guess)));
      if (buf !== undefined) buf.copy(grown, 0, 0, used);
      buf = grown;
    }
    used += buf.write(line, used, 'utf8');
    buf[used++] = 0x0a;
  }
  if (buf === undefined) return Buffer.alloc(0);
  // Batches are held until durable, and their length is what the queue accounts: a large
  // slack is given back with one copy.
  const exact = buf.subarray(0, used);
  return buf.length - used > buf.length / 8 ? Buffer.from(exact) : exact;
}

/** `\ud800`–`\udfff` escapes not preceded by an escaped backslash. */
const LONE_SURROGATE = /(?<=(?:^|[^\\])(?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;
