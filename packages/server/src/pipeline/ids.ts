/** Trace and span id checks. Ids arrive as hex strings from the decoders ('' when absent). */

export const TRACE_ID_HEX = 32;
export const SPAN_ID_HEX = 16;

/**
 * The id in lowercase when it is exactly `hexLength` hex digits and not all zero (the W3C
 * "invalid" id); otherwise undefined. Uppercase digits are accepted and lowered.
 */
export function normalizeId(id: string, hexLength: number): string | undefined {
  if (id.length !== hexLength) return undefined;
  let nonZero = false;
  let upper = false;
  for (let i = 0; i < hexLength; i++) {
    const c = id.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (c !== 48) nonZero = true;
    } else if (c >= 97 && c <= 102) {
      nonZero = true;
    } else if (c >= 65 && c <= 70) {
      nonZero = true;
      upper = true;
    } else {
      return undefined;
    }
  }
  if (!nonZero) return undefined;
  return upper ? id.toLowerCase() : id;
}

/** True when `id` is '' or `hexLength` zeros: "no id" in OTLP. */
export function isAbsentId(id: string, hexLength: number): boolean {
  if (id.length === 0) return true;
  if (id.length !== hexLength) return false;
  for (let i = 0; i < hexLength; i++) if (id.charCodeAt(i) !== 48) return false;
  return true;
}
