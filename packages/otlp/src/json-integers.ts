import type { DecodeOptions } from './options.ts';
import { WideJsonNumberError } from './errors.ts';

/**
 * Exact 64-bit integers in OTLP/JSON.
 *
 * The OTLP/JSON mapping writes 64-bit integers as decimal strings but accepts JSON numbers
 * too, and `JSON.parse` turns a number into a double: `"startTimeUnixNano":
 * 1796418155482630366` would arrive as ...630400, 34 ns off, and an `intValue` above 2^53 would
 * change silently. Official exporters write strings, so this is rare, and the common path must
 * not pay for it: the text is parsed with `JSON.parse` and decoded with such numbers refused
 * (`wideJsonNumbers: 'refuse'`). Only when the decoder meets one is the text parsed again, with
 * the integer literals of 16 or more digits outside strings (the shortest that can exceed 2^53)
 * put in quotes, and decoded from that: the reader (json-reader.ts) reads integer fields from
 * decimal strings exactly, and double fields as the same number. One consequence: a string
 * field given such a number reads its digits instead of failing as a shorter number would.
 *
 * A literal that is the shortest text of a double (what JavaScript's `JSON.stringify` writes)
 * is left as a number, and read as that double. The official JavaScript exporters write an
 * attribute of 2 ** 60 as `1152921504606847000`: the value the application held is the double,
 * 2^60, which the same exporter's protobuf carries, and the literal is 24 above it. An integer
 * printer's literal is only taken for a double when it has at most 17 significant digits
 * (trailing zeros): a timestamp in whole milliseconds, say, is then up to 128 ns off, as before
 * this existed. One with more digits (a nanosecond timestamp, an int64 counter) is exact.
 *
 * The quoting is written by hand (no JSON library parses to bigints as fast as `JSON.parse`,
 * and the common path does not run it): one pass over the text, skipping strings.
 */

/** Digits from which an integer literal may not be exact as a double. */
const WIDE_DIGITS = 16;

/**
 * Decodes OTLP/JSON `text` with `decode`, 64-bit integers sent as JSON numbers kept exact.
 * `parse` is the caller's JSON parser (`JSON.parse`, or one that words its errors), called once,
 * and again only for text with a number beyond 2^53 in an integer field. A leading byte order
 * mark is ignored, as RFC 8259 allows (some Windows tools write one).
 */
export function decodeJsonText<T>(
  body: string,
  parse: (text: string) => unknown,
  decode: (value: unknown, options: DecodeOptions) => T,
  options: DecodeOptions = {},
): T {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const value = parse(text);
  try {
    return decode(value, { ...options, wideJsonNumbers: 'refuse' });
  } catch (e) {
    if (!(e instanceof WideJsonNumberError)) throw e;
  }
  // Valid JSON stays valid with its number literals quoted.
  return decode(parse(quoteWideIntegers(text)), { ...options, wideJsonNumbers: 'round' });
}

/**
 * `text` with every integer literal of 16 or more digits outside strings in double quotes,
 * except the shortest texts of doubles (see above).
 */
export function quoteWideIntegers(text: string): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included; an unterminated one runs to the end.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || isDigit(c)) {
      const start = i;
      if (c === 0x2d) i++;
      const digits = i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      const integerEnd = i;
      let integer = true;
      if (i < n && text.charCodeAt(i) === 0x2e /* . */) {
        integer = false;
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      if (i < n && (text.charCodeAt(i) | 0x20) === 0x65 /* e or E */) {
        integer = false;
        i++;
        const sign = i < n ? text.charCodeAt(i) : 0;
        if (sign === 0x2b || sign === 0x2d) i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      // A leading zero is not JSON, nor is a number as an object's key: both are left for
      // JSON.parse to refuse (in quotes they would pass).
      if (
        integer &&
        integerEnd - digits >= WIDE_DIGITS &&
        text.charCodeAt(digits) !== 0x30 /* 0 */ &&
        !beforeColon(text, i)
      ) {
        const literal = text.slice(start, integerEnd);
        if (String(Number(literal)) !== literal) {
          out += `${text.slice(copied, start)}"${literal}"`;
          copied = integerEnd;
        }
      }
      continue;
    }
    i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether the next character from `i` that is not JSON whitespace is a `:`. */
function beforeColon(text: string, i: number): boolean {
  let c = text.charCodeAt(i);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++i);
  return c === 0x3a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
