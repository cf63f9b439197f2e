import { LOG_COLUMNS, METRIC_COLUMNS, SPAN_COLUMNS, sharedTail, type RowTable } from './columns.ts';
import { createRowEncoder, type RowEncoder } from './compact-rows.ts';

/**
 * Span rows in ClickHouse's RowBinary format, the `spans` insert payload of the ingest path
 * (docs/architecture/ingest.md, "Insert format"). Against JSONCompactEachRow nothing is
 * escaped: a string is its UTF-8 bytes after a LEB128 length, so the GenAI message JSON and
 * the attribute maps are copied, not quoted again, and the engine reads them without a
 * JSON parser.
 *
 * The payload has no header: the insert path (storage/chdb.ts) puts one in front of a batch
 * (RowBinaryWithNamesAndTypes, `binaryHeader`), so the engine checks each column's name and
 * type against the table and a migration that changes a type fails the insert loudly
 * instead of misreading bytes.
 */

/** A column's wire type; LowCardinality(String) is written as a String. */
export type BinaryType =
  | 'String'
  | 'LowCardinality(String)'
  | 'UInt16'
  | 'UInt32'
  | 'UInt64'
  | "DateTime64(9, 'UTC')"
  | "DateTime64(3, 'UTC')"
  | 'Array(String)'
  | 'Array(Float32)'
  | 'Map(String, String)';

/** The `spans` columns' types, as the migrations define them (checked in row-binary.test.ts). */
export const SPAN_BINARY_TYPES: Record<(typeof SPAN_COLUMNS)[number], BinaryType> = {
  project_id: 'LowCardinality(String)',
  trace_id: 'String',
  span_id: 'String',
  parent_span_id: 'String',
  trace_state: 'String',
  flags: 'UInt32',
  name: 'LowCardinality(String)',
  kind: 'LowCardinality(String)',
  start_time: "DateTime64(9, 'UTC')",
  end_time: "DateTime64(9, 'UTC')",
  duration_ns: 'UInt64',
  status_code: 'LowCardinality(String)',
  status_message: 'String',
  operation: 'LowCardinality(String)',
  provider: 'LowCardinality(String)',
  request_model: 'LowCardinality(String)',
  response_model: 'LowCardinality(String)',
  input_tokens: 'UInt64',
  output_tokens: 'UInt64',
  cached_tokens: 'UInt64',
  total_tokens: 'UInt64',
  user_id: 'String',
  session_id: 'String',
  tags: 'Array(String)',
  input_text: 'String',
  output_text: 'String',
  input_messages: 'String',
  output_messages: 'String',
  retrieval_documents: 'String',
  inference_id: 'String',
  ml_features: 'String',
  ml_prediction: 'String',
  ml_label: 'String',
  embedding: 'Array(Float32)',
  attributes: 'Map(String, String)',
  attributes_json: 'String',
  events_json: 'String',
  links_json: 'String',
  dropped_attributes_count: 'UInt32',
  dropped_events_count: 'UInt32',
  dropped_links_count: 'UInt32',
  service_name: 'LowCardinality(String)',
  environment: 'LowCardinality(String)',
  scope_name: 'LowCardinality(String)',
  scope_version: 'LowCardinality(String)',
  resource_attributes: 'Map(String, String)',
  resource_json: 'String',
  retention_days: 'UInt16',
  ingested_at: "DateTime64(3, 'UTC')",
};

/**
 * The column list of a RowBinary `spans` payload: the same columns as `SPAN_COLUMNS`, a
 * list of its own so that the insert path knows the payload's format from the list it is
 * given (`binaryColumnTypes`).
 */
export const SPAN_BINARY_COLUMNS: readonly string[] = [...SPAN_COLUMNS];

const BINARY_LISTS = new Map<readonly string[], readonly BinaryType[]>([
  [SPAN_BINARY_COLUMNS, SPAN_COLUMNS.map((c) => SPAN_BINARY_TYPES[c])],
]);
const SHARED_TAILS = new Map<readonly string[], number>([
  [SPAN_BINARY_COLUMNS, sharedTail(SPAN_COLUMNS)],
]);

/** The wire types of a RowBinary column list, or undefined for a JSONCompactEachRow one. */
export function binaryColumnTypes(columns: readonly string[]): readonly BinaryType[] | undefined {
  return BINARY_LISTS.get(columns);
}

/**
 * The RowBinaryWithNamesAndTypes header for `columns`: the column count, the names, the
 * types (each a LEB128 length and UTF-8 bytes).
 */
export function binaryHeader(columns: readonly string[], types: readonly BinaryType[]): Buffer {
  const parts: Buffer[] = [varintBytes(columns.length)];
  for (const s of [...columns, ...types]) {
    const b = Buffer.from(s, 'utf8');
    parts.push(varintBytes(b.length), b);
  }
  return Buffer.concat(parts);
}

function varintBytes(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** Scratch space kept between payloads (as in compact-rows.ts). */
let spare: Buffer | undefined;
const FIRST_SCRATCH = 1 << 20;
const MAX_KEPT_SCRATCH = 64 << 20;
const TWO_32 = 4294967296;
/** Strings up to this many UTF-16 units are tried as ASCII, byte by byte. */
const SHORT = 48;

/** Type codes for the encoder's switch. */
const enum T {
  Str,
  U16,
  U32,
  U64,
  Ns,
  Ms,
  Strs,
  F32s,
  Map,
}

const CODES: Record<BinaryType, T> = {
  String: T.Str,
  'LowCardinality(String)': T.Str,
  UInt16: T.U16,
  UInt32: T.U32,
  UInt64: T.U64,
  "DateTime64(9, 'UTC')": T.Ns,
  "DateTime64(3, 'UTC')": T.Ms,
  'Array(String)': T.Strs,
  'Array(Float32)': T.F32s,
  'Map(String, String)': T.Map,
};

/**
 * Rows of a RowBinary column list (`SPAN_BINARY_COLUMNS`), pushed one at a time like
 * `createRowEncoder`'s (the ingest service normalizes each span straight into it). Values
 * mean what they mean in JSONCompactEachRow: a missing (undefined or null) value is the
 * column's default ('' or 0; no `spans` column has another default), and a lone UTF-16
 * surrogate becomes U+FFFD (the UTF-8 encoder does it).
 *
 * Hot path, hand-written for speed: one scratch buffer reused across payloads, bytes stored
 * directly; short ASCII strings are copied by a loop (cheaper than a call into the UTF-8
 * encoder for the dozens of short keys and values of each row), others by `Buffer.write`
 * with the length prefix sized for the worst case and moved back when shorter. The columns
 * every row of one resource and scope shares (`sharedTail`) are encoded once per run of
 * rows holding the same value objects and their bytes copied after that.
 */
export function createBinaryRowEncoder(columns: readonly string[]): RowEncoder {
  const types = binaryColumnTypes(columns);
  if (types === undefined) throw new Error('not a RowBinary column list');
  const codes = types.map((t) => CODES[t]);
  const tailCount = SHARED_TAILS.get(columns) ?? 0;
  const own = columns.length - tailCount;
  const tailSeen: unknown[] = new Array<unknown>(tailCount);
  let tail: Buffer | undefined;
  let buf = spare ?? Buffer.allocUnsafe(FIRST_SCRATCH);
  spare = undefined;
  let used = 0;
  let rows = 0;
  let done = false;

  const reserve = (bytes: number): void => {
    const most = used + bytes;
    if (most <= buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(most, buf.length * 2));
    buf.copy(grown, 0, 0, used);
    buf = grown;
  };

  const varint = (n: number): void => {
    while (n >= 0x80) {
      buf[used++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[used++] = n;
  };

  const string = (s: string): void => {
    const n = s.length;
    // UTF-8 needs at most 3 bytes per UTF-16 code unit; 5 bytes of prefix hold any length.
    reserve(n * 3 + 5);
    if (n <= SHORT) {
      // Short: try ASCII byte by byte, the length prefix is then one byte.
      const start = used;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + 1 + i] = c;
      }
      if (i === n) {
        buf[start] = n;
        used = start + 1 + n;
        return;
      }
    }
    const most = n * 3;
    const pre = most < 0x80 ? 1 : most < 0x4000 ? 2 : most < 0x200000 ? 3 : most < 2 ** 28 ? 4 : 5;
    const bytes = buf.write(s, used + pre, 'utf8');
    const need =
      bytes < 0x80 ? 1 : bytes < 0x4000 ? 2 : bytes < 0x200000 ? 3 : bytes < 2 ** 28 ? 4 : 5;
    if (need < pre) buf.copyWithin(used + need, used + pre, used + pre + bytes);
    varint(bytes);
    used += bytes;
  };

  const u32 = (v: number): void => {
    buf[used] = v;
    buf[used + 1] = v >>> 8;
    buf[used + 2] = v >>> 16;
    buf[used + 3] = v >>> 24;
    used += 4;
  };

  /** A non-negative integer below 2^64 as little-endian 64 bits (numbers are exact to 2^53). */
  const u64 = (v: number): void => {
    const lo = v >>> 0;
    u32(lo);
    u32(Math.floor((v - lo) / TWO_32) >>> 0);
  };

  /**
   * Nanoseconds since the epoch, given as the 19-digit decimal string of pipeline/context.ts
   * `nsString`, as Int64: the seconds and nanoseconds are split in doubles, all exact below
   * 2^53, instead of a BigInt per value (Node's `writeBigInt64LE` makes several more).
   */
  const nanoseconds = (v: unknown): void => {
    const s = typeof v === 'string' ? v : '';
    const cut = s.length - 9;
    const sec = cut > 0 ? Number(s.slice(0, cut)) : 0;
    const ns = cut > 0 ? Number(s.slice(cut)) : Number(s);
    if (!(sec >= 0 && sec < 2 ** 34 && ns >= 0 && ns < 1e9)) {
      // Not a plain digit string (never from the pipeline): BigInt parses or throws.
      buf.writeBigInt64LE(s === '' ? 0n : BigInt(s), used);
      used += 8;
      return;
    }
    // sec·1e9 + ns = b·2^16 + a, with a = (sec mod 2^16)·1e9 + ns and b = ⌊sec / 2^16⌋·1e9.
    const a = (sec % 65536) * 1e9 + ns;
    const b = Math.floor(sec / 65536) * 1e9;
    let lo = (b % 65536) * 65536 + (a % TWO_32);
    let hi = Math.floor(b / 65536) + Math.floor(a / TWO_32);
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi += 1;
    }
    u32(lo >>> 0);
    u32(hi >>> 0);
  };

  const value = (code: T, v: unknown): void => {
    switch (code) {
      case T.Str:
        if (typeof v === 'string') string(v);
        else if (v === undefined || v === null) {
          reserve(1);
          buf[used++] = 0;
        } else string(String(v));
        return;
      case T.U16:
        reserve(2);
        buf.writeUInt16LE(integer(v) & 0xffff, used);
        used += 2;
        return;
      case T.U32:
        reserve(4);
        u32(integer(v) >>> 0);
        return;
      case T.U64:
        reserve(8);
        u64(integer(v));
        return;
      case T.Ns:
        reserve(8);
        nanoseconds(v);
        return;
      case T.Ms:
        reserve(8);
        u64(integer(v));
        return;
      case T.Strs: {
        const a = (v ?? []) as readonly unknown[];
        reserve(5);
        varint(a.length);
        for (let i = 0; i < a.length; i++) value(T.Str, a[i]);
        return;
      }
      case T.F32s: {
        const a = (v ?? []) as readonly number[];
        reserve(5 + a.length * 4);
        varint(a.length);
        for (let i = 0; i < a.length; i++) {
          buf.writeFloatLE(a[i]!, used);
          used += 4;
        }
        return;
      }
      case T.Map: {
        // The count is patched in after the entries. Object.keys and a string fast path
        // for the values: ~6% less encoder time than for-in in 2 of 3 interleaved runs.
        const m = (v ?? {}) as Record<string, unknown>;
        reserve(1);
        const at = used++;
        const keys = Object.keys(m);
        const count = keys.length;
        for (let i = 0; i < count; i++) {
          const k = keys[i]!;
          string(k);
          const x = m[k];
          if (typeof x === 'string') string(x);
          else value(T.Str, x);
        }
        if (count < 0x80) {
          buf[at] = count;
        } else {
          const entries = used - at - 1;
          reserve(5);
          const size = varintBytes(count);
          buf.copyWithin(at + size.length, at + 1, used);
          size.copy(buf, at);
          used = at + size.length + entries;
        }
        return;
      }
    }
  };

  return {
    push(row: object): void {
      if (done) throw new Error('row encoder already finished');
      const r = row as Record<string, unknown>;
      for (let i = 0; i < own; i++) value(codes[i]!, r[columns[i]!]);
      if (tailCount === 0) {
        rows++;
        return;
      }
      let same = tail !== undefined;
      for (let i = 0; i < tailCount; i++) {
        if (r[columns[own + i]!] !== tailSeen[i]) same = false;
      }
      if (same) {
        reserve(tail!.length);
        used += tail!.copy(buf, used);
      } else {
        const start = used;
        for (let i = 0; i < tailCount; i++) {
          const v = r[columns[own + i]!];
          tailSeen[i] = v;
          value(codes[own + i]!, v);
        }
        tail = Buffer.from(buf.subarray(start, used));
      }
      rows++;
    },
    get rows() {
      return rows;
    },
    finish(): Buffer {
      if (done) throw new Error('row encoder already finished');
      done = true;
      const out = Buffer.allocUnsafe(used);
      buf.copy(out, 0, 0, used);
      if (buf.length <= MAX_KEPT_SCRATCH) spare = buf;
      return out;
    },
  };
}

/** A number column's value: missing is 0, as ClickHouse stores a JSON null. */
function integer(v: unknown): number {
  return typeof v === 'number' && v > 0 ? Math.trunc(v) : 0;
}

/**
 * The column list of each table's ingest payloads, and so their format: RowBinary for
 * `spans`, JSONCompactEachRow for the others (metrics and logs rows are fewer and lighter;
 * not measured in binary). The ingest service encodes with it and the batch writer inserts
 * with it.
 */
export const INGEST_COLUMNS: Record<RowTable, readonly string[]> = {
  spans: SPAN_BINARY_COLUMNS,
  metrics: METRIC_COLUMNS,
  logs: LOG_COLUMNS,
};

/** The encoder for an ingest payload of `table` (`INGEST_COLUMNS`). */
export function createIngestEncoder(table: RowTable): RowEncoder {
  const columns = INGEST_COLUMNS[table];
  return binaryColumnTypes(columns) ? createBinaryRowEncoder(columns) : createRowEncoder(columns);
}

/** `encodeCompactRows` for a RowBinary column list: all rows at once. */
export function encodeBinaryRows(rows: readonly object[], columns: readonly string[]): Buffer {
  const encoder = createBinaryRowEncoder(columns);
  for (const row of rows) encoder.push(row);
  return encoder.finish();
}
