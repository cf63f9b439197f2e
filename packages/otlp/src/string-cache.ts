/**
 * The string cache of the protobuf decoder (see `cachedString`). Module state, shared by
 * every decode: at most 4096 strings of at most 48 bytes, with their UTF-8 bytes.
 */

export const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Strings up to this many bytes go through the cache. */
export const CACHED_STRING = 48;
/** Shorter ASCII strings are built by hand: cheaper than a TextDecoder call. */
const SHORT_STRING = 16;
const CACHE_MASK = (1 << 12) - 1;
const cacheStrings: string[] = new Array<string>(CACHE_MASK + 1).fill('');
const cacheLength = new Int32Array(CACHE_MASK + 1).fill(-1);
const cacheBytes = new Uint8Array((CACHE_MASK + 1) * CACHED_STRING);
const cacheView = new DataView(cacheBytes.buffer);

/**
 * Short strings (attribute keys, model names, enum-like values) repeat across spans and
 * are served from a small cache: hashing and comparing the bytes costs less than
 * decoding them, and V8 gets the same string each time. A hit is confirmed on every
 * byte, so the cache can only cost speed, never correctness.
 */
export function cachedString(
  buf: Uint8Array,
  view: DataView,
  start: number,
  len: number,
  intern: boolean,
): string {
  const end = start + len;
  let h = len;
  let i = start;
  for (; i + 4 <= end; i += 4) h = Math.imul(h ^ view.getInt32(i, true), 0x01000193);
  for (; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const slot = (h ^ (h >>> 15)) & CACHE_MASK;
  const base = slot * CACHED_STRING;
  if (cacheLength[slot] === len) {
    let j = 0;
    while (j + 4 <= len && cacheView.getInt32(base + j, true) === view.getInt32(start + j, true)) {
      j += 4;
    }
    if (j + 4 > len) {
      while (j < len && cacheBytes[base + j] === buf[start + j]) j++;
      if (j === len) return cacheStrings[slot]!;
    }
  }
  let s = '';
  if (len <= SHORT_STRING) {
    for (let k = start; k < end; k++) {
      const c = buf[k]!;
      if (c >= 0x80) {
        s = utf8.decode(buf.subarray(start, end));
        break;
      }
      s += String.fromCharCode(c);
    }
  } else {
    s = utf8.decode(buf.subarray(start, end));
  }
  // The internalized copy of a key, so that later map insertions need no string lookup.
  if (intern) s = Object.keys({ [s]: 0 })[0]!;
  cacheLength[slot] = len;
  cacheBytes.set(buf.subarray(start, end), base);
  cacheStrings[slot] = s;
  return s;
}
