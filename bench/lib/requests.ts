import { forEachSpanRow } from '../../packages/server/src/ws/durable-trace-ids.ts';

/**
 * Payloads that can be copied with fresh trace ids, so a benchmark can write far more
 * distinct traces than it generated. A copy overwrites the end of every trace id, wherever
 * it occurs, with a 32-bit copy number: the last 4 bytes of the binary id in an OTLP
 * protobuf request, the last 8 hex digits of the text id in a RowBinary span payload.
 */
export interface Retraceable {
  bytes: Buffer;
  /** Spans (rows) in the payload. */
  spans: number;
  /** A copy of `bytes` whose trace ids end with copy number `n`. */
  copy(n: number): Buffer;
}

/**
 * Offsets of the ids in `buf`, found in one pass: each occurrence of `marker` followed by
 * one of `ids` (all `idLength` bytes long, as latin1 strings). Returns where each id starts
 * plus `shift`.
 */
function offsetsOf(
  buf: Buffer,
  marker: Buffer,
  idLength: number,
  ids: Set<string>,
  shift: number,
): number[] {
  const offsets: number[] = [];
  for (let at = buf.indexOf(marker); at !== -1; at = buf.indexOf(marker, at + 1)) {
    const start = at + marker.length;
    if (ids.has(buf.toString('latin1', start, start + idLength))) offsets.push(start + shift);
  }
  return offsets;
}

/** An OTLP/protobuf request; `traceIds` are the hex trace ids it holds. */
export function retraceableProtobuf(
  bytes: Uint8Array,
  spans: number,
  traceIds: string[],
): Retraceable {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Span.trace_id is field 1, length-delimited: tag 0x0a, then length 16.
  const ids = new Set(traceIds.map((id) => Buffer.from(id, 'hex').toString('latin1')));
  const offsets = offsetsOf(buf, Buffer.from([0x0a, 0x10]), 16, ids, 12);
  return {
    bytes: buf,
    spans,
    copy(n) {
      const out = Buffer.allocUnsafe(buf.length);
      buf.copy(out);
      for (const at of offsets) out.writeUInt32BE(n >>> 0, at);
      return out;
    },
  };
}

/**
 * A RowBinary span payload (the server's span format): the last 8 hex digits of each row's
 * `trace_id` become the copy number, found by walking the rows as the live feed reads them.
 */
export function retraceableRows(bytes: Buffer, spans: number): Retraceable {
  const offsets: number[] = [];
  forEachSpanRow(bytes, (_ps, _pe, traceStart, traceEnd) => {
    if (traceEnd - traceStart === 32) offsets.push(traceStart + 24);
  });
  if (offsets.length !== spans) throw new Error(`found ${offsets.length} of ${spans} trace ids`);
  return {
    bytes,
    spans,
    copy(n) {
      const out = Buffer.allocUnsafe(bytes.length);
      bytes.copy(out);
      const hex = (n >>> 0).toString(16).padStart(8, '0');
      for (const at of offsets) out.write(hex, at, 'latin1');
      return out;
    },
  };
}
