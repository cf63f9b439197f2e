import type { AnyValue, Attributes } from '@pyflare/otlp';
import type { ChatMessage, Operation, RetrievalDocument } from '../../storage/rows.ts';
import { contentText, normalizeRole, toDocument, toolCall } from '../content.ts';
import { MAX_CONTENT_CHARS, clip, truncate } from '../limits.ts';
import { Bucket, PREFIX, groupIndexed, type SpanView } from './keys.ts';
import { count, tagList, text } from './values.ts';

/**
 * OpenInference (Arize Phoenix): `openinference.span.kind`, `llm.*`, `input.value` /
 * `output.value`, flattened lists such as `llm.input_messages.N.message.role` and
 * `retrieval.documents.N.document.content`.
 */

const OPERATIONS = new Map<string, Operation>(
  Object.entries({
    LLM: 'llm',
    EMBEDDING: 'embedding',
    RETRIEVER: 'retrieval',
    RERANKER: 'reranker',
    TOOL: 'tool',
    AGENT: 'agent',
    CHAIN: 'chain',
    GUARDRAIL: 'guardrail',
    EVALUATOR: 'evaluator',
  }),
);

export function operation(a: Attributes): Operation | undefined {
  const kind = a['openinference.span.kind'];
  return typeof kind === 'string' ? OPERATIONS.get(kind.toUpperCase()) : undefined;
}

export function provider(a: Attributes): string | undefined {
  return text(a['llm.provider']) ?? text(a['llm.system']);
}

/** The model name; OpenInference has one attribute for request and response alike. */
export function modelName(a: Attributes): string | undefined {
  return (
    text(a['llm.model_name']) ?? text(a['embedding.model_name']) ?? text(a['reranker.model_name'])
  );
}

export function inputTokens(a: Attributes): number | undefined {
  return count(a['llm.token_count.prompt']);
}

export function outputTokens(a: Attributes): number | undefined {
  return count(a['llm.token_count.completion']);
}

export function cachedTokens(a: Attributes): number | undefined {
  return count(a['llm.token_count.prompt_details.cache_read']);
}

export function totalTokens(a: Attributes): number | undefined {
  return count(a['llm.token_count.total']);
}

export function tags(a: Attributes): string[] | undefined {
  return tagList(a['tag.tags']);
}

export function inputMessages(view: SpanView): ChatMessage[] | undefined {
  return flatMessages(view, Bucket.llmInputMessages, PREFIX.llmInputMessages);
}

export function outputMessages(view: SpanView): ChatMessage[] | undefined {
  return flatMessages(view, Bucket.llmOutputMessages, PREFIX.llmOutputMessages);
}

function flatMessages(view: SpanView, bucket: number, prefix: string): ChatMessage[] | undefined {
  const keys = view.buckets[bucket];
  if (!keys) return undefined;
  const out: ChatMessage[] = [];
  for (const g of groupIndexed(view.attrs, keys, prefix)) {
    const msg = flatMessage(g);
    if (msg) out.push(msg);
  }
  return out.length > 0 ? out : undefined;
}

/** One `message.*` group: role, content (or contents.N), name, tool_call_id, tool_calls.N. */
function flatMessage(g: Attributes): ChatMessage | undefined {
  const role = text(g['message.role']);
  let content = g['message.content'];
  if (content === undefined) content = joinContents(g);
  const msg: ChatMessage = { role: normalizeRole(role ?? ''), content: contentText(content) };
  const name = text(g['message.name']);
  if (name !== undefined) msg.name = name;
  const toolCallId = text(g['message.tool_call_id']);
  if (toolCallId !== undefined) msg.toolCallId = toolCallId;
  const calls = groupIndexed(g, Object.keys(g), 'message.tool_calls.');
  for (const c of calls) {
    const name = text(c['tool_call.function.name']) ?? '';
    const call = toolCall(text(c['tool_call.id']), name, c['tool_call.function.arguments']);
    (msg.toolCalls ??= []).push(call);
  }
  const fnName = text(g['message.function_call_name']);
  if (fnName !== undefined) {
    const args = g['message.function_call_arguments_json'];
    (msg.toolCalls ??= []).push(toolCall(undefined, fnName, args));
  }
  if (role === undefined && msg.content === '' && !msg.toolCalls) return undefined;
  return msg;
}

/** `message.contents.N.message_content.{type,text,image.image.url}` joined as text. */
function joinContents(g: Attributes): string | undefined {
  const parts = groupIndexed(g, Object.keys(g), 'message.contents.');
  if (parts.length === 0) return undefined;
  const pieces: string[] = [];
  for (const p of parts) {
    const t = p['message_content.text'];
    if (typeof t === 'string') pieces.push(t);
    else {
      const url = text(p['message_content.image.image.url']);
      const type = text(p['message_content.type']) ?? 'media';
      pieces.push(url && !url.startsWith('data:') ? `[${type}: ${clip(url, 512)}]` : `[${type}]`);
    }
  }
  return truncate(pieces.join('\n'), MAX_CONTENT_CHARS);
}

export function inputText(a: Attributes): string | undefined {
  const v = a['input.value'];
  return v === undefined || v === null ? undefined : contentText(v);
}

export function outputText(a: Attributes): string | undefined {
  const v = a['output.value'];
  return v === undefined || v === null ? undefined : contentText(v);
}

export function documents(view: SpanView): RetrievalDocument[] | undefined {
  return flatDocuments(view, Bucket.retrievalDocuments, PREFIX.retrievalDocuments);
}

export function rerankedDocuments(view: SpanView): RetrievalDocument[] | undefined {
  return flatDocuments(view, Bucket.rerankerOutput, PREFIX.rerankerOutput);
}

function flatDocuments(
  view: SpanView,
  bucket: number,
  prefix: string,
): RetrievalDocument[] | undefined {
  const keys = view.buckets[bucket];
  if (!keys) return undefined;
  const out: RetrievalDocument[] = [];
  for (const g of groupIndexed(view.attrs, keys, prefix)) {
    const doc = toDocument(g);
    if (doc) out.push(doc);
  }
  return out.length > 0 ? out : undefined;
}

/** The first `embedding.embeddings.N.embedding.vector`. */
export function embedding(view: SpanView): AnyValue | undefined {
  const keys = view.buckets[Bucket.embeddings];
  if (!keys) return undefined;
  for (const g of groupIndexed(view.attrs, keys, PREFIX.embeddings)) {
    const v = g['embedding.vector'];
    if (v !== undefined) return v;
  }
  return undefined;
}
