/**
 * Client-side redaction: content is rewritten in the application's process, before it is put
 * on a span, so what is redacted never leaves the machine.
 */

/** Where a content string is about to be recorded. */
export interface RedactionContext {
  /** The attribute (or message field) being written, e.g. `gen_ai.input.messages`. */
  key: string;
}

/**
 * A redaction hook: returns the text to record, or undefined to record nothing for that
 * value. Called for every content string (message parts, tool arguments and results,
 * retrieved documents), never for names, models or counts.
 */
export type Redactor = (text: string, context: RedactionContext) => string | undefined;

const PATTERNS: [RegExp, string][] = [
  // e-mail addresses
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[REDACTED_EMAIL]'],
  // IBANs (before card numbers, whose digit runs they contain)
  [/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, '[REDACTED_IBAN]'],
  // card numbers: 13-19 digits, optionally grouped by spaces or dashes
  [/\b(?:\d[ -]?){12,18}\d\b/g, '[REDACTED_CARD]'],
  // US social security numbers
  [/\b\d{3}-\d{2}-\d{4}\b/g, '[REDACTED_SSN]'],
  // phone numbers: +country and groups, or (123) 456-7890
  [
    /(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\b\d{2,4}[ .-])\d{3,4}[ .-]\d{3,4}\b/g,
    '[REDACTED_PHONE]',
  ],
  // API keys and bearer tokens that look like secrets
  [/\b(?:sk|pk|pf|rk)[-_][A-Za-z0-9_-]{16,}\b/g, '[REDACTED_SECRET]'],
];

/**
 * A redactor for common personal data and secrets: e-mail addresses, card numbers, US social
 * security numbers, phone numbers, IBANs and API keys. Pattern-based: it catches the usual
 * shapes, not every possible one.
 *
 * @example
 * ```ts
 * import { init, redactPii } from '@pyflare/sdk';
 * init({ captureContent: true, redact: redactPii });
 * ```
 */
export const redactPii: Redactor = (text) => {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
};

/**
 * Runs several redactors one after the other; a redactor that returns undefined ends the chain.
 *
 * @example
 * ```ts
 * const dropSecrets: Redactor = (t) => (t.includes('TOP SECRET') ? undefined : t);
 * init({ captureContent: true, redact: chainRedactors(redactPii, dropSecrets) });
 * ```
 */
export function chainRedactors(...redactors: Redactor[]): Redactor {
  return (text, context) => {
    let out: string | undefined = text;
    for (const r of redactors) {
      if (out === undefined) return undefined;
      out = r(out, context);
    }
    return out;
  };
}
