import type { Attributes, SpanEvent } from '@pyflare/otlp';
import type { ChatMessage, Operation, RetrievalDocument } from '../../storage/rows.ts';
import { contentText, pushMessage, toDocument } from '../content.ts';
import { Bucket, PREFIX, groupIndexed, type SpanView } from './keys.ts';
import { count, isRecord, structured, text } from './values.ts';

/**
 * OpenLLMetry (Traceloop): `traceloop.span.kind` for workflow / task / agent / tool spans,
 * `llm.request.type` on model calls, indexed prompts and completions
 * (`gen_ai.prompt.N.role`, `gen_ai.completion.N.content`, older `llm.prompts.N.*`),
 * `traceloop.entity.input` / `output`, association properties, vector DB result events.
 */

const SPAN_KINDS = new Map<string, Operation>(
  Object.entries({
    workflow: 'chain',
    task: 'chain',
    agent: 'agent',
    tool: 'tool',
  }),
);

const REQUEST_TYPES = new Map<string, Operation>(
  Object.entries({
    chat: 'chat',
    completion: 'llm',
    embedding: 'embedding',
    rerank: 'reranker',
  }),
);

/** `traceloop.span.kind`, then `llm.request.type`. */
export function operation(a: Attributes): Operation | undefined {
  const kind = a['traceloop.span.kind'];
  const op = typeof kind === 'string' ? SPAN_KINDS.get(kind) : undefined;
  if (op) return op;
  const type = a['llm.request.type'];
  return typeof type === 'string' ? REQUEST_TYPES.get(type) : undefined;
}

/** Older releases: `llm.vendor`. */
export function provider(a: Attributes): string | undefined {
  return text(a['llm.vendor']);
}

export function requestModel(a: Attributes): string | undefined {
  return text(a['llm.request.model']);
}

export function responseModel(a: Attributes): string | undefined {
  return text(a['llm.response.model']);
}

export function inputTokens(a: Attributes): number | undefined {
  return count(a['llm.usage.prompt_tokens']);
}

export function outputTokens(a: Attributes): number | undefined {
  return count(a['llm.usage.completion_tokens']);
}

export function cachedTokens(a: Attributes): number | undefined {
  return count(a['gen_ai.usage.cache_read_input_tokens']);
}

export function totalTokens(a: Attributes): number | undefined {
  return count(a['llm.usage.total_tokens']);
}

export function userId(a: Attributes): string | undefined {
  return text(a['traceloop.association.properties.user_id']);
}

export function sessionId(a: Attributes): string | undefined {
  return text(a['traceloop.association.properties.session_id']);
}

export function inputMessages(view: SpanView): ChatMessage[] | undefined {
  return (
    indexedMessages(view, Bucket.genaiPrompt, PREFIX.genaiPrompt, 'user') ??
    indexedMessages(view, Bucket.llmPrompts, PREFIX.llmPrompts, 'user')
  );
}

export function outputMessages(view: SpanView): ChatMessage[] | undefined {
  return (
    indexedMessages(view, Bucket.genaiCompletion, PREFIX.genaiCompletion, 'assistant') ??
    indexedMessages(view, Bucket.llmCompletions, PREFIX.llmCompletions, 'assistant')
  );
}

/** `<prefix>N.{role,content,name,tool_call_id,tool_calls.M.{id,name,arguments}}`. */
function indexedMessages(
  view: SpanView,
  bucket: number,
  prefix: string,
  defaultRole: string,
): ChatMessage[] | undefined {
  const keys = view.buckets[bucket];
  if (!keys) return undefined;
  const out: ChatMessage[] = [];
  for (const g of groupIndexed(view.attrs, keys, prefix)) {
    const message: Record<string, unknown> = {};
    const role = text(g['role']);
    if (role !== undefined) message.role = role;
    const content = g['content'];
    // Some instrumentations store a list of content blocks as a JSON string.
    const blocks = typeof content === 'string' ? structured(content) : undefined;
    message.content = Array.isArray(blocks) && blocks.every(isRecord) ? blocks : content;
    if (g['name'] !== undefined) message.name = g['name'];
    if (g['tool_call_id'] !== undefined) message.tool_call_id = g['tool_call_id'];
    const calls = groupIndexed(g, Object.keys(g), 'tool_calls.');
    if (calls.length > 0) message.tool_calls = calls;
    const fnName = g['function_call.name'];
    if (fnName !== undefined) {
      message.function_call = { name: fnName, arguments: g['function_call.arguments'] };
    }
    if (role === undefined && content === undefined && calls.length === 0) continue;
    pushMessage(message, defaultRole, out);
  }
  return out.length > 0 ? out : undefined;
}

export function inputText(a: Attributes): string | undefined {
  const v = a['traceloop.entity.input'];
  return v === undefined || v === null ? undefined : contentText(v);
}

export function outputText(a: Attributes): string | undefined {
  const v = a['traceloop.entity.output'];
  return v === undefined || v === null ? undefined : contentText(v);
}

/** Vector DB query results: `db.query.result` events with id, score / distance, document. */
export function documents(events: readonly SpanEvent[]): RetrievalDocument[] | undefined {
  let out: RetrievalDocument[] | undefined;
  for (const event of events) {
    if (event.name !== 'db.query.result') continue;
    const a = event.attributes;
    const doc = toDocument({
      id: a['db.query.result.id'],
      score: a['db.query.result.score'], // a distance is not a relevance score: not used
      content: a['db.query.result.document'],
      metadata: a['db.query.result.metadata'],
    });
    if (doc) (out ??= []).push(doc);
  }
  return out;
}
