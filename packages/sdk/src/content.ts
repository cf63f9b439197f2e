import type { Span } from '@opentelemetry/api';
import { internalError } from './log.ts';
import { currentSettings, type Settings } from './sdk.ts';
import { PYFLARE } from './semconv.ts';

/**
 * Content (prompts, completions, tool arguments and results, documents) goes on spans only when
 * capture is on, after the redaction hook, cut to the configured length. Everything that writes
 * content goes through here.
 */

/** A message part in the OTel GenAI "parts" format (`gen_ai.input.messages`). */
export type MessagePart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id?: string; name: string; arguments?: unknown }
  | { type: 'tool_call_response'; id?: string; response: unknown }
  | { type: 'reasoning'; content: string }
  | { type: string; [key: string]: unknown };

export interface ChatMessage {
  role: string;
  parts: MessagePart[];
  name?: string;
  finish_reason?: string;
}

/** Cuts `text` to the configured length and runs the redaction hook; undefined = record nothing. */
export function contentString(text: string, key: string, s: Settings): string | undefined {
  let out: string | undefined = text;
  if (s.redact) {
    try {
      out = s.redact(text, { key });
    } catch (error) {
      // A failing redactor must not leak what it was meant to hide: record nothing.
      internalError('redact', error);
      return undefined;
    }
    if (typeof out !== 'string') return undefined;
  }
  if (out.length > s.maxContentLength) out = out.slice(0, s.maxContentLength) + '…[truncated]';
  return out;
}

/** Any value as text: strings verbatim, everything else as JSON. */
export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    const json = stringify(value);
    return json ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * `JSON.stringify` with {@link jsonReplacer}'s output, fast. Hot path (every captured message
 * list): a replacer function takes V8's stringify off its fast path (about twice the time on
 * small message lists), so a plain scan first checks that nothing needs replacing (no bigint,
 * no typed array) and then stringifies without one; anything else goes through the replacer.
 */
function stringify(value: unknown): string {
  let plain = false;
  try {
    plain = isPlainJson(value, 0);
  } catch {
    // a throwing getter: the replacer path reports it as before
  }
  return plain ? JSON.stringify(value) : JSON.stringify(value, jsonReplacer);
}

/** True when `jsonReplacer` would change nothing in `value` (conservative: false = maybe). */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'bigint';
  if (depth > MAX_DEPTH || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
    return true;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const k in value) {
    if (!isPlainJson((value as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  return value;
}

/** Sets a content attribute from any value, when capture is on. */
export function setContent(span: Span, key: string, value: unknown, s = currentSettings()): void {
  if (!s.captureContent || value === undefined || value === null) return;
  const text = contentString(toText(value), key, s);
  if (text !== undefined) span.setAttribute(key, text);
}

/**
 * Redacts every string inside messages (text parts, tool arguments and results), then sets them
 * as one JSON attribute, when capture is on.
 */
export function setMessages(
  span: Span,
  key: string,
  messages: readonly ChatMessage[] | readonly MessagePart[] | undefined,
  s = currentSettings(),
): void {
  if (!s.captureContent || !messages || messages.length === 0) return;
  try {
    // Fast path: no redactor and nothing too long to cut, the messages as they are.
    let json = s.redact ? undefined : stringify(messages);
    if (json === undefined || json.length > s.maxContentLength) {
      let list = redactDeep(messages, key, s, 0) as unknown[];
      json = stringify(list);
      // Still too long (a very long conversation): the oldest messages go first, so the
      // attribute stays valid JSON.
      const limit = s.maxContentLength * 4;
      if (json.length > limit) {
        span.setAttribute(PYFLARE.contentTruncated, true);
        while (json.length > limit && list.length > 1) {
          list = list.slice(Math.max(1, Math.floor(list.length / 4)));
          json = stringify(list);
        }
      }
    }
    span.setAttribute(key, json);
  } catch (error) {
    internalError('messages', error);
  }
}

/**
 * Sets messages already serialized (`json`, what `JSON.stringify` gives for them) when nothing
 * has to change them: capture on, no redactor, not too long. Returns false when it did not, and
 * the caller then goes through {@link setMessages} with the messages themselves.
 */
export function setMessagesJson(
  span: Span,
  key: string,
  json: string | undefined,
  s: Settings,
): boolean {
  if (json === undefined || !s.captureContent || s.redact || json.length > s.maxContentLength) {
    return false;
  }
  span.setAttribute(key, json);
  return true;
}

const MAX_DEPTH = 32;

/** A copy of `value` with every string redacted and cut; strings the redactor drops become ''. */
export function redactDeep(value: unknown, key: string, s: Settings, depth: number): unknown {
  if (typeof value === 'string') return contentString(value, key, s) ?? '';
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, key, s, depth + 1));
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Structure fields (role, type, id, name, finish_reason) are not content.
    out[k] = STRUCTURE_FIELDS.has(k) ? v : redactDeep(v, key, s, depth + 1);
  }
  return out;
}

const STRUCTURE_FIELDS = new Set(['role', 'type', 'id', 'name', 'finish_reason', 'mime_type']);
