import { SPAN_BINARY_COLUMNS, binaryColumnTypes, type BinaryType } from '../storage/row-binary.ts';

/**
 * The (project, trace) pairs of a durable batch of span rows, read straight from the
 * RowBinary payload the ingest path wrote (storage/row-binary.ts; `project_id` and
 * `trace_id` are its first two columns). A row has no delimiter, so each is walked column by
 * column: lengths are read, values skipped; nothing but the two ids is decoded.
 */
export function durableTraceIds(payload: Buffer): ReadonlyMap<string, ReadonlySet<string>> {
  // Both readers of a payload (the duration index before its insert, the live feed after it)
  // ask for its ids: walked once, kept as long as the payload is.
  let ids = walked.get(payload);
  if (!ids) walked.set(payload, (ids = walk(payload)));
  return ids;
}

const walked = new WeakMap<Buffer, ReadonlyMap<string, ReadonlySet<string>>>();

function walk(payload: Buffer): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  forEachSpanRow(payload, (projectStart, projectEnd, traceStart, traceEnd) => {
    const projectId = payload.toString('utf8', projectStart, projectEnd);
    let set = out.get(projectId);
    if (!set) out.set(projectId, (set = new Set()));
    set.add(payload.toString('latin1', traceStart, traceEnd));
  });
  return out;
}

const WIDTH: Partial<Record<BinaryType, number>> = {
  UInt16: 2,
  UInt32: 4,
  UInt64: 8,
  "DateTime64(9, 'UTC')": 8,
  "DateTime64(3, 'UTC')": 8,
};

/** Type codes of the walk: a fixed width (> 0) or one of these. */
const STRING = 0;
const STRINGS = -1;
const FLOATS = -2;
const MAP = -3;

const SPAN_WALK: readonly number[] = binaryColumnTypes(SPAN_BINARY_COLUMNS)!.map((t) => {
  if (t === 'String' || t === 'LowCardinality(String)') return STRING;
  if (t === 'Array(String)') return STRINGS;
  if (t === 'Array(Float32)') return FLOATS;
  if (t === 'Map(String, String)') return MAP;
  return WIDTH[t]!;
});

/**
 * Calls `row` with the byte ranges of each complete row's `project_id` and `trace_id` in a
 * RowBinary span payload (`SPAN_BINARY_COLUMNS`); stops at the first incomplete row. Also
 * used by the ingest bench to give copies of a payload new trace ids.
 */
export function forEachSpanRow(
  buf: Buffer,
  row: (projectStart: number, projectEnd: number, traceStart: number, traceEnd: number) => void,
): void {
  const end = buf.length;
  let at = 0;
  // Reads a LEB128 length at `at`; -1 past the end (then `at` is past the end too).
  const varint = (): number => {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= end) {
        at = end + 1;
        return -1;
      }
      const b = buf[at++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  };
  const skipString = (): void => {
    const n = varint();
    if (n >= 0) at += n;
  };
  while (at < end) {
    let projectStart = 0;
    let projectEnd = 0;
    let traceStart = 0;
    let traceEnd = 0;
    for (let c = 0; c < SPAN_WALK.length && at <= end; c++) {
      const code = SPAN_WALK[c]!;
      if (code > 0) {
        at += code;
      } else if (code === STRING) {
        const n = varint();
        if (n < 0) break;
        if (c === 0) projectStart = at;
        else if (c === 1) traceStart = at;
        at += n;
        if (c === 0) projectEnd = at;
        else if (c === 1) traceEnd = at;
      } else if (code === STRINGS) {
        const n = varint();
        for (let i = 0; i < n && at <= end; i++) skipString();
      } else if (code === FLOATS) {
        const n = varint();
        if (n > 0) at += n * 4;
      } else {
        const n = varint();
        for (let i = 0; i < 2 * n && at <= end; i++) skipString();
      }
    }
    if (at > end) return;
    row(projectStart, projectEnd, traceStart, traceEnd);
  }
}
