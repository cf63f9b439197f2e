/**
 * The (project, trace) pairs of a durable batch of span rows, read straight from the
 * JSONCompactEachRow payload the batch writer wrote: every row starts with
 * `["<project_id>","<32 hex trace_id>"` (storage/columns.ts puts those two columns first).
 * Newlines inside values are escaped, so a raw newline ends a row. Bytes are searched
 * natively; nothing but the two ids is decoded.
 */
const ROW_START = Buffer.from('["');
const TRACE_KEY = Buffer.from(',"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const TRACE_ID_HEX = 32;

export function durableTraceIds(payload: Buffer): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let line = 0;
  while (line < payload.length) {
    let next = payload.indexOf(NEWLINE, line);
    if (next === -1) next = payload.length;
    const ids = readIds(payload, line, next);
    if (ids) {
      let set = out.get(ids[0]);
      if (!set) out.set(ids[0], (set = new Set()));
      set.add(ids[1]);
    }
    line = next + 1;
  }
  return out;
}

function readIds(buf: Buffer, start: number, end: number): [string, string] | undefined {
  if (
    end - start < ROW_START.length ||
    buf.compare(ROW_START, 0, ROW_START.length, start, start + ROW_START.length) !== 0
  ) {
    return undefined;
  }
  const valueStart = start + ROW_START.length;
  let i = valueStart;
  let escaped = false;
  while (i < end && buf[i] !== QUOTE) {
    if (buf[i] === BACKSLASH) {
      escaped = true;
      i++;
    }
    i++;
  }
  if (i >= end) return undefined;
  const raw = buf.toString('utf8', valueStart, i);
  const projectId = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  const keyAt = i + 1;
  if (buf.compare(TRACE_KEY, 0, TRACE_KEY.length, keyAt, keyAt + TRACE_KEY.length) !== 0) {
    return undefined;
  }
  const idStart = keyAt + TRACE_KEY.length;
  if (idStart + TRACE_ID_HEX >= end || buf[idStart + TRACE_ID_HEX] !== QUOTE) return undefined;
  return [projectId, buf.toString('latin1', idStart, idStart + TRACE_ID_HEX)];
}
