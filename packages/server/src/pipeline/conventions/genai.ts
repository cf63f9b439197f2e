import type { Attributes, SpanEvent } from '@pyflare/otlp';
import type { ChatMessage, Operation, RetrievalDocument } from '../../storage/rows.ts';
import { contentText, pushMessage, toDocuments, toMessages } from '../content.ts';
import { count, isRecord, structured, text } from './values.ts';

/**
 * OpenTelemetry GenAI semantic conventions (`gen_ai.*`): the current attributes
 * (`gen_ai.provider.name`, `gen_ai.input.messages` in the "parts" format, ...), the span
 * events of earlier versions (`gen_ai.user.message`, `gen_ai.choice`, ...) and the
 * `gen_ai.client.inference.operation.details` event.
 */

const OPERATIONS = new Map<string, Operation>(
  Object.entries({
    chat: 'chat',
    text_completion: 'llm',
    generate_content: 'llm',
    embeddings: 'embedding',
    execute_tool: 'tool',
    invoke_agent: 'agent',
    create_agent: 'agent',
    invoke_workflow: 'chain',
    retrieval: 'retrieval',
  }),
);

/** `gen_ai.operation.name` mapped to the canonical operation; undefined when unknown. */
export function operation(a: Attributes): Operation | undefined {
  const op = a['gen_ai.operation.name'];
  return typeof op === 'string' ? OPERATIONS.get(op) : undefined;
}

export function provider(a: Attributes): string | undefined {
  return text(a['gen_ai.provider.name']) ?? text(a['gen_ai.system']);
}

export function requestModel(a: Attributes): string | undefined {
  return text(a['gen_ai.request.model']);
}

export function responseModel(a: Attributes): string | undefined {
  return text(a['gen_ai.response.model']);
}

export function inputTokens(a: Attributes): number | undefined {
  return count(a['gen_ai.usage.input_tokens']);
}

export function outputTokens(a: Attributes): number | undefined {
  return count(a['gen_ai.usage.output_tokens']);
}

/** The pre-1.27 names, read after the other conventions' current names. */
export function legacyInputTokens(a: Attributes): number | undefined {
  return count(a['gen_ai.usage.prompt_tokens']);
}

export function legacyOutputTokens(a: Attributes): number | undefined {
  return count(a['gen_ai.usage.completion_tokens']);
}

export function cachedTokens(a: Attributes): number | undefined {
  return count(a['gen_ai.usage.cache_read.input_tokens']);
}

/** Not in the spec, but sent by several instrumentations. */
export function totalTokens(a: Attributes): number | undefined {
  return count(a['gen_ai.usage.total_tokens']);
}

export function conversationId(a: Attributes): string | undefined {
  return text(a['gen_ai.conversation.id']);
}

/** `gen_ai.input.messages`, after `gen_ai.system_instructions` as a system message. */
export function inputMessages(a: Attributes): ChatMessage[] | undefined {
  return messagesFrom(a, 'gen_ai.input.messages');
}

export function outputMessages(a: Attributes): ChatMessage[] | undefined {
  return toMessages(a['gen_ai.output.messages'], 'assistant');
}

function messagesFrom(a: Attributes, key: string): ChatMessage[] | undefined {
  const messages = toMessages(a[key], 'user');
  const system = systemInstructions(a['gen_ai.system_instructions']);
  if (!system) return messages;
  return messages ? [system, ...messages] : [system];
}

/** System instructions (an array of parts, or a JSON string of one) as one system message. */
function systemInstructions(v: unknown): ChatMessage | undefined {
  if (v === undefined || v === null) return undefined;
  const parts = structured(v);
  const out: ChatMessage[] = [];
  if (Array.isArray(parts)) pushMessage({ role: 'system', parts }, 'system', out);
  else if (typeof v === 'string') out.push({ role: 'system', content: contentText(v) });
  return out[0];
}

const EVENT_ROLES = new Map<string, string>(
  Object.entries({
    'gen_ai.system.message': 'system',
    'gen_ai.user.message': 'user',
    'gen_ai.assistant.message': 'assistant',
    'gen_ai.tool.message': 'tool',
  }),
);

/** Messages carried by span events, in event order; undefined when there are none. */
export function eventMessages(
  events: readonly SpanEvent[],
): { input: ChatMessage[]; output: ChatMessage[] } | undefined {
  let input: ChatMessage[] | undefined;
  let output: ChatMessage[] | undefined;
  const choices: { index: number; message: unknown }[] = [];
  for (const event of events) {
    const name = event.name;
    if (!name.startsWith('gen_ai.')) continue;
    const a = event.attributes;
    const role = EVENT_ROLES.get(name);
    if (role !== undefined) {
      pushMessage(eventBody(a, role), role, (input ??= []));
    } else if (name === 'gen_ai.choice') {
      const body = eventBody(a, 'assistant');
      const message = isRecord(body) && isRecord(body.message) ? body.message : body;
      choices.push({ index: count(a['index']) ?? choices.length, message });
    } else if (name === 'gen_ai.client.inference.operation.details') {
      const i = messagesFrom(a, 'gen_ai.input.messages');
      const o = toMessages(a['gen_ai.output.messages'], 'assistant');
      if (i) (input ??= []).push(...i);
      if (o) (output ??= []).push(...o);
    } else if (name === 'gen_ai.content.prompt') {
      const i = toMessages(a['gen_ai.prompt'], 'user');
      if (i) (input ??= []).push(...i);
    } else if (name === 'gen_ai.content.completion') {
      const o = toMessages(a['gen_ai.completion'], 'assistant');
      if (o) (output ??= []).push(...o);
    }
  }
  if (choices.length > 0) {
    choices.sort((x, y) => x.index - y.index);
    output ??= [];
    for (const c of choices) pushMessage(c.message, 'assistant', output);
  }
  if (!input && !output) return undefined;
  return { input: input ?? [], output: output ?? [] };
}

/**
 * The body of a message event. Span events have no body, so instrumentations put its fields
 * in the attributes (`content`, `role`, `tool_calls`, `id`, `message`), or the whole body as
 * JSON in `gen_ai.event.content` (Semantic Kernel).
 */
function eventBody(a: Attributes, role: string): unknown {
  const packed = a['gen_ai.event.content'];
  if (typeof packed === 'string') {
    const parsed = structured(packed);
    if (isRecord(parsed)) return { role, ...parsed };
  }
  const body: Record<string, unknown> = { role: text(a['role']) ?? role };
  if (a['content'] !== undefined) body.content = a['content'];
  if (a['tool_calls'] !== undefined) body.tool_calls = a['tool_calls'];
  if (a['id'] !== undefined && role === 'tool') body.tool_call_id = a['id'];
  if (a['message'] !== undefined) body.message = structured(a['message']) ?? a['message'];
  return body;
}

/** Tool arguments, a retrieval query, or the deprecated whole-prompt string. */
export function inputText(a: Attributes): string | undefined {
  const v =
    a['gen_ai.tool.call.arguments'] ?? a['gen_ai.retrieval.query.text'] ?? a['gen_ai.prompt'];
  return v === undefined || v === null ? undefined : contentText(v);
}

export function outputText(a: Attributes): string | undefined {
  const v = a['gen_ai.tool.call.result'] ?? a['gen_ai.completion'];
  return v === undefined || v === null ? undefined : contentText(v);
}

export function documents(a: Attributes): RetrievalDocument[] | undefined {
  return toDocuments(a['gen_ai.retrieval.documents']);
}
