import { context, type Attributes } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { setContent, setMessages, type ChatMessage, type MessagePart } from '../content.ts';
import { internalError } from '../log.ts';
import { currentSettings } from '../sdk.ts';
import { GEN_AI, PYFLARE } from '../semconv.ts';
import {
  WRAPPED,
  countAttempts,
  failLlmCall,
  parseArgs,
  safely,
  setIf,
  setRetries,
  startLlmCall,
  type LlmCall,
} from './llm.ts';
import { observeStream } from './stream.ts';
import { recordToolResults, rememberToolCalls, type ToolCall } from './tool-calls.ts';

export { traceToolCall } from './tool-calls.ts';

/**
 * The `@anthropic-ai/sdk` client: `messages.create` (and `beta.messages.create`), plain and
 * streaming (which `messages.stream()` uses too), `tool_use` / `tool_result` blocks, and usage
 * with prompt-cache reads and writes. Input tokens follow the GenAI conventions: they include
 * the cached ones (`gen_ai.usage.input_tokens` = input + cache read + cache write), which are
 * also given apart.
 *
 * Recent versions of the Anthropic SDK trace their own calls through the global OTel provider;
 * for a client instrumented here that span would be a duplicate of this one, so the call runs
 * with tracing suppressed below this span.
 */

type Json = Record<string, unknown>;
type Create = (this: unknown, body: Json, options?: unknown) => unknown;
const PROVIDER = 'anthropic';

/**
 * Instruments an Anthropic client instance, or the `Anthropic` class (every client). Returns its
 * argument. Idempotent.
 *
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk';
 * import { instrumentAnthropic } from '@pyflare/sdk/anthropic';
 *
 * const anthropic = instrumentAnthropic(new Anthropic());
 * const msg = await anthropic.messages.create({
 *   model: 'claude-sonnet-4-5',
 *   max_tokens: 512,
 *   messages: [{ role: 'user', content: 'Hello, Claude' }],
 * });
 * ```
 */
export function instrumentAnthropic<T>(target: T): T {
  try {
    if (typeof target === 'function') {
      const A = target as unknown as Json;
      patch((A.Messages as Json | undefined)?.prototype as Json | undefined);
      const beta = A.Beta as Json | undefined;
      patch(((beta?.Messages as Json | undefined)?.prototype as Json | undefined) ?? undefined);
      const proto = (A as { prototype?: Json }).prototype;
      if (proto) countAttempts(proto);
    } else if (target && typeof target === 'object') {
      const client = target as unknown as Json;
      countAttempts(client);
      patch(client.messages as Json | undefined);
      patch((client.beta as Json | undefined)?.messages as Json | undefined);
    }
  } catch (error) {
    internalError('instrumentAnthropic', error);
  }
  return target;
}

function patch(owner: Json | undefined): void {
  const original = owner?.create as (Create & { [WRAPPED]?: true }) | undefined;
  if (!owner || typeof original !== 'function' || original[WRAPPED]) return;
  const wrapped = wrapCreate(original) as Create & { [WRAPPED]?: true };
  wrapped[WRAPPED] = true;
  Object.defineProperty(owner, 'create', { value: wrapped, configurable: true, writable: true });
}

function wrapCreate(original: Create): Create {
  return function (this: unknown, ...args: unknown[]) {
    const body = (args[0] ?? {}) as Json;
    let call: LlmCall | undefined;
    safely('anthropic start', () => {
      const s = currentSettings();
      recordToolResults(toolResults(body.messages));
      const a: Attributes = {};
      setIf(a, GEN_AI.requestMaxTokens, body.max_tokens);
      setIf(a, GEN_AI.requestTemperature, body.temperature);
      setIf(a, GEN_AI.requestTopP, body.top_p);
      setIf(a, GEN_AI.requestTopK, body.top_k);
      setIf(a, GEN_AI.requestStopSequences, body.stop_sequences);
      if (body.stream === true) a[PYFLARE.stream] = true;
      const baseUrl = (this as { _client?: { baseURL?: string } })?._client?.baseURL;
      call = startLlmCall('chat', PROVIDER, str(body.model), a, baseUrl);
      const system = systemParts(body.system);
      if (system.length > 0) setMessages(call.span, GEN_AI.systemInstructions, system, s);
      if (s.captureContent)
        setMessages(call.span, GEN_AI.inputMessages, inputMessages(body.messages), s);
      if (Array.isArray(body.tools) && s.captureContent)
        setContent(call.span, GEN_AI.toolDefinitions, body.tools, s);
    });
    if (!call) return original.apply(this, args as [Json]);
    const c = call;
    let result: unknown;
    try {
      result = context.with(suppressTracing(c.ctx), () => original.apply(this, args as [Json]));
    } catch (error) {
      failLlmCall(c, error);
      throw error;
    }
    safely('anthropic observe', () => {
      (result as Promise<unknown>).then(
        (value) =>
          safely('anthropic response', () => {
            if (body.stream === true) observeMessageStream(c, value);
            else finish(c, value as Json);
          }),
        (error: unknown) => failLlmCall(c, error),
      );
    });
    return result;
  };
}

function systemParts(system: unknown): MessagePart[] {
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', content: system }];
  if (!Array.isArray(system)) return [];
  return (system as Json[])
    .filter((b) => b?.type === 'text')
    .map((b) => ({ type: 'text', content: String(b.text ?? '') }));
}

function blockParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  const parts: MessagePart[] = [];
  for (const b of content as Json[]) {
    switch (b?.type) {
      case 'text':
        parts.push({ type: 'text', content: String(b.text ?? '') });
        break;
      case 'tool_use':
      case 'server_tool_use':
        parts.push({
          type: 'tool_call',
          id: String(b.id ?? ''),
          name: String(b.name ?? ''),
          arguments: b.input,
        });
        break;
      case 'tool_result':
        parts.push({
          type: 'tool_call_response',
          id: String(b.tool_use_id ?? ''),
          response: toolResultValue(b.content),
        });
        break;
      case 'thinking':
        parts.push({ type: 'reasoning', content: String(b.thinking ?? '') });
        break;
      case 'image':
      case 'document': {
        const source = (b.source ?? {}) as Json;
        parts.push(
          source.type === 'url'
            ? { type: 'uri', modality: b.type, uri: String(source.url ?? '') }
            : { type: 'blob', modality: b.type },
        );
        break;
      }
      default:
        if (typeof b?.type === 'string') parts.push({ type: b.type });
    }
  }
  return parts;
}

function toolResultValue(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  const texts = (content as Json[])
    .filter((c) => c?.type === 'text')
    .map((c) => String(c.text ?? ''));
  return texts.length === content.length ? texts.join('\n') : content;
}

function inputMessages(messages: unknown): ChatMessage[] {
  if (!Array.isArray(messages)) return [];
  return (messages as Json[]).map((m) => ({
    role: String(m.role ?? 'user'),
    parts: blockParts(m.content),
  }));
}

function toolResults(messages: unknown): { id: string; result: unknown }[] {
  if (!Array.isArray(messages)) return [];
  const out: { id: string; result: unknown }[] = [];
  for (const m of messages as Json[]) {
    if (!Array.isArray(m?.content)) continue;
    for (const b of m.content as Json[]) {
      if (b?.type === 'tool_result' && typeof b.tool_use_id === 'string') {
        out.push({ id: b.tool_use_id, result: toolResultValue(b.content) });
      }
    }
  }
  return out;
}

function finish(call: LlmCall, message: Json): void {
  const span = call.span;
  const a: Attributes = {};
  setIf(a, GEN_AI.responseId, message.id);
  setIf(a, GEN_AI.responseModel, message.model);
  if (typeof message.stop_reason === 'string')
    a[GEN_AI.responseFinishReasons] = [message.stop_reason];
  const usage = (message.usage ?? {}) as Json;
  const input = num(usage.input_tokens);
  const cacheRead = num(usage.cache_read_input_tokens);
  const cacheWrite = num(usage.cache_creation_input_tokens);
  if (input !== undefined || cacheRead !== undefined || cacheWrite !== undefined) {
    a[GEN_AI.usageInputTokens] = (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  }
  setIf(a, GEN_AI.usageOutputTokens, usage.output_tokens);
  setIf(a, GEN_AI.usageCacheReadInputTokens, cacheRead);
  setIf(a, GEN_AI.usageCacheCreationInputTokens, cacheWrite);
  span.setAttributes(a);
  setRetries(call);
  const content = Array.isArray(message.content) ? (message.content as Json[]) : [];
  const out: ChatMessage = { role: 'assistant', parts: blockParts(content) };
  if (typeof message.stop_reason === 'string') out.finish_reason = message.stop_reason;
  setMessages(span, GEN_AI.outputMessages, [out]);
  const calls: ToolCall[] = content
    .filter((b) => b.type === 'tool_use')
    .map((b) => ({ id: String(b.id ?? ''), name: String(b.name ?? ''), arguments: b.input }));
  rememberToolCalls(calls, span, call.parentCtx, PROVIDER);
  span.end();
}

/** Rebuilds the message from stream events, then finishes as for a plain call. */
function observeMessageStream(call: LlmCall, stream: unknown): void {
  let message: Json = {};
  const blocks: Json[] = [];
  const partialJson = new Map<number, string>();
  let first = true;
  const done = () => {
    blocks.forEach((b, i) => {
      const json = partialJson.get(i);
      if (json !== undefined) b.input = json === '' ? {} : parseArgs(json);
    });
    finish(call, { ...message, content: blocks });
  };
  const ok = observeStream<Json>(stream, {
    onEvent(e) {
      switch (e.type) {
        case 'message_start':
          message = { ...((e.message as Json | undefined) ?? {}) };
          break;
        case 'content_block_start': {
          const index = Number(e.index ?? blocks.length);
          blocks[index] = { ...((e.content_block as Json | undefined) ?? {}) };
          if (blocks[index]!.type === 'tool_use') partialJson.set(index, '');
          break;
        }
        case 'content_block_delta': {
          const index = Number(e.index ?? 0);
          const block = (blocks[index] ??= { type: 'text', text: '' });
          const delta = (e.delta ?? {}) as Json;
          if (first && (delta.type === 'text_delta' || delta.type === 'input_json_delta')) {
            first = false;
            call.span.setAttribute(
              GEN_AI.responseTimeToFirstChunk,
              (Date.now() - call.startMs) / 1000,
            );
          }
          if (delta.type === 'text_delta')
            block.text = String(block.text ?? '') + String(delta.text ?? '');
          else if (delta.type === 'input_json_delta') {
            partialJson.set(
              index,
              (partialJson.get(index) ?? '') + String(delta.partial_json ?? ''),
            );
          } else if (delta.type === 'thinking_delta') {
            block.thinking = String(block.thinking ?? '') + String(delta.thinking ?? '');
          }
          break;
        }
        case 'message_delta': {
          const delta = (e.delta ?? {}) as Json;
          if (typeof delta.stop_reason === 'string') message.stop_reason = delta.stop_reason;
          // message_delta usage is cumulative: it overrides message_start's.
          const usage = { ...((message.usage as Json | undefined) ?? {}) };
          for (const [k, v] of Object.entries((e.usage as Json | undefined) ?? {})) {
            if (v !== null && v !== undefined) usage[k] = v;
          }
          message.usage = usage;
          break;
        }
      }
    },
    onEnd: done,
    onError: (error) => failLlmCall(call, error),
    onCancel: () => {
      call.span.setAttribute('pyflare.llm.stream_cancelled', true);
      done();
    },
  });
  if (!ok) call.span.end();
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
