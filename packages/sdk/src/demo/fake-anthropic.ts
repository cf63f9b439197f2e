import { chunksOf, countTokens, fakeAnswer, limitTokens, sha, toolArguments } from './fake-text.ts';
import type { Reply } from './fake-provider.ts';

/**
 * The Anthropic Messages API of the fake provider: `POST /v1/messages`, plain and SSE, `tool_use`
 * blocks, and prompt caching: a prefix marked with `cache_control` is written to the cache the
 * first time (`cache_creation_input_tokens`) and read from it afterwards (`cache_read_input_tokens`).
 */

type Json = Record<string, unknown>;
interface Block {
  type: string;
  text?: string;
  content?: unknown;
  input?: unknown;
  name?: string;
  cache_control?: unknown;
}
interface Message {
  role: string;
  content: string | Block[];
}
interface Tool {
  name: string;
  description?: string;
  input_schema?: unknown;
  cache_control?: unknown;
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Prefix hashes seen, per fake provider instance. */
export type PromptCache = Set<string>;

function blockText(b: Block): string {
  if (b.type === 'text') return b.text ?? '';
  if (b.type === 'tool_result') {
    return typeof b.content === 'string' ? b.content : JSON.stringify(b.content ?? '');
  }
  if (b.type === 'tool_use') return `${b.name ?? ''} ${JSON.stringify(b.input ?? {})}`;
  return '';
}

function contentText(content: string | Block[]): string {
  return typeof content === 'string' ? content : content.map(blockText).join(' ');
}

export function messages(body: Json, reply: Reply, cache: PromptCache): void {
  const model = String(body.model ?? 'claude-sonnet-4-5');
  const msgs = (Array.isArray(body.messages) ? body.messages : []) as Message[];
  if (msgs.length === 0 || typeof body.max_tokens !== 'number') {
    reply.anthropicError(400, 'invalid_request_error', 'messages and max_tokens are required');
    return;
  }
  const system: Block[] =
    typeof body.system === 'string'
      ? [{ type: 'text', text: body.system }]
      : ((body.system as Block[]) ?? []);
  const tools = (body.tools as Tool[] | undefined) ?? [];

  // Prompt caching: tokens up to the last block marked cache_control form the cached prefix.
  const pieces: { text: string; marked: boolean }[] = [
    ...tools.map((t) => ({ text: JSON.stringify(t), marked: t.cache_control !== undefined })),
    ...system.map((b) => ({ text: b.text ?? '', marked: b.cache_control !== undefined })),
    ...msgs.flatMap((m) =>
      typeof m.content === 'string'
        ? [{ text: m.content, marked: false }]
        : m.content.map((b) => ({ text: blockText(b), marked: b.cache_control !== undefined })),
    ),
  ];
  const lastMarked = pieces.map((p) => p.marked).lastIndexOf(true);
  const total = pieces.reduce((n, p) => n + countTokens(p.text), 0) + 4 * msgs.length;
  let cacheRead = 0;
  let cacheWrite = 0;
  if (lastMarked >= 0) {
    const prefix = pieces.slice(0, lastMarked + 1);
    const prefixTokens = prefix.reduce((n, p) => n + countTokens(p.text), 0);
    const key = `${model}:${sha(prefix.map((p) => p.text).join('\u0000'))}`;
    if (cache.has(key)) cacheRead = prefixTokens;
    else {
      cache.add(key);
      cacheWrite = prefixTokens;
    }
  }
  const inputTokens = total - cacheRead - cacheWrite;

  const last = msgs.at(-1)!;
  const lastIsToolResult =
    typeof last.content !== 'string' && last.content.some((b) => b.type === 'tool_result');
  const lastUserText =
    [...msgs]
      .reverse()
      .map((m) =>
        m.role === 'user' && typeof m.content === 'string'
          ? m.content
          : m.role === 'user'
            ? (m.content as Block[])
                .filter((b) => b.type === 'text')
                .map((b) => b.text)
                .join(' ')
            : '',
      )
      .find((t) => t !== '') ?? '';
  const toolChoice = body.tool_choice as { type?: string; name?: string } | undefined;
  const useTools = tools.length > 0 && !lastIsToolResult && toolChoice?.type !== 'none';

  const content: Json[] = [];
  let stop = 'end_turn';
  if (useTools) {
    const lower = lastUserText.toLowerCase();
    const forced = toolChoice?.type === 'tool' ? toolChoice.name : undefined;
    const chosen = tools.filter((t) =>
      forced ? t.name === forced : lower.includes(t.name.split('_')[0]!.toLowerCase()),
    );
    const picked = chosen.length > 0 ? chosen : tools.slice(0, 1);
    content.push({
      type: 'text',
      text: `I'll use ${picked.map((t) => t.name).join(' and ')} for this.`,
    });
    for (const t of picked) {
      content.push({
        type: 'tool_use',
        id: nextId('toolu_'),
        name: t.name,
        input: toolArguments(t.input_schema, lastUserText),
      });
    }
    stop = 'tool_use';
  } else {
    const results = msgs.flatMap((m) =>
      typeof m.content === 'string'
        ? []
        : m.content.filter((b) => b.type === 'tool_result').map(blockText),
    );
    const { text, cut } = limitTokens(fakeAnswer(lastUserText, results), body.max_tokens);
    content.push({ type: 'text', text });
    if (cut) stop = 'max_tokens';
  }
  const outputTokens = content.reduce(
    (n, b) => n + countTokens(b.type === 'text' ? String(b.text) : JSON.stringify(b.input)),
    0,
  );
  const usage = {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
  const message = {
    id: nextId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage,
  };
  if (body.stream !== true) {
    reply.json(200, message);
    return;
  }
  const ev = (event: string, data: Json) => ({ event, data: { type: event, ...data } });
  const events = [
    ev('message_start', {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    ev('ping', {}),
  ];
  content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const text of chunksOf(String(block.text))) {
        events.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text } }));
      }
    } else {
      events.push(ev('content_block_start', { index, content_block: { ...block, input: {} } }));
      for (const partial_json of JSON.stringify(block.input).match(/.{1,10}/gs) ?? []) {
        events.push(
          ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }),
        );
      }
    }
    events.push(ev('content_block_stop', { index }));
  });
  events.push(
    ev('message_delta', {
      delta: { stop_reason: stop, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
    ev('message_stop', {}),
  );
  reply.sse(events);
}

/** For request logs: the conversation as text. */
export function anthropicPrompt(body: Json): string {
  const msgs = (Array.isArray(body.messages) ? body.messages : []) as Message[];
  return msgs.map((m) => contentText(m.content)).join('\n');
}
