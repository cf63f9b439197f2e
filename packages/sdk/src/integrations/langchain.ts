import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import type { BaseMessage } from '@langchain/core/messages';
import type { LLMResult } from '@langchain/core/outputs';
import type { AgentAction, AgentFinish } from '@langchain/core/agents';
import type { DocumentInterface } from '@langchain/core/documents';
import type { ChainValues } from '@langchain/core/utils/types';
import {
  SpanKind,
  context,
  trace as otelTrace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { setContent, setMessages, type ChatMessage, type MessagePart } from '../content.ts';
import { internalError } from '../log.ts';
import { currentSettings } from '../sdk.ts';
import { GEN_AI, PYFLARE } from '../semconv.ts';
import { recordError, startSpan } from '../trace.ts';
import { setIf } from './llm.ts';

/**
 * LangChain.js callbacks → OpenTelemetry spans: one trace per run, nested as LangChain nests its
 * runs (`parentRunId`), under whatever span is active when the outermost run starts. Chains are
 * `chain` spans (agents `invoke_agent`), chat models and LLMs `chat` / `text_completion` CLIENT
 * spans with model, tokens and messages, tools `execute_tool`, retrievers `retrieval` with the
 * documents and their scores, agent actions and finishes events on the agent's span.
 */

type Json = Record<string, unknown>;

interface Run {
  span: Span;
  ctx: Context;
  startMs: number;
  firstToken: boolean;
  /** A model run's entry in {@link PyflareCallbackHandler.modelRuns}, released at its end. */
  inFlight?: { counts: ModelRunCounts; streaming: boolean };
}

/** Model runs started and not yet ended in one OpenTelemetry context, by whether they stream. */
interface ModelRunCounts {
  streaming: number;
  plain: number;
}

const MAX_RUNS = 10_000;

function release(run: Run): void {
  const f = run.inFlight;
  if (!f) return;
  run.inFlight = undefined;
  if (f.streaming) f.counts.streaming--;
  else f.counts.plain--;
}

/**
 * A LangChain callback handler that records every run as a span. Pass it in `callbacks` of an
 * invocation (or a constructor) — one handler can serve every request.
 *
 * @example
 * ```ts
 * import { PyflareCallbackHandler } from '@pyflare/sdk/langchain';
 *
 * const handler = new PyflareCallbackHandler();
 * const answer = await chain.invoke({ question }, { callbacks: [handler] });
 * ```
 */
export class PyflareCallbackHandler extends BaseCallbackHandler {
  name = 'pyflare';
  /** Called inline, so the spans nest under the caller's active span and are never late. */
  override awaitHandlers = true;
  private readonly runs = new Map<string, Run>();
  private readonly modelRuns = new WeakMap<Context, ModelRunCounts>();

  /**
   * Asks LangChain to run a chat model or LLM configured with `streaming: true` through its
   * stream path (`_streamResponseChunks`, chunks aggregated), the path `.stream()` takes.
   * Without it, `invoke()` on such a model goes through `_generate`, which always estimates the
   * tokens with a tokenizer LangChain downloads from tiktoken.pages.dev (retried with backoff:
   * slow, or stuck, without internet), although the stream carries the provider's usage.
   * LangChain reads this once per model call, right after `handleChatModelStart`, in the
   * caller's context: true only while a streaming model run, and no non-streaming one, is in
   * flight in that context, so a non-streaming call's request is never changed.
   */
  get lc_prefer_streaming(): boolean {
    const n = this.modelRuns.get(context.active());
    return n !== undefined && n.streaming > 0 && n.plain === 0;
  }

  private start(
    runId: string,
    parentRunId: string | undefined,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
  ): Run | undefined {
    try {
      const parentCtx = (parentRunId && this.runs.get(parentRunId)?.ctx) || context.active();
      const span = startSpan(name, { kind, attributes }, parentCtx);
      const run: Run = {
        span,
        ctx: otelTrace.setSpan(parentCtx, span),
        startMs: Date.now(),
        firstToken: true,
      };
      if (this.runs.size >= MAX_RUNS) {
        const oldest = this.runs.entries().next().value;
        if (oldest !== undefined) {
          this.runs.delete(oldest[0]);
          release(oldest[1]);
        }
      }
      this.runs.set(runId, run);
      return run;
    } catch (error) {
      internalError('langchain start', error);
      return undefined;
    }
  }

  private end(runId: string, fn?: (run: Run) => void): void {
    const run = this.runs.get(runId);
    if (!run) return;
    this.runs.delete(runId);
    release(run);
    try {
      fn?.(run);
    } catch (error) {
      internalError('langchain end', error);
    }
    run.span.end();
  }

  private fail(runId: string, err: unknown): void {
    this.end(runId, (run) => recordError(run.span, err));
  }

  // ------------------------------------------------------------------------------ chains

  override handleChainStart(
    chain: Serialized,
    inputs: ChainValues,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    runType?: string,
    runName?: string,
  ): void {
    const name = runName ?? lastId(chain) ?? 'chain';
    const isAgent = /agent/i.test(name) || /agent/i.test(String(runType ?? ''));
    const attributes: Attributes = isAgent
      ? { [GEN_AI.operationName]: 'invoke_agent', [GEN_AI.agentName]: name }
      : { [PYFLARE.spanKind]: 'chain' };
    if (tags && tags.length > 0) attributes['langchain.tags'] = tags;
    const threadId = metadata?.thread_id ?? metadata?.session_id ?? metadata?.conversation_id;
    if (typeof threadId === 'string') attributes[GEN_AI.conversationId] = threadId;
    const run = this.start(
      runId,
      parentRunId,
      isAgent ? `invoke_agent ${name}` : name,
      SpanKind.INTERNAL,
      attributes,
    );
    if (run) setContent(run.span, 'input.value', inputs);
  }

  override handleChainEnd(outputs: ChainValues, runId: string): void {
    this.end(runId, (run) => setContent(run.span, 'output.value', outputs));
  }

  override handleChainError(err: Error, runId: string): void {
    this.fail(runId, err);
  }

  override handleAgentAction(action: AgentAction, runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    const s = currentSettings();
    run.span.addEvent('agent_action', {
      'gen_ai.tool.name': action.tool,
      ...(s.captureContent
        ? { 'agent.tool_input': toJson(action.toolInput), 'agent.log': action.log ?? '' }
        : {}),
    });
  }

  override handleAgentEnd(action: AgentFinish, runId: string): void {
    const run = this.runs.get(runId);
    if (!run) return;
    const s = currentSettings();
    run.span.addEvent(
      'agent_finish',
      s.captureContent ? { 'agent.output': toJson(action.returnValues) } : {},
    );
  }

  // ------------------------------------------------------------------------------ models

  override handleChatModelStart(
    llm: Serialized,
    messages: BaseMessage[][],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    const run = this.startModel('chat', llm, runId, parentRunId, extraParams, metadata);
    if (run && currentSettings().captureContent) {
      setMessages(run.span, GEN_AI.inputMessages, (messages[0] ?? []).map(fromLangChain));
    }
  }

  override handleLLMStart(
    llm: Serialized,
    prompts: string[],
    runId: string,
    parentRunId?: string,
    extraParams?: Record<string, unknown>,
    _tags?: string[],
    metadata?: Record<string, unknown>,
  ): void {
    const run = this.startModel('text_completion', llm, runId, parentRunId, extraParams, metadata);
    if (run) {
      setMessages(
        run.span,
        GEN_AI.inputMessages,
        prompts.map((p) => ({ role: 'user', parts: [{ type: 'text', content: p }] })),
      );
    }
  }

  private startModel(
    operation: 'chat' | 'text_completion',
    llm: Serialized,
    runId: string,
    parentRunId: string | undefined,
    extraParams: Record<string, unknown> | undefined,
    metadata: Record<string, unknown> | undefined,
  ): Run | undefined {
    const params = (extraParams?.invocation_params ?? {}) as Json;
    const model =
      str(metadata?.ls_model_name) ??
      str(params.model) ??
      str(params.model_name) ??
      str(params.modelName);
    const provider = str(metadata?.ls_provider) ?? providerFromId(llm) ?? 'langchain';
    const attributes: Attributes = {
      [GEN_AI.operationName]: operation,
      [GEN_AI.providerName]: provider,
    };
    if (model) attributes[GEN_AI.requestModel] = model;
    setIf(attributes, GEN_AI.requestTemperature, metadata?.ls_temperature ?? params.temperature);
    setIf(
      attributes,
      GEN_AI.requestMaxTokens,
      metadata?.ls_max_tokens ?? params.max_tokens ?? params.max_completion_tokens,
    );
    const streaming = params.stream === true || params.streaming === true;
    if (streaming) attributes[PYFLARE.stream] = true;
    const run = this.start(
      runId,
      parentRunId,
      model ? `${operation} ${model}` : operation,
      SpanKind.CLIENT,
      attributes,
    );
    if (run) {
      const active = context.active();
      let counts = this.modelRuns.get(active);
      if (!counts) this.modelRuns.set(active, (counts = { streaming: 0, plain: 0 }));
      if (streaming) counts.streaming++;
      else counts.plain++;
      run.inFlight = { counts, streaming };
    }
    return run;
  }

  override handleLLMNewToken(_token: string, _idx: unknown, runId: string): void {
    const run = this.runs.get(runId);
    if (run?.firstToken) {
      run.firstToken = false;
      run.span.setAttribute(GEN_AI.responseTimeToFirstChunk, (Date.now() - run.startMs) / 1000);
    }
  }

  override handleLLMEnd(output: LLMResult, runId: string): void {
    this.end(runId, (run) => recordModelResult(run.span, output));
  }

  override handleLLMError(err: Error, runId: string): void {
    this.fail(runId, err);
  }

  // ------------------------------------------------------------------------------ tools

  override handleToolStart(
    tool: Serialized,
    input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): void {
    const name = runName ?? (tool as { name?: string }).name ?? lastId(tool) ?? 'tool';
    const attributes: Attributes = {
      [GEN_AI.operationName]: 'execute_tool',
      [GEN_AI.toolName]: name,
      [GEN_AI.toolType]: 'function',
    };
    if (toolCallId) attributes[GEN_AI.toolCallId] = toolCallId;
    const run = this.start(
      runId,
      parentRunId,
      `execute_tool ${name}`,
      SpanKind.INTERNAL,
      attributes,
    );
    if (run) setContent(run.span, GEN_AI.toolCallArguments, input);
  }

  override handleToolEnd(output: unknown, runId: string): void {
    this.end(runId, (run) => {
      const content = (output as { content?: unknown } | null)?.content;
      setContent(run.span, GEN_AI.toolCallResult, content ?? output);
      const id = (output as { tool_call_id?: unknown } | null)?.tool_call_id;
      if (typeof id === 'string') run.span.setAttribute(GEN_AI.toolCallId, id);
    });
  }

  override handleToolError(err: Error, runId: string): void {
    this.fail(runId, err);
  }

  // ------------------------------------------------------------------------------ retrievers

  override handleRetrieverStart(
    retriever: Serialized,
    query: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    _metadata?: Record<string, unknown>,
    name?: string,
  ): void {
    const source = name ?? lastId(retriever) ?? 'retriever';
    const run = this.start(runId, parentRunId, `retrieval ${source}`, SpanKind.INTERNAL, {
      [GEN_AI.operationName]: 'retrieval',
      [GEN_AI.dataSourceId]: source,
    });
    if (run) setContent(run.span, GEN_AI.retrievalQueryText, query);
  }

  override handleRetrieverEnd(documents: DocumentInterface[], runId: string): void {
    this.end(runId, (run) => {
      run.span.setAttribute('retrieval.document_count', documents.length);
      const docs = documents.map((d) => {
        const metadata = (d.metadata ?? {}) as Json;
        const score =
          metadata.score ?? metadata.relevance_score ?? metadata._score ?? metadata.similarity;
        return {
          ...(d.id !== undefined
            ? { id: d.id }
            : metadata.id !== undefined
              ? { id: String(metadata.id) }
              : {}),
          content: d.pageContent,
          ...(typeof score === 'number' ? { score } : {}),
          metadata,
        };
      });
      setMessages(run.span, GEN_AI.retrievalDocuments, docs as unknown as MessagePart[]);
    });
  }

  override handleRetrieverError(err: Error, runId: string): void {
    this.fail(runId, err);
  }
}

function recordModelResult(span: Span, output: LLMResult): void {
  const generations = output.generations?.[0] ?? [];
  const a: Attributes = {};
  const llmOutput = (output.llmOutput ?? {}) as Json;
  const tokenUsage = (llmOutput.tokenUsage ?? llmOutput.estimatedTokenUsage) as Json | undefined;
  const first = generations[0] as { message?: Json; generationInfo?: Json } | undefined;
  const message = first?.message;
  const usageMeta = message?.usage_metadata as Json | undefined;
  const responseMeta = (message?.response_metadata ?? {}) as Json;
  setIf(a, GEN_AI.usageInputTokens, usageMeta?.input_tokens ?? tokenUsage?.promptTokens);
  setIf(a, GEN_AI.usageOutputTokens, usageMeta?.output_tokens ?? tokenUsage?.completionTokens);
  const details = (usageMeta?.input_token_details ?? {}) as Json;
  setIf(a, GEN_AI.usageCacheReadInputTokens, details.cache_read);
  setIf(a, GEN_AI.usageCacheCreationInputTokens, details.cache_creation);
  setIf(
    a,
    GEN_AI.responseModel,
    responseMeta.model_name ?? responseMeta.model ?? llmOutput.model_name,
  );
  setIf(a, GEN_AI.responseId, (message as { id?: unknown } | undefined)?.id ?? responseMeta.id);
  const reasons = generations
    .map((g) => {
      const info = (g as { generationInfo?: Json }).generationInfo;
      const meta = ((g as { message?: Json }).message?.response_metadata ?? {}) as Json;
      return str(info?.finish_reason) ?? str(meta.finish_reason) ?? str(meta.stop_reason);
    })
    .filter((r): r is string => r !== undefined);
  if (reasons.length > 0) a[GEN_AI.responseFinishReasons] = reasons;
  span.setAttributes(a);
  const out: ChatMessage[] = generations.map((g) => {
    const m = (g as { message?: BaseMessage }).message;
    if (m) return { ...fromLangChain(m), role: 'assistant' };
    return { role: 'assistant', parts: [{ type: 'text', content: g.text }] };
  });
  setMessages(span, GEN_AI.outputMessages, out);
}

const ROLES: Record<string, string> = {
  human: 'user',
  ai: 'assistant',
  system: 'system',
  tool: 'tool',
  function: 'tool',
  generic: 'user',
  developer: 'system',
};

/** A LangChain message in the GenAI parts format. */
export function fromLangChain(m: BaseMessage): ChatMessage {
  const type =
    typeof (m as { type?: unknown }).type === 'string'
      ? (m as { type: string }).type
      : (m.getType?.() ?? 'human');
  const role = ROLES[type] ?? type;
  const parts: MessagePart[] = [];
  if (role === 'tool') {
    parts.push({
      type: 'tool_call_response',
      id: String((m as { tool_call_id?: unknown }).tool_call_id ?? ''),
      response: m.content,
    });
    return { role, parts };
  }
  if (typeof m.content === 'string') {
    if (m.content !== '') parts.push({ type: 'text', content: m.content });
  } else if (Array.isArray(m.content)) {
    for (const block of m.content as Json[]) {
      if (block?.type === 'text') parts.push({ type: 'text', content: String(block.text ?? '') });
      else if (typeof block?.type === 'string' && block.type !== 'tool_use')
        parts.push({ type: block.type });
    }
  }
  for (const tc of ((m as { tool_calls?: Json[] }).tool_calls ?? []) as Json[]) {
    parts.push({
      type: 'tool_call',
      id: String(tc.id ?? ''),
      name: String(tc.name ?? ''),
      arguments: tc.args,
    });
  }
  return { role, parts };
}

function lastId(s: Serialized | undefined): string | undefined {
  const id = (s as { id?: unknown } | undefined)?.id;
  return Array.isArray(id) && id.length > 0 ? String(id[id.length - 1]) : undefined;
}

function providerFromId(s: Serialized): string | undefined {
  const id = (s as { id?: unknown }).id;
  if (!Array.isArray(id)) return undefined;
  // ["langchain", "chat_models", "openai", "ChatOpenAI"]
  const known = [
    'openai',
    'anthropic',
    'google_genai',
    'mistralai',
    'ollama',
    'groq',
    'bedrock',
    'azure_openai',
    'cohere',
  ];
  return id.map(String).find((p) => known.includes(p));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function toJson(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}
