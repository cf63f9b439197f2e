import type { Attributes } from '@pyflare/otlp';
import type { ChatMessage, Operation } from '../../storage/rows.ts';
import { contentText, pushMessage, toMessages } from '../content.ts';
import { count, isRecord, structured, tagList, text } from './values.ts';

/**
 * Vercel AI SDK telemetry (`ai.*`): `ai.operationId` names the span (`ai.generateText`,
 * `ai.generateText.doGenerate`, `ai.streamText.doStream`, `ai.embedMany`, `ai.toolCall`...),
 * prompts are JSON strings (`ai.prompt`, `ai.prompt.messages`), responses are
 * `ai.response.text` / `ai.response.toolCalls` (`ai.result.*` before AI SDK 4).
 */

const OPERATIONS = new Map<string, Operation>(
  Object.entries({
    'ai.generateText': 'chain',
    'ai.streamText': 'chain',
    'ai.generateObject': 'chain',
    'ai.streamObject': 'chain',
    'ai.generateText.doGenerate': 'llm',
    'ai.streamText.doStream': 'llm',
    'ai.generateObject.doGenerate': 'llm',
    'ai.streamObject.doStream': 'llm',
    'ai.embed': 'embedding',
    'ai.embed.doEmbed': 'embedding',
    'ai.embedMany': 'embedding',
    'ai.embedMany.doEmbed': 'embedding',
    'ai.toolCall': 'tool',
    'ai.rerank': 'reranker',
    'ai.rerank.doRerank': 'reranker',
  }),
);

/**
 * The spans around a whole call (every step, retry and tool run). Their `ai.usage.*` is the sum
 * of their provider calls' (`doGenerate`, `doStream`, `doEmbed`), which always exist as their
 * children: counted here too, every token of a trace would be counted twice in its totals.
 */
const AGGREGATES: ReadonlySet<string> = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
  'ai.embed',
  'ai.embedMany',
]);

function isAggregate(a: Attributes): boolean {
  const id = a['ai.operationId'];
  return typeof id === 'string' && AGGREGATES.has(id);
}

/** True for spans recorded by the AI SDK. */
export function isVercelSpan(a: Attributes): boolean {
  return typeof a['ai.operationId'] === 'string';
}

export function operation(a: Attributes): Operation | undefined {
  const id = a['ai.operationId'];
  return typeof id === 'string' ? OPERATIONS.get(id) : undefined;
}

export function provider(a: Attributes): string | undefined {
  return text(a['ai.model.provider']);
}

/**
 * The AI SDK names providers `<provider>.<api>` ("openai.chat", "anthropic.messages",
 * "google.generative-ai"), in `ai.model.provider` and in `gen_ai.system` alike: keep the
 * provider.
 */
export function providerName(raw: string): string {
  const dot = raw.indexOf('.');
  return dot > 0 ? raw.slice(0, dot) : raw;
}

export function requestModel(a: Attributes): string | undefined {
  return text(a['ai.model.id']);
}

export function responseModel(a: Attributes): string | undefined {
  return text(a['ai.response.model']);
}

/**
 * AI SDK 5-6 `inputTokens`, AI SDK 3-4 `promptTokens`, embeddings `tokens`; none on the
 * aggregate spans (see AGGREGATES).
 */
export function inputTokens(a: Attributes): number | undefined {
  if (isAggregate(a)) return undefined;
  return (
    count(a['ai.usage.inputTokens']) ??
    count(a['ai.usage.promptTokens']) ??
    count(a['ai.usage.tokens'])
  );
}

export function outputTokens(a: Attributes): number | undefined {
  if (isAggregate(a)) return undefined;
  return count(a['ai.usage.outputTokens']) ?? count(a['ai.usage.completionTokens']);
}

/** AI SDK 5 `cachedInputTokens`, AI SDK 6 `inputTokenDetails.cacheReadTokens`. */
export function cachedTokens(a: Attributes): number | undefined {
  if (isAggregate(a)) return undefined;
  return (
    count(a['ai.usage.cachedInputTokens']) ?? count(a['ai.usage.inputTokenDetails.cacheReadTokens'])
  );
}

export function totalTokens(a: Attributes): number | undefined {
  if (isAggregate(a)) return undefined;
  return count(a['ai.usage.totalTokens']);
}

export function userId(a: Attributes): string | undefined {
  return text(a['ai.telemetry.metadata.userId']);
}

export function sessionId(a: Attributes): string | undefined {
  return text(a['ai.telemetry.metadata.sessionId']);
}

export function tags(a: Attributes): string[] | undefined {
  return tagList(a['ai.telemetry.metadata.tags']);
}

/** `ai.prompt.messages` (provider calls), else `ai.prompt` = { system?, prompt?, messages? }. */
export function inputMessages(a: Attributes): ChatMessage[] | undefined {
  const messages = toMessages(a['ai.prompt.messages'], 'user');
  if (messages) return messages;
  const prompt = structured(a['ai.prompt']);
  if (!isRecord(prompt)) return undefined;
  const out: ChatMessage[] = [];
  if (prompt.system !== undefined && prompt.system !== null) {
    pushMessage({ role: 'system', content: prompt.system }, 'system', out);
  }
  if (Array.isArray(prompt.messages)) {
    for (const m of prompt.messages) pushMessage(m, 'user', out);
  } else if (prompt.prompt !== undefined && prompt.prompt !== null) {
    // `prompt` is a string, or (AI SDK 5) an array of messages
    if (Array.isArray(prompt.prompt)) for (const m of prompt.prompt) pushMessage(m, 'user', out);
    else pushMessage({ role: 'user', content: prompt.prompt }, 'user', out);
  }
  return out.length > 0 ? out : undefined;
}

/** The generated text and tool calls as one assistant message. */
export function outputMessages(a: Attributes): ChatMessage[] | undefined {
  const responseText = a['ai.response.text'] ?? a['ai.result.text'];
  const toolCalls = structured(a['ai.response.toolCalls'] ?? a['ai.result.toolCalls']);
  const hasText = typeof responseText === 'string' && responseText !== '';
  const hasCalls = Array.isArray(toolCalls) && toolCalls.length > 0;
  if (!hasText && !hasCalls) return undefined;
  const out: ChatMessage[] = [];
  pushMessage(
    {
      role: 'assistant',
      content: hasText ? responseText : '',
      tool_calls: hasCalls ? toolCalls : [],
    },
    'assistant',
    out,
  );
  return out;
}

/**
 * Tool arguments, or the value(s) being embedded, or a prompt that is not JSON. The AI SDK
 * records embedded values JSON-encoded (`ai.value: '"sunny day"'`, `ai.values: ['"a"', '"b"']`):
 * they are decoded, strings joined by blank lines.
 */
export function inputText(a: Attributes): string | undefined {
  const args = a['ai.toolCall.args'];
  if (args !== undefined && args !== null) return contentText(args);
  const value = a['ai.value'];
  if (value !== undefined && value !== null) return decodedText([value]);
  const values = a['ai.values'];
  if (Array.isArray(values)) return decodedText(values);
  const v = values ?? a['ai.prompt'];
  return v === undefined || v === null ? undefined : contentText(v);
}

function decodedText(values: readonly unknown[]): string {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string') {
      out.push(contentText(v));
      continue;
    }
    let decoded: unknown = v;
    try {
      decoded = JSON.parse(v) as unknown;
    } catch {
      // not JSON: the text itself
    }
    out.push(typeof decoded === 'string' ? decoded : contentText(decoded));
  }
  return contentText(out.join('\n\n'));
}

/** A tool result or a generated object. */
export function outputText(a: Attributes): string | undefined {
  const v = a['ai.toolCall.result'] ?? a['ai.response.object'] ?? a['ai.result.object'];
  return v === undefined || v === null ? undefined : contentText(v);
}
