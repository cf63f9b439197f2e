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
 * `JSON.stringify(chatInputMessages(messages))`, written directly, for the common request: every
 * message a string `content` with a string role (not a tool result) and no tool calls. Undefined
 * for anything else (the caller converts and stringifies), and for no messages. Hot path (every
 * captured call): no intermediate message objects, no scan of them before stringifying.
 */
export function chatInputMessagesJson(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  // Pieces joined once at the end: one flat string (`+=` would leave a tree of cons strings,
  // several times larger, held by the span until it is exported).
  const out: string[] = ['['];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Json | null;
    if (!m || typeof m !== 'object') return undefined;
    const { role, content, name } = m;
    if (typeof role !== 'string' || role === 'tool' || role === 'function') return undefined;
    if (typeof content !== 'string') return undefined;
    const calls = m.tool_calls;
    if (calls !== undefined && !(Array.isArray(calls) && calls.length === 0)) return undefined;
    out.push(i > 0 ? ',{"role":' : '{"role":', JSON.stringify(role), ',"parts":[');
    if (content !== '') out.push('{"type":"text","content":', JSON.stringify(content), '}');
    out.push(']');
    if (typeof name === 'string') out.push(',"name":', JSON.stringify(name));
    out.push('}');
  }
  out.push(']');
  return out.join('');
}

/**
 * `JSON.stringify(chatOutputMessages(choices))`, written directly, when no choice has tool calls
 * (their arguments are arbitrary JSON); undefined otherwise and for no choices.
 */
export function chatOutputMessagesJson(choices: readonly AssembledChoice[]): string | undefined {
  if (choices.length === 0) return undefined;
  const out: string[] = ['['];
  for (let i = 0; i < choices.length; i++) {
    const c = choices[i]!;
    if (c.toolCalls.length > 0) return undefined;
    out.push(i > 0 ? ',{"role":"assistant","parts":[' : '{"role":"assistant","parts":[');
    if (c.content !== '') out.push('{"type":"text","content":', JSON.stringify(c.content), '}');
    if (c.refusal) {
      out.push(
        c.content !== '' ? ',' : '',
        '{"type":"text","content":',
        JSON.stringify(c.refusal),
        '}',
      );
    }
    out.push(']');
    if (c.finishReason) out.push(',"finish_reason":', JSON.stringify(c.finishReason));
    out.push('}');
  }
  out.push(']');
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

const NO_DELTA: Json = Object.freeze({});

/** Reassembles streamed Chat Completions chunks, choice by choice. */
export class ChatStreamAssembler {
  readonly choices = new Map<
    number,
    AssembledChoice & { calls: Map<number, { id: string; name: string; arguments: string }> }
  >();
  id?: string;
  model?: string;
  usage?: Json;
  sawContent = false;

  /** Adds a chunk; returns true when it carried the first content (or tool call) token. */
  add(chunk: Json): boolean {
    if (typeof chunk.id === 'string') this.id ??= chunk.id;
    if (typeof chunk.model === 'string') this.model ??= chunk.model;
    if (chunk.usage && typeof chunk.usage === 'object') this.usage = chunk.usage as Json;
    let first = false;
    const chunkChoices = chunk.choices;
    if (!Array.isArray(chunkChoices)) return false;
    for (const ch of chunkChoices as Json[]) {
      const index = typeof ch.index === 'number' ? ch.index : 0;
      let c = this.choices.get(index);
      if (!c) {
        c = { index, content: '', toolCalls: [], calls: new Map() };
        this.choices.set(index, c);
      }
      const delta = (ch.delta ?? NO_DELTA) as Json;
      if (typeof delta.content === 'string' && delta.content !== '') {
        c.content += delta.content;
        if (!this.sawContent) first = this.sawContent = true;
      }
      if (typeof delta.refusal === 'string') c.refusal = (c.refusal ?? '') + delta.refusal;
      const deltaCalls = delta.tool_calls;
      if (Array.isArray(deltaCalls)) {
        for (const tc of deltaCalls as Json[]) {
          const ti = typeof tc.index === 'number' ? tc.index : 0;
          let call = c.calls.get(ti);
          if (!call) c.calls.set(ti, (call = { id: '', name: '', arguments: '' }));
          if (typeof tc.id === 'string') call.id = tc.id;
          const fn = (tc.function ?? {}) as Json;
          if (typeof fn.name === 'string') call.name += fn.name;
          if (typeof fn.arguments === 'string') call.arguments += fn.arguments;
          if (!this.sawContent) first = this.sawContent = true;
        }
      }
      if (typeof ch.finish_reason === 'string') c.finishReason = ch.finish_reason;
    }
    return first;
  }

  result(): AssembledChoice[] {
    return [...this.choices.values()]
      .sort((a, b) => a.index - b.index)
      .map(({ calls, ...c }) => ({
        ...c,
        toolCalls: [...calls.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v),
      }));
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
