import type { Attributes } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import { setContent, setMessages, setMessagesJson } from '../content.ts';
import { internalError } from '../log.ts';
import { currentSettings, trackPending } from '../sdk.ts';
import { GEN_AI, PYFLARE } from '../semconv.ts';
import {
  WRAPPED,
  countAttempts,
  failLlmCall,
  finishReasonList,
  safely,
  setIf,
  setRetries,
  sharedString,
  startLlmCall,
  type LlmCall,
} from './llm.ts';
import {
  ChatStreamAssembler,
  chatInputMessages,
  chatInputMessagesJson,
  chatOutputMessages,
  chatOutputMessagesJson,
  chatToolResults,
  choicesOf,
  responsesInputMessages,
  responsesOutput,
  responsesToolResults,
  toolCallsOf,
  type AssembledChoice,
} from './openai-messages.ts';
import { observeStream, type StreamObserver } from './stream.ts';
import { countChatPromptTokens, countTextTokens } from './tokens.ts';
import { hasPendingToolCalls, recordToolResults, rememberToolCalls } from './tool-calls.ts';

export { traceToolCall } from './tool-calls.ts';

/**
 * The `openai` client (v4 and later): `chat.completions.create` (plain and streaming),
 * `embeddings.create` and `responses.create`, each as a CLIENT span with the GenAI attributes.
 * The returned promise and stream are the client's own objects, observed, not replaced.
 */

type Json = Record<string, unknown>;
type Create = (this: unknown, body: Json, options?: unknown) => unknown;
const PROVIDER = 'openai';

/**
 * Instruments an OpenAI client instance, or the `OpenAI` class itself (every client, existing and
 * future). Returns its argument. Idempotent.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * import { init } from '@pyflare/sdk';
 * import { instrumentOpenAI } from '@pyflare/sdk/openai';
 *
 * init({ serviceName: 'chatbot', captureContent: true });
 * const openai = instrumentOpenAI(new OpenAI());
 * const r = await openai.chat.completions.create({
 *   model: 'gpt-4o-mini',
 *   messages: [{ role: 'user', content: 'Hello!' }],
 * });
 * ```
 */
export function instrumentOpenAI<T>(target: T): T {
  try {
    if (typeof target === 'function') instrumentClass(target as unknown as Json);
    else if (target && typeof target === 'object') instrumentInstance(target as unknown as Json);
  } catch (error) {
    internalError('instrumentOpenAI', error);
  }
  return target;
}

function instrumentInstance(client: Json): void {
  countAttempts(client);
  const chat = client.chat as Json | undefined;
  patch(chat?.completions as Json | undefined, wrapChatCreate);
  patch(client.embeddings as Json | undefined, wrapEmbeddingsCreate);
  patch(client.responses as Json | undefined, wrapResponsesCreate);
}

function instrumentClass(OpenAI: Json): void {
  const chat = OpenAI.Chat as Json | undefined;
  patch((chat?.Completions as Json | undefined)?.prototype as Json | undefined, wrapChatCreate);
  patch(
    (OpenAI.Embeddings as Json | undefined)?.prototype as Json | undefined,
    wrapEmbeddingsCreate,
  );
  patch((OpenAI.Responses as Json | undefined)?.prototype as Json | undefined, wrapResponsesCreate);
  const proto = (OpenAI as { prototype?: Json }).prototype;
  if (proto) countAttempts(proto);
}

function patch(owner: Json | undefined, wrap: (original: Create) => Create): void {
  const original = owner?.create as (Create & { [WRAPPED]?: true }) | undefined;
  if (!owner || typeof original !== 'function' || original[WRAPPED]) return;
  const wrapped = wrap(original) as Create & { [WRAPPED]?: true };
  wrapped[WRAPPED] = true;
  Object.defineProperty(owner, 'create', { value: wrapped, configurable: true, writable: true });
}

function baseUrlOf(resource: unknown): string | undefined {
  const url = (resource as { _client?: { baseURL?: unknown } })?._client?.baseURL;
  return typeof url === 'string' ? url : undefined;
}

/**
 * Calls `original` in the call's context and observes the result: `onValue` for the parsed
 * response, `failLlmCall` for a rejection. The client's own promise is returned. Hot path (every
 * call): one `then` on the client's promise, no wrapper promise, no per-call closure but the two
 * handlers of that `then`.
 */
function callObserved(
  call: LlmCall | undefined,
  original: Create,
  self: unknown,
  args: unknown[],
  body: Json,
  onValue: (call: LlmCall, value: unknown, body: Json) => void,
): unknown {
  if (!call) return original.apply(self, args as [Json]);
  let result: unknown;
  try {
    result = context.with(call.ctx, () => original.apply(self, args as [Json]));
  } catch (error) {
    failLlmCall(call, error);
    throw error;
  }
  try {
    (result as Promise<unknown>).then(
      (value) => {
        try {
          onValue(call, value, body);
        } catch (error) {
          internalError('response', error);
        }
      },
      (error: unknown) => failLlmCall(call, error),
    );
  } catch (error) {
    internalError('observe', error);
  }
  return result;
}

// ---------------------------------------------------------------- chat.completions.create

function chatRequestAttributes(body: Json): Attributes {
  const a: Attributes = {};
  setIf(a, GEN_AI.requestMaxTokens, body.max_completion_tokens ?? body.max_tokens);
  setIf(a, GEN_AI.requestTemperature, body.temperature);
  setIf(a, GEN_AI.requestTopP, body.top_p);
  setIf(a, GEN_AI.requestFrequencyPenalty, body.frequency_penalty);
  setIf(a, GEN_AI.requestPresencePenalty, body.presence_penalty);
  setIf(a, GEN_AI.requestSeed, body.seed);
  setIf(a, GEN_AI.requestStopSequences, typeof body.stop === 'string' ? [body.stop] : body.stop);
  if (typeof body.n === 'number' && body.n !== 1) a[GEN_AI.requestChoiceCount] = body.n;
  const format = (body.response_format as Json | undefined)?.type;
  if (format === 'json_object' || format === 'json_schema') a[GEN_AI.outputType] = 'json';
  if (body.stream === true) a[PYFLARE.stream] = true;
  return a;
}

function wrapChatCreate(original: Create): Create {
  return function (this: unknown, ...args: unknown[]) {
    const body = (args[0] ?? {}) as Json;
    let call: LlmCall | undefined;
    try {
      const s = currentSettings();
      if (hasPendingToolCalls()) recordToolResults(chatToolResults(body.messages));
      call = startLlmCall(
        'chat',
        PROVIDER,
        str(body.model),
        chatRequestAttributes(body),
        baseUrlOf(this),
      );
      if (s.captureContent) {
        const key = GEN_AI.inputMessages;
        if (
          !setMessagesJson(
            call.span,
            key,
            s.redact ? undefined : chatInputMessagesJson(body.messages),
            s,
          )
        ) {
          setMessages(call.span, key, chatInputMessages(body.messages), s);
        }
        if (Array.isArray(body.tools)) setContent(call.span, GEN_AI.toolDefinitions, body.tools, s);
      }
    } catch (error) {
      internalError('chat start', error);
    }
    return callObserved(call, original, this, args, body, onChatValue);
  };
}

function onChatValue(call: LlmCall, value: unknown, body: Json): void {
  if (body.stream === true) observeChatStream(call, value, body);
  else {
    const r = value as Json;
    finishChat(call, r.id, r.model, choicesOf(r), usageOf(r));
  }
}

function usageOf(completion: Json): Json | undefined {
  const u = completion.usage;
  return u && typeof u === 'object' ? (u as Json) : undefined;
}

function finishChat(
  call: LlmCall,
  id: unknown,
  model: unknown,
  choices: AssembledChoice[],
  usage: Json | undefined,
): void {
  recordChatResult(call, id, model, choices, usage);
  call.span.end();
}

/** Everything known once the response is complete (the usage when given). */
function recordChatResult(
  call: LlmCall,
  id: unknown,
  model: unknown,
  choices: AssembledChoice[],
  usage?: Json,
): void {
  const span = call.span;
  // Set one by one (no attribute object per call); the model and a lone finish reason as
  // shared values (llm.ts): the span holds them until it is exported.
  if (typeof id === 'string') span.setAttribute(GEN_AI.responseId, id);
  if (typeof model === 'string') span.setAttribute(GEN_AI.responseModel, sharedString(model));
  if (choices.length === 1) {
    const reason = choices[0]!.finishReason;
    if (reason !== undefined)
      span.setAttribute(GEN_AI.responseFinishReasons, finishReasonList(reason) as string[]);
  } else {
    let reasons: string[] | undefined;
    for (const c of choices)
      if (c.finishReason !== undefined) (reasons ??= []).push(c.finishReason);
    if (reasons) span.setAttribute(GEN_AI.responseFinishReasons, reasons);
  }
  if (usage) {
    setNumber(span, GEN_AI.usageInputTokens, usage.prompt_tokens);
    setNumber(span, GEN_AI.usageOutputTokens, usage.completion_tokens);
    const prompt = usage.prompt_tokens_details as Json | undefined;
    if (prompt) setNumber(span, GEN_AI.usageCacheReadInputTokens, prompt.cached_tokens);
    const completion = usage.completion_tokens_details as Json | undefined;
    if (completion) setNumber(span, GEN_AI.usageReasoningTokens, completion.reasoning_tokens);
  }
  if (call.attempts.count > 1) span.setAttribute(PYFLARE.retryCount, call.attempts.count - 1);
  const s = currentSettings();
  if (s.captureContent) {
    const key = GEN_AI.outputMessages;
    if (!setMessagesJson(span, key, s.redact ? undefined : chatOutputMessagesJson(choices), s)) {
      setMessages(span, key, chatOutputMessages(choices), s);
    }
  }
  rememberToolCalls(toolCallsOf(choices), span, call.parentCtx, PROVIDER);
}

/** Sets a numeric attribute when `value` is a finite number (what `setIf` keeps of a number). */
function setNumber(span: LlmCall['span'], key: string, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) span.setAttribute(key, value);
}

function chatUsageAttributes(a: Attributes, usage: Json): void {
  setIf(a, GEN_AI.usageInputTokens, usage.prompt_tokens);
  setIf(a, GEN_AI.usageOutputTokens, usage.completion_tokens);
  setIf(
    a,
    GEN_AI.usageCacheReadInputTokens,
    (usage.prompt_tokens_details as Json | undefined)?.cached_tokens,
  );
  setIf(
    a,
    GEN_AI.usageReasoningTokens,
    (usage.completion_tokens_details as Json | undefined)?.reasoning_tokens,
  );
}

function setChatUsage(call: LlmCall, usage: Json): void {
  const a: Attributes = {};
  chatUsageAttributes(a, usage);
  call.span.setAttributes(a);
}

function observeChatStream(call: LlmCall, stream: unknown, body: Json): void {
  const includeUsage = (body.stream_options as Json | undefined)?.include_usage === true;
  // Without usage in the stream the tokens are counted at its end: load the encoder meanwhile.
  if (!includeUsage) void countTextTokens(call.model, ' ');
  const ok = observeStream<Json>(stream, new ChatStreamObserver(call, body));
  if (!ok) call.span.end();
}

/**
 * What a chat stream's events do to its span: the stream's assembler and its observer in one
 * object (a class: no closures per stream, one call per chunk).
 */
class ChatStreamObserver extends ChatStreamAssembler implements StreamObserver<Json> {
  constructor(
    private readonly call: LlmCall,
    private readonly body: Json,
  ) {
    super();
  }

  onEvent(chunk: Json): void {
    if (this.add(chunk)) {
      const call = this.call;
      call.span.setAttribute(GEN_AI.responseTimeToFirstChunk, (Date.now() - call.startMs) / 1000);
    }
  }

  onEnd(): void {
    endChatStream(this.call, this, this.body);
  }

  onError(error: unknown): void {
    failLlmCall(this.call, error);
  }

  onCancel(): void {
    this.call.span.setAttribute('pyflare.llm.stream_cancelled', true);
    endChatStream(this.call, this, this.body);
  }
}

function endChatStream(call: LlmCall, assembler: ChatStreamAssembler, body: Json): void {
  const choices = assembler.result();
  if (assembler.usage) {
    finishChat(call, assembler.id, assembler.model, choices, assembler.usage);
    return;
  }
  // No usage in the stream (stream_options.include_usage not set): count the tokens ourselves,
  // and end the span at the time the stream ended.
  const endTime = Date.now();
  recordChatResult(call, assembler.id, assembler.model, choices);
  const model = assembler.model ?? call.model;
  const output = choices
    .map((c) => c.content + c.toolCalls.map((t) => t.name + t.arguments).join(''))
    .join('');
  trackPending(
    Promise.all([
      countChatPromptTokens(model, (body.messages as Json[] | undefined) ?? []),
      countTextTokens(model, output),
    ])
      .then(([prompt, completion]) => {
        call.span.setAttribute(PYFLARE.usageEstimated, true);
        setChatUsage(call, { prompt_tokens: prompt, completion_tokens: completion });
      })
      .catch((error: unknown) => internalError('token counting', error))
      .finally(() => call.span.end(endTime)),
  );
}

// ---------------------------------------------------------------- embeddings.create

function wrapEmbeddingsCreate(original: Create): Create {
  return function (this: unknown, ...args: unknown[]) {
    const body = (args[0] ?? {}) as Json;
    let call: LlmCall | undefined;
    safely('embeddings start', () => {
      const a: Attributes = {};
      setIf(a, GEN_AI.embeddingsDimensionCount, body.dimensions);
      setIf(
        a,
        GEN_AI.requestEncodingFormats,
        typeof body.encoding_format === 'string' ? [body.encoding_format] : undefined,
      );
      call = startLlmCall('embeddings', PROVIDER, str(body.model), a, baseUrlOf(this));
      setContent(call.span, 'input.value', body.input);
    });
    return callObserved(call, original, this, args, body, (c, value) => {
      const r = value as Json;
      const a: Attributes = {};
      setIf(a, GEN_AI.responseModel, r.model);
      const usage = usageOf(r);
      setIf(a, GEN_AI.usageInputTokens, usage?.prompt_tokens);
      const first = (r.data as Json[] | undefined)?.[0]?.embedding;
      if (Array.isArray(first)) a[GEN_AI.embeddingsDimensionCount] = first.length;
      c.span.setAttributes(a);
      setRetries(c);
      c.span.end();
    });
  };
}

// ---------------------------------------------------------------- responses.create

function wrapResponsesCreate(original: Create): Create {
  return function (this: unknown, ...args: unknown[]) {
    const body = (args[0] ?? {}) as Json;
    let call: LlmCall | undefined;
    safely('responses start', () => {
      const a: Attributes = {};
      setIf(a, GEN_AI.requestMaxTokens, body.max_output_tokens);
      setIf(a, GEN_AI.requestTemperature, body.temperature);
      setIf(a, GEN_AI.requestTopP, body.top_p);
      if (body.stream === true) a[PYFLARE.stream] = true;
      if (typeof body.previous_response_id === 'string')
        a['openai.response.previous_id'] = body.previous_response_id;
      recordToolResults(responsesToolResults(body.input));
      call = startLlmCall('chat', PROVIDER, str(body.model), a, baseUrlOf(this));
      if (typeof body.instructions === 'string') {
        setMessages(call.span, GEN_AI.systemInstructions, [
          { type: 'text', content: body.instructions },
        ]);
      }
      if (currentSettings().captureContent) {
        setMessages(call.span, GEN_AI.inputMessages, responsesInputMessages(body.input));
      }
    });
    return callObserved(call, original, this, args, body, (c, value) => {
      if (body.stream !== true) {
        finishResponse(c, value as Json);
        return;
      }
      let completed: Json | undefined;
      let first = true;
      const ok = observeStream<Json>(value, {
        onEvent(event) {
          if (first && event.type === 'response.output_text.delta') {
            first = false;
            c.span.setAttribute(GEN_AI.responseTimeToFirstChunk, (Date.now() - c.startMs) / 1000);
          }
          if (
            event.type === 'response.completed' ||
            event.type === 'response.incomplete' ||
            event.type === 'response.failed'
          ) {
            completed = event.response as Json;
          }
        },
        onEnd: () => (completed ? finishResponse(c, completed) : c.span.end()),
        onError: (error) => failLlmCall(c, error),
        onCancel: () => (completed ? finishResponse(c, completed) : c.span.end()),
      });
      if (!ok) c.span.end();
    });
  };
}

function finishResponse(call: LlmCall, r: Json): void {
  const span = call.span;
  const a: Attributes = {};
  setIf(a, GEN_AI.responseId, r.id);
  setIf(a, GEN_AI.responseModel, r.model);
  const usage = r.usage as Json | undefined;
  if (usage) {
    setIf(a, GEN_AI.usageInputTokens, usage.input_tokens);
    setIf(a, GEN_AI.usageOutputTokens, usage.output_tokens);
    setIf(
      a,
      GEN_AI.usageCacheReadInputTokens,
      (usage.input_tokens_details as Json | undefined)?.cached_tokens,
    );
    setIf(
      a,
      GEN_AI.usageReasoningTokens,
      (usage.output_tokens_details as Json | undefined)?.reasoning_tokens,
    );
  }
  const { messages, calls } = responsesOutput(r);
  if (messages[0]?.finish_reason) a[GEN_AI.responseFinishReasons] = [messages[0].finish_reason];
  span.setAttributes(a);
  setRetries(call);
  setMessages(span, GEN_AI.outputMessages, messages);
  rememberToolCalls(calls, span, call.parentCtx, PROVIDER);
  if (r.status === 'failed') {
    const err = r.error as Json | undefined;
    failLlmCall(
      call,
      Object.assign(new Error(String(err?.message ?? 'response failed')), {
        name: 'ResponseFailed',
      }),
    );
    return;
  }
  span.end();
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
