import type { AnyValue } from '@pyflare/otlp';
import type { ChatMessage, RetrievalDocument } from '../storage/rows.ts';
import { toPlain } from './attributes.ts';
import { field, finite, isRecord, structured } from './conventions/values.ts';
import { MAX_CONTENT_CHARS, MAX_NAME_CHARS, clip, truncate } from './limits.ts';

/**
 * Prompt / completion content in the canonical forms of rows.ts. The message readers accept
 * every shape the conventions carry: OTel GenAI `parts`, OpenAI chat (`content` string or
 * parts, `tool_calls`, `function_call`), Anthropic blocks (`tool_use`, `tool_result`) and
 * Vercel AI SDK parts (`tool-call`, `tool-result`). Values are parsed JSON or decoded
 * AnyValues (kvlists are objects).
 */

/** Content as text: strings verbatim, other values as JSON; both cut at MAX_CONTENT_CHARS. */
export function contentText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return truncate(v, MAX_CONTENT_CHARS);
  const plain = toPlain(v as AnyValue, MAX_CONTENT_CHARS);
  return truncate(typeof plain === 'string' ? plain : JSON.stringify(plain), MAX_CONTENT_CHARS);
}

/** Messages from an array (or a JSON string of one); undefined when none come out. */
export function toMessages(value: unknown, defaultRole = ''): ChatMessage[] | undefined {
  const v = structured(value);
  if (!Array.isArray(v)) return undefined;
  const out: ChatMessage[] = [];
  for (const m of v) pushMessage(m, defaultRole, out);
  return out.length > 0 ? out : undefined;
}

const ROLE_ALIASES = new Map<string, string>(
  Object.entries({
    human: 'user',
    ai: 'assistant',
    model: 'assistant',
    bot: 'assistant',
    function: 'tool',
  }),
);

export function normalizeRole(role: string): string {
  const r = role.toLowerCase();
  return ROLE_ALIASES.get(r) ?? clip(r, 64);
}

/** Normalizes one message of any supported shape and appends it (and split-off tool results). */
export function pushMessage(m: unknown, defaultRole: string, out: ChatMessage[]): void {
  if (typeof m === 'string') {
    out.push({ role: defaultRole, content: truncate(m, MAX_CONTENT_CHARS) });
    return;
  }
  if (!isRecord(m)) return;
  const parts: Parts = { text: [], toolCalls: [], results: [] };
  const role = normalizeRole(field(m, 'role') ?? defaultRole);
  if (Array.isArray(m.parts)) for (const p of m.parts) addPart(parts, p);
  const content = m.content;
  if (typeof content === 'string') parts.text.push(content);
  else if (Array.isArray(content)) for (const p of content) addPart(parts, p);
  else if (content !== undefined && content !== null) parts.text.push(contentText(content));
  if (Array.isArray(m.tool_calls)) for (const tc of m.tool_calls) addToolCall(parts, tc);
  if (isRecord(m.function_call)) addToolCall(parts, m.function_call);

  const msg: ChatMessage = { role, content: truncate(parts.text.join('\n'), MAX_CONTENT_CHARS) };
  const name = field(m, 'name');
  if (name !== undefined) msg.name = clip(name, MAX_NAME_CHARS);
  const toolCallId = field(m, 'tool_call_id') ?? field(m, 'toolCallId');
  if (toolCallId !== undefined) msg.toolCallId = clip(toolCallId, MAX_NAME_CHARS);
  if (parts.toolCalls.length > 0) msg.toolCalls = parts.toolCalls;
  const onlyResults = msg.content === '' && !msg.toolCalls && parts.results.length > 0;
  if (!onlyResults) out.push(msg);
  for (const r of parts.results) out.push(r);
}

/** The pieces of one message being normalized. */
interface Parts {
  text: string[];
  toolCalls: NonNullable<ChatMessage['toolCalls']>;
  /** Tool results, which become messages of their own (one tool call id each). */
  results: ChatMessage[];
}

function addPart(parts: Parts, p: unknown): void {
  if (typeof p === 'string') {
    parts.text.push(p);
    return;
  }
  if (!isRecord(p)) return;
  switch (p.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      parts.text.push(contentText(p.content ?? p.text));
      return;
    case 'reasoning':
    case 'thinking':
    case 'redacted_thinking':
      return; // not part of the conversation text
    case 'tool_call': // OTel GenAI
    case 'tool_use': // Anthropic
    case 'tool-call': // Vercel AI SDK
    case 'function_call': // OpenAI Responses
      addToolCall(parts, p);
      return;
    case 'tool_call_response':
    case 'tool_result':
    case 'tool-result':
    case 'function_call_output': {
      const result: ChatMessage = { role: 'tool', content: contentText(resultValue(p)) };
      const id =
        field(p, 'id') ?? field(p, 'tool_use_id') ?? field(p, 'toolCallId') ?? field(p, 'call_id');
      if (id !== undefined) result.toolCallId = clip(id, MAX_NAME_CHARS);
      parts.results.push(result);
      return;
    }
    default:
      if (typeof p.text === 'string') parts.text.push(p.text);
      else if (typeof p.type === 'string') parts.text.push(placeholder(p));
      else if (typeof p.content === 'string') parts.text.push(p.content);
  }
}

function addToolCall(parts: Parts, tc: unknown): void {
  if (!isRecord(tc)) return;
  const fn = isRecord(tc.function) ? tc.function : tc;
  const name = field(fn, 'name') ?? field(tc, 'toolName') ?? '';
  const args = fn.arguments ?? tc.arguments ?? tc.args ?? tc.input;
  parts.toolCalls.push(
    toolCall(field(tc, 'id') ?? field(tc, 'toolCallId') ?? field(tc, 'call_id'), name, args),
  );
}

/** A canonical tool call; `args` as text (strings verbatim, objects as JSON). */
export function toolCall(
  id: string | undefined,
  name: string,
  args: unknown,
): NonNullable<ChatMessage['toolCalls']>[number] {
  const callName = clip(name, MAX_NAME_CHARS);
  const callArgs = contentText(args);
  return id === undefined
    ? { name: callName, arguments: callArgs }
    : { id: clip(id, MAX_NAME_CHARS), name: callName, arguments: callArgs };
}

function resultValue(p: Record<string, unknown>): unknown {
  const v = p.response ?? p.result ?? p.output ?? p.content;
  // Vercel AI SDK 5: output is { type: 'text' | 'json' | ..., value }
  if (isRecord(v) && typeof v.type === 'string' && 'value' in v) return v.value;
  return v;
}

/** A short stand-in for media: "[image: https://…]"; inline data is never copied. */
function placeholder(p: Record<string, unknown>): string {
  const kind = field(p, 'modality') ?? field(p, 'type') ?? 'media';
  const urlHolder = isRecord(p.image_url) ? p.image_url : p;
  const uri = field(urlHolder, 'uri') ?? field(urlHolder, 'url') ?? field(p, 'image_url');
  if (uri !== undefined && !uri.startsWith('data:')) return `[${kind}: ${clip(uri, 512)}]`;
  const fileId = field(p, 'file_id');
  return fileId !== undefined ? `[${kind}: ${clip(fileId, 256)}]` : `[${kind}]`;
}

/** Plain text of a transcript: each message's content (or its tool calls), blank-line separated. */
export function messagesText(messages: readonly ChatMessage[]): string {
  const pieces: string[] = [];
  for (const m of messages) {
    if (m.content !== '') pieces.push(m.content);
    else if (m.toolCalls) for (const tc of m.toolCalls) pieces.push(`${tc.name}(${tc.arguments})`);
  }
  return truncate(pieces.join('\n\n'), MAX_CONTENT_CHARS);
}

/** A document of any supported shape; undefined when it holds nothing. */
export function toDocument(d: unknown): RetrievalDocument | undefined {
  if (!isRecord(d)) return typeof d === 'string' ? { content: contentText(d) } : undefined;
  const doc: RetrievalDocument = {};
  const id = field(d, 'id') ?? field(d, 'document.id');
  if (id !== undefined) doc.id = clip(id, MAX_NAME_CHARS);
  const content = d.content ?? d['document.content'] ?? d.text ?? d.page_content ?? d.document;
  if (content !== undefined && content !== null) doc.content = contentText(content);
  const score = finite(d.score ?? d['document.score'] ?? d.relevance_score);
  if (score !== undefined) doc.score = score;
  const metadata = d.metadata ?? d['document.metadata'];
  if (metadata !== undefined && metadata !== null) doc.metadata = metadataValue(metadata);
  return Object.keys(doc).length > 0 ? doc : undefined;
}

/** Metadata kept structured: JSON strings are parsed, other values made JSON-safe. */
function metadataValue(v: unknown): unknown {
  const parsed = typeof v === 'string' ? (structured(v) ?? v) : v;
  return toPlain(parsed as AnyValue, MAX_CONTENT_CHARS);
}

/** Documents from an array (or a JSON string of one). */
export function toDocuments(value: unknown): RetrievalDocument[] | undefined {
  const v = structured(value);
  if (!Array.isArray(v)) return undefined;
  const out: RetrievalDocument[] = [];
  for (const d of v) {
    const doc = toDocument(d);
    if (doc) out.push(doc);
  }
  return out.length > 0 ? out : undefined;
}
