import type { ChatMessage, MessagePart } from '../content.ts';
import { parseArgs } from './llm.ts';
import type { ToolCall } from './tool-calls.ts';

/**
 * OpenAI request and response shapes → the OTel GenAI "parts" format, and the tool calls and
 * tool results they carry. Plain functions on plain objects (the client's types are not
 * imported: any openai version with these shapes works).
 */

type Json = Record<string, unknown>;

function contentParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  const parts: MessagePart[] = [];
  for (const p of content as Json[]) {
    if (typeof p === 'string') parts.push({ type: 'text', content: p });
    else if (p?.type === 'text' || p?.type === 'input_text' || p?.type === 'output_text') {
      parts.push({ type: 'text', content: String(p.text ?? '') });
    } else if (p?.type === 'image_url' || p?.type === 'input_image') {
      const url = String((p.image_url as Json | undefined)?.url ?? p.image_url ?? '');
      parts.push(
        url.startsWith('data:')
          ? { type: 'blob', modality: 'image' }
          : { type: 'uri', modality: 'image', uri: url },
      );
    } else if (p?.type === 'input_audio') parts.push({ type: 'blob', modality: 'audio' });
    else if (p?.type === 'refusal') parts.push({ type: 'text', content: String(p.refusal ?? '') });
    else if (typeof p?.type === 'string') parts.push({ type: p.type });
  }
  return parts;
}

/** Chat Completions request messages. */
export function chatInputMessages(messages: unknown): ChatMessage[] {
  if (!Array.isArray(messages)) return [];
  return (messages as Json[]).map((m) => {
    const role = String(m.role ?? 'user');
    if (role === 'tool' || role === 'function') {
      return {
        role: 'tool',
        parts: [
          {
            type: 'tool_call_response',
            id: String(m.tool_call_id ?? m.name ?? ''),
            response: m.content,
          },
        ],
      };
    }
    const parts = contentParts(m.content);
    for (const tc of (m.tool_calls as Json[] | undefined) ?? []) {
      const fn = (tc.function ?? {}) as Json;
      parts.push({
        type: 'tool_call',
        id: String(tc.id ?? ''),
        name: String(fn.name ?? ''),
        arguments: parseArgs(fn.arguments),
      });
    }
    const msg: ChatMessage = { role, parts };
    if (typeof m.name === 'string') msg.name = m.name;
    return msg;
  });
}

/**
 * What `JSON.stringify` would escape in a string: control characters, `"`, `\\`, and lone
 * surrogates (any surrogate here: a pair takes the slow path too, and comes out the same).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** The JSON around a string value, `[before, after]` and with the quotes, `[before", "after]`. */
interface Around {
  before: string;
  after: string;
  beforeQuote: string;
  quoteAfter: string;
}
const around = (before: string, after: string): Around => ({
  before,
  after,
  beforeQuote: `${before}"`,
  quoteAfter: `"${after}`,
});
const ROLE = around('{"role":', ',"parts":[');
const TEXT = around('{"type":"text","content":', '}');
const NEXT_TEXT = around(',{"type":"text","content":', '}');
const NAME = around(',"name":', '');
const FINISH = around(',"finish_reason":', '');

/**
 * Writes `JSON.stringify(text)` with the JSON `a` puts around it into `out` from `k` (three
 * pieces); returns the next index. Hot path (every captured message): a string with nothing to
 * escape, the usual case, goes between constant pieces that hold the quotes, with no
 * `JSON.stringify` call and no string made per value.
 */
function putString(out: string[], k: number, a: Around, text: string): number {
  if (NEEDS_ESCAPE.test(text)) {
    out[k] = a.before;
    out[k + 1] = JSON.stringify(text);
    out[k + 2] = a.after;
  } else {
    out[k] = a.beforeQuote;
    out[k + 1] = text;
    out[k + 2] = a.quoteAfter;
  }
  return k + 3;
}

/** `{"role":"…","parts":[` for the usual roles, built once. */
const ROLE_OPEN = new Map(
  ['system', 'user', 'assistant', 'developer'].map((r) => [r, `{"role":"${r}","parts":[`]),
);

/**
 * `JSON.stringify(chatInputMessages(messages))`, written directly, for the common request: every
 * message a string `content` with a string role (not a tool result) and no tool calls. Undefined
 * for anything else (the caller converts and stringifies), and for no messages. Hot path (every
 * captured call): no intermediate message objects, no scan of them before stringifying, one
 * array of pieces sized up front and joined once into one flat string (`+=` would leave a tree
 * of strings, several times larger, held by the span until it is exported).
 */
export function chatInputMessagesJson(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  // At most 1 + 3 (role) + 3 (content) + 1 + 3 (name) + 1 pieces per message, and the brackets.
  const out = new Array<string>(messages.length * 12 + 2);
  out[0] = '[';
  let k = 1;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Json | null;
    if (!m || typeof m !== 'object') return undefined;
    const { role, content, name } = m;
    if (typeof role !== 'string' || role === 'tool' || role === 'function') return undefined;
    if (typeof content !== 'string') return undefined;
    const calls = m.tool_calls;
    if (calls !== undefined && !(Array.isArray(calls) && calls.length === 0)) return undefined;
    if (i > 0) out[k++] = ',';
    const open = ROLE_OPEN.get(role);
    if (open !== undefined) out[k++] = open;
    else k = putString(out, k, ROLE, role);
    if (content !== '') k = putString(out, k, TEXT, content);
    out[k++] = ']';
    if (typeof name === 'string') k = putString(out, k, NAME, name);
    out[k++] = '}';
  }
  out[k++] = ']';
  out.length = k;
  return out.join('');
}

/** `],"finish_reason":"…"}` for the finish reasons the API sends, built once (no escape test). */
const FINISH_CLOSE = new Map(
  ['stop', 'length', 'tool_calls', 'content_filter', 'function_call'].map((r) => [
    r,
    `],"finish_reason":"${r}"}`,
  ]),
);
const ASSISTANT_OPEN = '{"role":"assistant","parts":[';

/**
 * `JSON.stringify(chatOutputMessages(choices))`, written directly, when no choice has tool calls
 * (their arguments are arbitrary JSON); undefined otherwise and for no choices. Hot path (every
 * captured response, every stream's end): one escape test per text (the finish reasons the API
 * sends are constant pieces), one join.
 */
export function chatOutputMessagesJson(choices: readonly AssembledChoice[]): string | undefined {
  if (choices.length === 0) return undefined;
  // At most 2 + 3 (content) + 3 (refusal) + 1 + 3 (finish reason) + 1 pieces per choice.
  const out = new Array<string>(choices.length * 13 + 2);
  out[0] = '[';
  let k = 1;
  for (let i = 0; i < choices.length; i++) {
    const c = choices[i]!;
    if (c.toolCalls.length > 0) return undefined;
    if (i > 0) out[k++] = ',';
    out[k++] = ASSISTANT_OPEN;
    if (c.content !== '') k = putString(out, k, TEXT, c.content);
    if (c.refusal) {
      k = putString(out, k, c.content !== '' ? NEXT_TEXT : TEXT, c.refusal);
    }
    const reason = c.finishReason;
    const close = reason ? FINISH_CLOSE.get(reason) : undefined;
    if (close !== undefined) out[k++] = close;
    else {
      out[k++] = ']';
      if (reason) k = putString(out, k, FINISH, reason);
      out[k++] = '}';
    }
  }
  out[k++] = ']';
  out.length = k;
  return out.join('');
}

/** The tool results a Chat Completions request sends back (role `tool`). */
export function chatToolResults(messages: unknown): { id: string; result: unknown }[] {
  if (!Array.isArray(messages)) return [];
  const out: { id: string; result: unknown }[] = [];
  for (const m of messages as Json[]) {
    if (m?.role === 'tool' && typeof m.tool_call_id === 'string') {
      out.push({ id: m.tool_call_id, result: m.content });
    }
  }
  return out;
}

export interface AssembledChoice {
  index: number;
  content: string;
  refusal?: string;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason?: string;
}

/** Choices of a Chat Completions response (or reassembled from a stream) as output messages. */
export function chatOutputMessages(choices: readonly AssembledChoice[]): ChatMessage[] {
  return choices.map((c) => {
    const parts: MessagePart[] = [];
    if (c.content !== '') parts.push({ type: 'text', content: c.content });
    if (c.refusal) parts.push({ type: 'text', content: c.refusal });
    for (const tc of c.toolCalls) {
      parts.push({
        type: 'tool_call',
        id: tc.id,
        name: tc.name,
        arguments: parseArgs(tc.arguments),
      });
    }
    const msg: ChatMessage = { role: 'assistant', parts };
    if (c.finishReason) msg.finish_reason = c.finishReason;
    return msg;
  });
}

export function choicesOf(completion: Json): AssembledChoice[] {
  const choices = Array.isArray(completion.choices) ? (completion.choices as Json[]) : [];
  return choices.map((ch, i) => {
    const message = (ch.message ?? {}) as Json;
    return {
      index: typeof ch.index === 'number' ? ch.index : i,
      content: typeof message.content === 'string' ? message.content : '',
      refusal: typeof message.refusal === 'string' ? message.refusal : undefined,
      toolCalls: Array.isArray(message.tool_calls)
        ? (message.tool_calls as Json[]).map((tc) => {
            const fn = (tc.function ?? {}) as Json;
            return {
              id: String(tc.id ?? ''),
              name: String(fn.name ?? ''),
              arguments: String(fn.arguments ?? ''),
            };
          })
        : [],
      finishReason: typeof ch.finish_reason === 'string' ? ch.finish_reason : undefined,
    };
  });
}

const NO_TOOL_CALLS: readonly ToolCall[] = Object.freeze([]);

/** The tool calls the choices ask for. Hot path (every response): a loop, no array when none. */
export function toolCallsOf(choices: readonly AssembledChoice[]): readonly ToolCall[] {
  let out: ToolCall[] | undefined;
  for (const c of choices) {
    for (const t of c.toolCalls) {
      (out ??= []).push({ id: t.id, name: t.name, arguments: parseArgs(t.arguments) });
    }
  }
  return out ?? NO_TOOL_CALLS;
}

type StreamCall = { id: string; name: string; arguments: string };
/** A choice being reassembled: its tool calls by index until the end. */
type StreamChoice = AssembledChoice & { calls: Map<number, StreamCall> | undefined };

function streamChoice(index: number): StreamChoice {
  // Every field from the start: one shape, no property added per stream.
  return {
    index,
    content: '',
    refusal: undefined,
    toolCalls: [],
    finishReason: undefined,
    calls: undefined,
  };
}

/**
 * Reassembles streamed Chat Completions chunks, choice by choice. Hot path (every chunk of every
 * stream): choice 0, nearly always the only one, is a field (a map only for other indexes), no
 * object per chunk, and `result()` hands back the choices themselves, not copies.
 */
export class ChatStreamAssembler {
  private first: StreamChoice | undefined;
  private others: Map<number, StreamChoice> | undefined;
  id?: string;
  model?: string;
  usage?: Json;
  sawContent = false;

  /** Adds a chunk; returns true when it carried the first content (or tool call) token. */
  add(chunk: Json): boolean {
    if (this.id === undefined && typeof chunk.id === 'string') this.id = chunk.id;
    if (this.model === undefined && typeof chunk.model === 'string') this.model = chunk.model;
    const usage = chunk.usage;
    if (usage && typeof usage === 'object') this.usage = usage as Json;
    const chunkChoices = chunk.choices;
    if (!Array.isArray(chunkChoices)) return false;
    let first = false;
    for (let i = 0; i < chunkChoices.length; i++) {
      const ch = chunkChoices[i] as Json;
      const index = typeof ch.index === 'number' ? ch.index : 0;
      const c = index === 0 ? (this.first ??= streamChoice(0)) : this.other(index);
      const delta = ch.delta as Json | undefined;
      if (delta) {
        const content = delta.content;
        if (typeof content === 'string' && content !== '') {
          c.content += content;
          if (!this.sawContent) first = this.sawContent = true;
        }
        if (typeof delta.refusal === 'string') c.refusal = (c.refusal ?? '') + delta.refusal;
        const deltaCalls = delta.tool_calls;
        if (Array.isArray(deltaCalls)) {
          for (const tc of deltaCalls as Json[]) {
            const ti = typeof tc.index === 'number' ? tc.index : 0;
            const calls = (c.calls ??= new Map());
            let call = calls.get(ti);
            if (!call) calls.set(ti, (call = { id: '', name: '', arguments: '' }));
            if (typeof tc.id === 'string') call.id = tc.id;
            const fn = tc.function as Json | undefined;
            if (typeof fn?.name === 'string') call.name += fn.name;
            if (typeof fn?.arguments === 'string') call.arguments += fn.arguments;
            if (!this.sawContent) first = this.sawContent = true;
          }
        }
      }
      if (typeof ch.finish_reason === 'string') c.finishReason = ch.finish_reason;
    }
    return first;
  }

  private other(index: number): StreamChoice {
    const others = (this.others ??= new Map());
    let c = others.get(index);
    if (!c) others.set(index, (c = streamChoice(index)));
    return c;
  }

  /** The choices by index, their tool calls by index. Call once, at the end. */
  result(): AssembledChoice[] {
    const out: StreamChoice[] = [];
    if (this.first) out.push(this.first);
    if (this.others) {
      for (const c of this.others.values()) out.push(c);
      out.sort((a, b) => a.index - b.index);
    }
    for (const c of out) {
      if (c.calls) {
        c.toolCalls = [...c.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
      }
    }
    return out;
  }
}

/** Responses API input (string, or items) as input messages. */
export function responsesInputMessages(input: unknown): ChatMessage[] {
  if (typeof input === 'string')
    return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
  if (!Array.isArray(input)) return [];
  const out: ChatMessage[] = [];
  for (const item of input as Json[]) {
    if (item?.type === 'function_call_output') {
      out.push({
        role: 'tool',
        parts: [
          { type: 'tool_call_response', id: String(item.call_id ?? ''), response: item.output },
        ],
      });
    } else if (item?.type === 'function_call') {
      out.push({
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            id: String(item.call_id ?? ''),
            name: String(item.name ?? ''),
            arguments: parseArgs(item.arguments),
          },
        ],
      });
    } else if (item && ('role' in item || item.type === 'message')) {
      out.push({ role: String(item.role ?? 'user'), parts: contentParts(item.content) });
    }
  }
  return out;
}

export function responsesToolResults(input: unknown): { id: string; result: unknown }[] {
  if (!Array.isArray(input)) return [];
  return (input as Json[])
    .filter((i) => i?.type === 'function_call_output' && typeof i.call_id === 'string')
    .map((i) => ({ id: i.call_id as string, result: i.output }));
}

/** Responses API output items as one assistant message, and its function calls. */
export function responsesOutput(response: Json): { messages: ChatMessage[]; calls: ToolCall[] } {
  const parts: MessagePart[] = [];
  const calls: ToolCall[] = [];
  for (const item of (response.output as Json[] | undefined) ?? []) {
    if (item.type === 'message') parts.push(...contentParts(item.content));
    else if (item.type === 'function_call') {
      const args = parseArgs(item.arguments);
      parts.push({
        type: 'tool_call',
        id: String(item.call_id ?? ''),
        name: String(item.name ?? ''),
        arguments: args,
      });
      calls.push({
        id: String(item.call_id ?? ''),
        name: String(item.name ?? ''),
        arguments: args,
      });
    } else if (item.type === 'reasoning') {
      const summary = ((item.summary as Json[] | undefined) ?? [])
        .map((s) => String(s.text ?? ''))
        .join('\n');
      if (summary) parts.push({ type: 'reasoning', content: summary });
    }
  }
  const finish =
    response.status === 'incomplete' ? 'length' : calls.length > 0 ? 'tool_calls' : 'stop';
  return {
    messages: parts.length > 0 ? [{ role: 'assistant', parts, finish_reason: finish }] : [],
    calls,
  };
}
