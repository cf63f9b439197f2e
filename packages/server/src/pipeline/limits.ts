/**
 * Size limits applied while normalizing, and the string hygiene that goes with them. Lengths
 * are in UTF-16 code units (JavaScript string length), which is what can be checked without
 * encoding; a truncated string never ends in half of a surrogate pair, and every string the
 * pipeline writes passes through `truncate`, `clip` or `wellFormed`.
 * See docs/architecture/canonical-model.md.
 */

/** Attribute string values (raw attribute maps, event and link attributes). */
export const MAX_ATTRIBUTE_CHARS = 64 * 1024;
/** Attribute keys; longer keys are cut (an attacker gains nothing from a 1 MB map key). */
export const MAX_KEY_CHARS = 1024;
/** Span names, metric names, models, providers, user and session ids, tags, labels. */
export const MAX_NAME_CHARS = 1024;
/** Each piece of prompt / completion content: a message, a document, input_text, output_text. */
export const MAX_CONTENT_CHARS = 1024 * 1024;
/** Nesting kept when converting AnyValue arrays / kvlists (the decoder already caps it at 64). */
export const MAX_VALUE_DEPTH = 64;
/** Tags kept per span. */
export const MAX_TAGS = 64;
/** Embedding dimensions kept; a longer vector is dropped rather than cut. */
export const MAX_EMBEDDING_DIMENSIONS = 65_536;
/** Items accepted up to this far ahead of the server clock (clock skew, not time travel). */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** ES2024 string methods (Node 20+), not in the ES2023 lib the project compiles against. */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * `s` with lone surrogates replaced by U+FFFD. OTLP/JSON can carry them (`"\ud800"`), and
 * ClickHouse refuses the whole insert when a JSON row holds one. Fast for the usual case: V8
 * answers at once for one-byte strings.
 */
export function wellFormed(s: string): string {
  const w = s as unknown as WellFormedString;
  return w.isWellFormed() ? s : w.toWellFormed();
}

/**
 * `s` cut to `limit` code units followed by a marker naming the original length, so a reader
 * can tell the value was shortened. Returns `s` itself when it fits (and is well formed).
 */
export function truncate(s: string, limit: number): string {
  if (s.length <= limit) return wellFormed(s);
  let end = limit;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // do not split a surrogate pair
  return wellFormed(s.slice(0, end)) + `…[truncated, ${s.length} chars]`;
}

/** `s` cut to `limit` code units with a plain ellipsis, for short identifiers and names. */
export function clip(s: string, limit: number = MAX_NAME_CHARS): string {
  if (s.length <= limit) return wellFormed(s);
  let end = limit - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return wellFormed(s.slice(0, end)) + '…';
}
