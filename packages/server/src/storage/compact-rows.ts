import { sharedTail } from './columns.ts';

/**
 * Rows as JSONCompactEachRow: one JSON array per line, the values in the order of
 * `columns`, inserted with that column list. Against JSONEachRow (one object per line) the
 * keys are not repeated on every row, so the payload is smaller, `JSON.stringify` of an
 * array is faster than of an object, and ClickHouse parses it faster (measured in
 * docs/architecture/ingest.md). Values keep JSONEachRow's meaning: a missing (undefined)
 * value is written as `null`, which ClickHouse stores as the column's default.
 */
export function encodeCompactRows(rows: readonly object[], columns: readonly string[]): Buffer {
  const encoder = createRowEncoder(columns);
  for (const row of rows) encoder.push(row);
  return encoder.finish();
}

/** Rows pushed one at a time, encoded as they come; `finish` returns the payload. */
export interface RowEncoder {
  push(row: object): void;
  /** Rows pushed so far. */
  readonly rows: number;
  /** The payload (empty when no row was pushed); the encoder cannot be used afterwards. */
  finish(): Buffer;
}

/** Scratch space kept between payloads, so a payload is not grown by doubling each time. */
let spare: Buffer | undefined;
const FIRST_SCRATCH = 1 << 20;
/** A scratch buffer larger than this is not kept once its payload is done. */
const MAX_KEPT_SCRATCH = 64 << 20;

/**
 * The encoder behind `encodeCompactRows`, for a caller that produces rows one by one (the
 * ingest service normalizes each span straight into it): a row is garbage as soon as it is
 * encoded, instead of every row of a request living until the whole request is serialized.
 * Those surviving rows were what V8's young-generation collector spent its time copying
 * (docs/architecture/ingest.md, "Streaming rows").
 *
 * Hot path (every ingested span passes here): a plain indexed loop, one reused values
 * array, each row's JSON written straight into a scratch buffer reused across payloads; the
 * payload is one exact copy out of it. The last `sharedTail(columns)` columns hold what
 * every row of one resource and scope shares (storage/columns.ts): their JSON is written
 * once and reused while the values stay the same objects, so a span does not serialize its
 * resource's dozen attributes again.
 */
export function createRowEncoder(columns: readonly string[]): RowEncoder {
  const tailCount = sharedTail(columns);
  const own = columns.length - tailCount;
  const values: unknown[] = new Array<unknown>(own);
  const tailValues: unknown[] = new Array<unknown>(tailCount);
  const tailSeen: unknown[] = new Array<unknown>(tailCount);
  // The tail's JSON without its opening bracket: `v1,v2,...]`; '' until the first row.
  let tail = '';
  let buf = spare ?? Buffer.allocUnsafe(FIRST_SCRATCH);
  spare = undefined;
  let used = 0;
  let rows = 0;
  let done = false;

  const reserve = (chars: number): void => {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const most = used + chars * 3;
    if (most <= buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(most, buf.length * 2));
    buf.copy(grown, 0, 0, used);
    buf = grown;
  };

  return {
    push(row: object): void {
      if (done) throw new Error('row encoder already finished');
      const r = row as Record<string, unknown>;
      for (let i = 0; i < own; i++) values[i] = r[columns[i]!];
      const line = json(values);
      if (tailCount > 0) {
        let same = tail !== '';
        for (let i = 0; i < tailCount; i++) {
          const v = r[columns[own + i]!];
          if (v !== tailSeen[i]) same = false;
          tailValues[i] = v;
        }
        if (!same) {
          for (let i = 0; i < tailCount; i++) tailSeen[i] = tailValues[i];
          tail = json(tailValues).slice(1);
        }
        reserve(line.length + tail.length + 1);
        used += buf.write(line, used, 'utf8');
        buf[used - 1] = 0x2c; // the values' closing ']' becomes ',' before the tail
        used += buf.write(tail, used, 'utf8');
      } else {
        reserve(line.length + 1);
        used += buf.write(line, used, 'utf8');
      }
      buf[used++] = 0x0a;
      rows++;
    },
    get rows() {
      return rows;
    },
    finish(): Buffer {
      if (done) throw new Error('row encoder already finished');
      done = true;
      // The payload is held until durable, and its length is what the queue accounts: it
      // gets its own exact buffer; the scratch goes back for the next payload.
      const out = Buffer.allocUnsafe(used);
      buf.copy(out, 0, 0, used);
      if (buf.length <= MAX_KEPT_SCRATCH) spare = buf;
      return out;
    },
  };
}

/**
 * `JSON.stringify` of a values array. A lone surrogate (possible in OTLP/JSON input) is
 * written by JSON.stringify as a `\udXXX` escape, which ClickHouse refuses, failing the
 * whole batch: U+FFFD is stored instead, as a UTF-8 encoder does. Pairs are written raw, so
 * any such escape is a lone one.
 */
function json(values: unknown[]): string {
  const s = JSON.stringify(values);
  return s.includes('\\ud') ? s.replace(LONE_SURROGATE, '\\ufffd') : s;
}

/** `\ud800`–`\udfff` escapes not preceded by an escaped backslash. */
const LONE_SURROGATE = /(?<=(?:^|[^\\])(?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;
