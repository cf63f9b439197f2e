import type { AnyValue, Attributes, SpanEvent } from '@pyflare/otlp';

/**
 * One pass over a span's attribute keys that tells, per key, (a) whether any convention
 * reads it, (b) whether it carries prompt / completion / document content, and (c) which
 * indexed family it belongs to (`llm.input_messages.3.message.role` → llmInputMessages),
 * so the conventions never scan all keys themselves. A switch on the first character
 * keeps this to a few comparisons per key.
 */

export const Bucket = {
  /** OpenInference `llm.input_messages.N.*` */
  llmInputMessages: 0,
  /** OpenInference `llm.output_messages.N.*` */
  llmOutputMessages: 1,
  /** OpenLLMetry `gen_ai.prompt.N.*` */
  genaiPrompt: 2,
  /** OpenLLMetry `gen_ai.completion.N.*` */
  genaiCompletion: 3,
  /** older OpenLLMetry `llm.prompts.N.*` */
  llmPrompts: 4,
  /** older OpenLLMetry `llm.completions.N.*` */
  llmCompletions: 5,
  /** OpenInference `retrieval.documents.N.document.*` */
  retrievalDocuments: 6,
  /** OpenInference `reranker.output_documents.N.document.*` */
  rerankerOutput: 7,
  /** OpenInference `embedding.embeddings.N.embedding.*` */
  embeddings: 8,
  /** PyFlare `pyflare.features.<name>` */
  features: 9,
} as const;
const BUCKET_COUNT = 10;

export const PREFIX = {
  llmInputMessages: 'llm.input_messages.',
  llmOutputMessages: 'llm.output_messages.',
  genaiPrompt: 'gen_ai.prompt.',
  genaiCompletion: 'gen_ai.completion.',
  llmPrompts: 'llm.prompts.',
  llmCompletions: 'llm.completions.',
  retrievalDocuments: 'retrieval.documents.',
  rerankerOutput: 'reranker.output_documents.',
  embeddings: 'embedding.embeddings.',
  features: 'pyflare.features.',
} as const;

/** Attributes that hold content verbatim, by convention family. Indexed families are below. */
const CONTENT_KEYS = new Set([
  // OTel GenAI
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.retrieval.documents',
  'gen_ai.retrieval.query.text',
  'gen_ai.memory.query.text',
  'gen_ai.memory.records',
  'gen_ai.prompt',
  'gen_ai.completion',
  // OpenInference
  'input.value',
  'output.value',
  'llm.prompt_template.variables',
  'reranker.query',
  // OpenLLMetry
  'traceloop.entity.input',
  'traceloop.entity.output',
  'traceloop.prompt.template_variables',
  // Vercel AI SDK
  'ai.prompt',
  'ai.prompt.messages',
  'ai.response.text',
  'ai.response.toolCalls',
  'ai.response.object',
  'ai.response.reasoning',
  'ai.result.text',
  'ai.result.toolCalls',
  'ai.result.object',
  'ai.toolCall.args',
  'ai.toolCall.result',
  'ai.value',
  'ai.values',
]);

/** Span event names whose attributes are content (dropped whole when content is not captured). */
export const CONTENT_EVENTS = new Set([
  'gen_ai.system.message',
  'gen_ai.user.message',
  'gen_ai.assistant.message',
  'gen_ai.tool.message',
  'gen_ai.choice',
  'gen_ai.content.prompt',
  'gen_ai.content.completion',
  'gen_ai.client.inference.operation.details',
  'db.query.result',
]);

const RELEVANT = 1;
const CONTENT = 2;
const BUCKET_SHIFT = 2;

/** What the conventions read about one span. */
export interface SpanView {
  attrs: Attributes;
  events: readonly SpanEvent[];
  /** Keys per `Bucket`, in attribute order; undefined when the span has none. */
  buckets: (string[] | undefined)[];
}

export interface KeyScan {
  keys: string[];
  /** True when some key or event belongs to a convention: canonical extraction is worth it. */
  relevant: boolean;
  buckets: (string[] | undefined)[];
  /** Content keys present, when the caller asked for them. */
  contentKeys: Set<string> | undefined;
}

/** Classifies every key of `attrs`; collects content keys only when `wantContent`. */
export function scanKeys(attrs: Attributes, wantContent: boolean): KeyScan {
  const keys = Object.keys(attrs);
  const buckets: (string[] | undefined)[] = new Array<string[] | undefined>(BUCKET_COUNT);
  let relevant = false;
  let contentKeys: Set<string> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const c = classifyKey(key, wantContent);
    if (c === 0) continue;
    relevant = true;
    if (c >= 1 << BUCKET_SHIFT) {
      const b = (c >> BUCKET_SHIFT) - 1;
      (buckets[b] ??= []).push(key);
    }
    if (wantContent && (c & CONTENT) !== 0) (contentKeys ??= new Set()).add(key);
  }
  return { keys, relevant, buckets, contentKeys };
}

function inBucket(bucket: number, content: boolean): number {
  return ((bucket + 1) << BUCKET_SHIFT) | RELEVANT | (content ? CONTENT : 0);
}

/**
 * Bit flags for one key: RELEVANT, CONTENT, and (bucket + 1) << BUCKET_SHIFT. The CONTENT
 * flag of non-indexed keys is only looked up when `wantContent`.
 */
export function classifyKey(key: string, wantContent = true): number {
  switch (key.charCodeAt(0)) {
    case 103: // g
      if (!key.startsWith('gen_ai.')) return 0;
      switch (key.charCodeAt(7)) {
        case 112: // gen_ai.p
          if (key.startsWith(PREFIX.genaiPrompt) && isDigit(key, PREFIX.genaiPrompt.length)) {
            return inBucket(Bucket.genaiPrompt, true);
          }
          break;
        case 99: // gen_ai.c
          if (
            key.startsWith(PREFIX.genaiCompletion) &&
            isDigit(key, PREFIX.genaiCompletion.length)
          ) {
            return inBucket(Bucket.genaiCompletion, true);
          }
          break;
      }
      return contentFlag(key, wantContent);
    case 108: // l
      if (!key.startsWith('llm.')) return 0;
      switch (key.charCodeAt(4)) {
        case 105: // llm.i
          if (key.startsWith(PREFIX.llmInputMessages))
            return inBucket(Bucket.llmInputMessages, true);
          break;
        case 111: // llm.o
          if (key.startsWith(PREFIX.llmOutputMessages)) {
            return inBucket(Bucket.llmOutputMessages, true);
          }
          break;
        case 112: // llm.p
          if (key.startsWith(PREFIX.llmPrompts)) return inBucket(Bucket.llmPrompts, true);
          break;
        case 99: // llm.c
          if (key.startsWith(PREFIX.llmCompletions)) return inBucket(Bucket.llmCompletions, true);
          break;
      }
      return contentFlag(key, wantContent);
    case 114: // r
      if (key.startsWith(PREFIX.retrievalDocuments)) {
        return inBucket(Bucket.retrievalDocuments, isDocumentContent(key));
      }
      if (key.startsWith('reranker.')) {
        if (key.startsWith(PREFIX.rerankerOutput)) {
          return inBucket(Bucket.rerankerOutput, isDocumentContent(key));
        }
        return RELEVANT | (key === 'reranker.query' || isDocumentContent(key) ? CONTENT : 0);
      }
      return 0;
    case 101: // e
      if (key.startsWith(PREFIX.embeddings)) {
        return inBucket(Bucket.embeddings, key.endsWith('.embedding.text'));
      }
      return key.startsWith('embedding.') || key.startsWith('enduser.') ? RELEVANT : 0;
    case 112: // p
      if (!key.startsWith('pyflare.')) return 0;
      return key.startsWith(PREFIX.features) ? inBucket(Bucket.features, false) : RELEVANT;
    case 97: // a
      return key.startsWith('ai.') ? contentFlag(key, wantContent) : 0;
    case 105: // i
      return key.startsWith('input.') ? contentFlag(key, wantContent) : 0;
    case 111: // o
      if (key.startsWith('output.')) return contentFlag(key, wantContent);
      return key.startsWith('openinference.') ? RELEVANT : 0;
    case 116: // t
      if (key.startsWith('traceloop.')) return contentFlag(key, wantContent);
      return key.startsWith('tag.') ? RELEVANT : 0;
    case 117: // u
      return key === 'user.id' ? RELEVANT : 0;
    case 115: // s
      return key === 'session.id' ? RELEVANT : 0;
    default:
      return 0;
  }
}

/** RELEVANT, plus CONTENT for the exact content keys when the caller wants to know. */
function contentFlag(key: string, wantContent: boolean): number {
  return wantContent && CONTENT_KEYS.has(key) ? RELEVANT | CONTENT : RELEVANT;
}

function isDigit(key: string, at: number): boolean {
  const c = key.charCodeAt(at);
  return c >= 48 && c <= 57;
}

function isDocumentContent(key: string): boolean {
  return key.endsWith('.document.content') || key.endsWith('.document.metadata');
}

/** True when some event is one the conventions read (GenAI events, vector DB results). */
export function hasRelevantEvents(events: readonly SpanEvent[]): boolean {
  for (let i = 0; i < events.length; i++) {
    const name = events[i]!.name;
    if (name.startsWith('gen_ai.') || name === 'db.query.result') return true;
  }
  return false;
}

const MAX_INDEX_DIGITS = 6;

/**
 * Groups `prefix<N>.<rest>` keys of `source` by N, in ascending N: each group maps `<rest>`
 * to the value. `keys` may hold other keys too (they are skipped). Indexes of more than six
 * digits are ignored.
 */
export function groupIndexed(
  source: Attributes,
  keys: readonly string[],
  prefix: string,
): Attributes[] {
  const groups = new Map<number, Attributes>();
  const start = prefix.length;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (!key.startsWith(prefix)) continue;
    let i = start;
    let n = 0;
    for (; i < key.length && i - start <= MAX_INDEX_DIGITS; i++) {
      const c = key.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
    }
    if (i === start || i - start > MAX_INDEX_DIGITS || key.charCodeAt(i) !== 46) continue;
    let group = groups.get(n);
    if (!group) {
      group = Object.create(null) as Attributes;
      groups.set(n, group);
    }
    group[key.slice(i + 1)] = source[key] as AnyValue;
  }
  if (groups.size === 0) return [];
  const indexes = [...groups.keys()].sort((a, b) => a - b);
  return indexes.map((n) => groups.get(n)!);
}
