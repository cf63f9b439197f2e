import {
  chunksOf,
  countTokens,
  embed,
  embeddingBase64,
  fakeAnswer,
  limitTokens,
  toolArguments,
} from './fake-text.ts';
import type { Reply } from './fake-provider.ts';

/**
 * OpenAI-compatible endpoints of the fake provider: `/v1/chat/completions` (plain and SSE, tool
 * calls, `stream_options.include_usage`), `/v1/embeddings` (float and base64) and
 * `/v1/responses` (plain and SSE, function calls).
 */

type Json = Record<string, unknown>;

interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: { id: string; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

interface ChatTool {
  type: string;
  function: { name: string; description?: string; parameters?: unknown };
}

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === 'string' ? p : (((p as Json)?.text as string | undefined) ?? '')))
      .join(' ');
  }
  return '';
}

/** The prompt tokens of a conversation: content tokens plus 4 per message (OpenAI-like). */
function promptTokens(
  messages: readonly ChatMessage[],
  tools: readonly unknown[] | undefined,
): number {
  let n = 3;
  for (const m of messages) {
    n += 4 + countTokens(textOf(m.content));
    for (const tc of m.tool_calls ?? []) n += countTokens(tc.function.name + tc.function.arguments);
  }
  if (tools && tools.length > 0) n += countTokens(JSON.stringify(tools));
  return n;
}

/** What the fake model decides to do: call tools, or answer. */
function decide(messages: ChatMessage[], tools: ChatTool[] | undefined, toolChoice: unknown) {
  const last = messages.at(-1);
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const prompt = textOf(lastUser?.content);
  const wantsTools =
    tools !== undefined && tools.length > 0 && toolChoice !== 'none' && last?.role !== 'tool';
  if (wantsTools) {
    const lower = prompt.toLowerCase();
    const forced =
      typeof toolChoice === 'object' && toolChoice !== null
        ? ((toolChoice as { function?: { name?: string } }).function?.name ?? undefined)
        : undefined;
    const chosen = tools.filter((t) =>
      forced
        ? t.function.name === forced
        : lower.includes(t.function.name.replace(/_/g, ' ').split(' ')[0]!.toLowerCase()) ||
          lower.includes(t.function.name.toLowerCase()),
    );
    const calls = (chosen.length > 0 ? chosen : tools.slice(0, 1)).map((t) => ({
      id: nextId('call_'),
      type: 'function' as const,
      function: {
        name: t.function.name,
        arguments: JSON.stringify(toolArguments(t.function.parameters, prompt)),
      },
    }));
    return { calls, text: undefined };
  }
  const toolResults = messages.filter((m) => m.role === 'tool').map((m) => textOf(m.content));
  return { calls: undefined, text: fakeAnswer(prompt, toolResults) };
}

export function chatCompletion(body: Json, reply: Reply): void {
  const model = String(body.model ?? 'gpt-4o-mini');
  const messages = (Array.isArray(body.messages) ? body.messages : []) as ChatMessage[];
  if (messages.length === 0) {
    reply.error(400, 'invalid_request_error', "'messages' must be a non-empty array");
    return;
  }
  const tools = body.tools as ChatTool[] | undefined;
  const { calls, text: full } = decide(messages, tools, body.tool_choice);
  const maxTokens = (body.max_completion_tokens ?? body.max_tokens) as number | undefined;
  const { text, cut } = limitTokens(full ?? '', maxTokens);
  const prompt = promptTokens(messages, tools);
  const completion = calls
    ? calls.reduce((n, c) => n + countTokens(c.function.name + c.function.arguments), 0)
    : countTokens(text);
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
  const finish = calls ? 'tool_calls' : cut ? 'length' : 'stop';
  const id = nextId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const responseModel = model.startsWith('gpt-4o-mini') ? 'gpt-4o-mini-2024-07-18' : model;

  if (body.stream !== true) {
    reply.json(200, {
      id,
      object: 'chat.completion',
      created,
      model: responseModel,
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: calls ? null : text,
            tool_calls: calls,
            refusal: null,
          },
          logprobs: null,
          finish_reason: finish,
        },
      ],
      usage,
    });
    return;
  }

  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model: responseModel,
    system_fingerprint: 'fp_fake',
  };
  const chunk = (delta: Json, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  if (calls) {
    calls.forEach((c, index) => {
      events.push(
        chunk({
          tool_calls: [
            {
              index,
              id: c.id,
              type: 'function',
              function: { name: c.function.name, arguments: '' },
            },
          ],
        }),
      );
      for (const piece of c.function.arguments.match(/.{1,8}/gs) ?? []) {
        events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    });
  } else {
    for (const piece of chunksOf(text)) events.push(chunk({ content: piece }));
  }
  events.push(chunk({}, finish));
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)
    ?.include_usage;
  if (includeUsage) events.push({ ...base, choices: [], usage });
  reply.sse(
    events.map((data) => ({ data })),
    '[DONE]',
  );
}

export function embeddings(body: Json, reply: Reply): void {
  const input = body.input;
  const texts =
    typeof input === 'string' ? [input] : Array.isArray(input) ? input.map(String) : undefined;
  if (!texts || texts.length === 0) {
    reply.error(400, 'invalid_request_error', "'input' must be a string or an array of strings");
    return;
  }
  const dims =
    typeof body.dimensions === 'number' && body.dimensions > 0
      ? Math.min(body.dimensions, 3072)
      : 256;
  const base64 = body.encoding_format === 'base64';
  const tokens = texts.reduce((n, t) => n + countTokens(t), 0);
  reply.json(200, {
    object: 'list',
    model: String(body.model ?? 'text-embedding-3-small'),
    data: texts.map((t, index) => {
      const v = embed(t, dims);
      return { object: 'embedding', index, embedding: base64 ? embeddingBase64(v) : v };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

interface ResponseItem {
  type?: string;
  role?: string;
  content?: unknown;
  output?: unknown;
  name?: string;
  arguments?: string;
  call_id?: string;
}

export function responses(body: Json, reply: Reply): void {
  const model = String(body.model ?? 'gpt-4o-mini');
  const items: ResponseItem[] =
    typeof body.input === 'string'
      ? [{ role: 'user', content: body.input }]
      : Array.isArray(body.input)
        ? (body.input as ResponseItem[])
        : [];
  if (items.length === 0) {
    reply.error(400, 'invalid_request_error', "'input' is required");
    return;
  }
  const asChat: ChatMessage[] = items.map((it) =>
    it.type === 'function_call_output'
      ? { role: 'tool', content: textOf(it.output) }
      : it.type === 'function_call'
        ? {
            role: 'assistant',
            tool_calls: [
              {
                id: it.call_id ?? '',
                function: { name: it.name ?? '', arguments: it.arguments ?? '' },
              },
            ],
          }
        : { role: it.role ?? 'user', content: it.content },
  );
  if (typeof body.instructions === 'string')
    asChat.unshift({ role: 'system', content: body.instructions });
  const tools = (
    (body.tools as { type: string; name: string; parameters?: unknown }[] | undefined) ?? []
  )
    .filter((t) => t.type === 'function')
    .map((t) => ({ type: 'function', function: { name: t.name, parameters: t.parameters } }));
  const { calls, text: full } = decide(
    asChat,
    tools.length > 0 ? tools : undefined,
    body.tool_choice,
  );
  const { text } = limitTokens(full ?? '', body.max_output_tokens as number | undefined);
  const input = promptTokens(asChat, tools);
  const outputTokens = calls
    ? calls.reduce((n, c) => n + countTokens(c.function.arguments), 0)
    : countTokens(text);
  const msgId = nextId('msg_');
  const output = calls
    ? calls.map((c) => ({
        type: 'function_call',
        id: nextId('fc_'),
        call_id: c.id,
        name: c.function.name,
        arguments: c.function.arguments,
        status: 'completed',
      }))
    : [
        {
          type: 'message',
          id: msgId,
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text, annotations: [] }],
        },
      ];
  const response = {
    id: nextId('resp_'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model,
    output,
    usage: {
      input_tokens: input,
      output_tokens: outputTokens,
      total_tokens: input + outputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    },
  };
  if (body.stream !== true) {
    reply.json(200, response);
    return;
  }
  let seq = 0;
  const ev = (type: string, data: Json) => ({
    event: type,
    data: { type, sequence_number: seq++, ...data },
  });
  const events = [
    ev('response.created', {
      response: { ...response, status: 'in_progress', output: [], usage: null },
    }),
  ];
  if (!calls) {
    events.push(
      ev('response.output_item.added', {
        output_index: 0,
        item: { ...output[0], status: 'in_progress', content: [] },
      }),
    );
    for (const delta of chunksOf(text)) {
      events.push(
        ev('response.output_text.delta', {
          item_id: msgId,
          output_index: 0,
          content_index: 0,
          delta,
        }),
      );
    }
    events.push(
      ev('response.output_text.done', { item_id: msgId, output_index: 0, content_index: 0, text }),
    );
    events.push(ev('response.output_item.done', { output_index: 0, item: output[0]! }));
  } else {
    output.forEach((item, i) =>
      events.push(ev('response.output_item.done', { output_index: i, item })),
    );
  }
  events.push(ev('response.completed', { response }));
  reply.sse(events);
}
