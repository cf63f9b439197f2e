import {
  SpanKind,
  context,
  trace as otelTrace,
  type Context,
  type HrTime,
  type Span,
} from '@opentelemetry/api';
import { hrTimeToMilliseconds, millisToHrTime } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { setContent } from '../content.ts';
import { internalError } from '../log.ts';
import { GEN_AI } from '../semconv.ts';
import { runInSpan, startSpan } from '../trace.ts';

/**
 * Tool calls as spans. A model asks for tool calls in one response and gets their results in the
 * next request; the application runs the tools in between. The integrations remember each call a
 * response asked for (id, name, arguments, when the response ended) and, when a later request
 * carries its result, record an `execute_tool <name>` span from the end of the asking response to
 * the start of the answering request, with the arguments and the result. A tool run inside
 * {@link traceToolCall} is recorded there instead, with its real timing.
 */

export interface ToolCall {
  id: string;
  name: string;
  arguments: unknown;
}

interface Pending extends ToolCall {
  /** When the asking response was seen; its span's own end time is used once it has one. */
  endMs: number;
  callSpan: Span;
  parent: Context;
  provider: string;
}

const MAX_PENDING = 2000;
const TTL_MS = 15 * 60_000;
const pending = new Map<string, Pending>();
/** Ids whose span was recorded by traceToolCall (so no second span is made from the result). */
const recorded = new Map<string, number>();

/**
 * Remembers the tool calls a response asked for. `callSpan` is the span of that response and
 * `parentCtx` the context it was made in: tool spans become children of the same parent (siblings
 * of the LLM calls, as an agent's steps are), or of the call span when it had no parent.
 */
export function rememberToolCalls(
  calls: readonly ToolCall[],
  callSpan: Span,
  parentCtx: Context,
  provider: string,
): void {
  if (calls.length === 0) return;
  const now = Date.now();
  const parent = otelTrace.getSpan(parentCtx) ? parentCtx : otelTrace.setSpan(parentCtx, callSpan);
  for (const c of calls) {
    if (!c.id) continue;
    pending.set(c.id, { ...c, endMs: now, callSpan, parent, provider });
  }
  prune(now);
}

/** False when no tool call is waiting for its result (so a request's messages need no scan). */
export function hasPendingToolCalls(): boolean {
  return pending.size > 0 || recorded.size > 0;
}

/** Records the tool spans whose results arrive in a request about to be sent. */
export function recordToolResults(results: readonly { id: string; result: unknown }[]): void {
  if (results.length === 0 || (pending.size === 0 && recorded.size === 0)) return;
  const now = Date.now();
  for (const r of results) {
    if (recorded.delete(r.id)) {
      pending.delete(r.id);
      continue;
    }
    const p = pending.get(r.id);
    if (!p) continue;
    pending.delete(r.id);
    try {
      const start = askingEnd(p);
      const span = startSpan(
        `execute_tool ${p.name}`,
        {
          kind: SpanKind.INTERNAL,
          startTime: start,
          attributes: toolAttributes(p, p.provider),
        },
        p.parent,
      );
      setContent(span, GEN_AI.toolCallArguments, p.arguments);
      setContent(span, GEN_AI.toolCallResult, r.result);
      span.end(Math.max(now, hrTimeToMilliseconds(start)));
    } catch (error) {
      internalError('tool span', error);
    }
  }
}

/**
 * The end of the asking response: its span's end time (the same clock reading the stored span
 * carries, so the tool span never seems to start before the response ended), or the time the
 * response was seen when that span has not ended or is not one of ours.
 */
function askingEnd(p: Pending): HrTime {
  const end = (p.callSpan as Partial<ReadableSpan>).endTime;
  if (Array.isArray(end) && (end[0] !== 0 || end[1] !== 0)) return end;
  return millisToHrTime(p.endMs);
}

function toolAttributes(c: ToolCall, provider?: string) {
  return {
    [GEN_AI.operationName]: 'execute_tool',
    [GEN_AI.toolName]: c.name,
    [GEN_AI.toolCallId]: c.id,
    [GEN_AI.toolType]: 'function',
    ...(provider ? { [GEN_AI.providerName]: provider } : {}),
  };
}

/**
 * Runs a tool the model asked for inside an `execute_tool <name>` span with its real timing,
 * arguments and result (content capture permitting), and returns what `run` returns.
 * Accepts the OpenAI shape (`{ id, function: { name, arguments } }`), the Anthropic `tool_use`
 * block (`{ id, name, input }`) or `{ id, name, arguments }`.
 *
 * @example
 * ```ts
 * for (const call of completion.choices[0].message.tool_calls ?? []) {
 *   const result = await traceToolCall(call, (args) => tools[call.function.name](args));
 *   messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
 * }
 * ```
 */
export function traceToolCall<T>(
  call:
    | { id: string; function: { name: string; arguments: string } }
    | { id: string; name: string; input: unknown }
    | ToolCall,
  run: (args: unknown) => T,
): T {
  let c: ToolCall;
  try {
    c = normalizeCall(call);
  } catch {
    return run(undefined);
  }
  const active = context.active();
  const parentCtx = otelTrace.getSpan(active) ? active : (pending.get(c.id)?.parent ?? active);
  const span = startSpan(
    `execute_tool ${c.name}`,
    { kind: SpanKind.INTERNAL, attributes: toolAttributes(c) },
    parentCtx,
  );
  setContent(span, GEN_AI.toolCallArguments, c.arguments);
  if (c.id) recorded.set(c.id, Date.now());
  const args = c.arguments;
  return runInSpan(span, otelTrace.setSpan(parentCtx, span), () => {
    const out = run(args);
    if (out instanceof Promise) {
      return out.then((v: unknown) => {
        setContent(span, GEN_AI.toolCallResult, v);
        return v;
      }) as T;
    }
    setContent(span, GEN_AI.toolCallResult, out);
    return out;
  });
}

function normalizeCall(call: unknown): ToolCall {
  const c = call as {
    id?: string;
    name?: string;
    input?: unknown;
    arguments?: unknown;
    function?: { name?: string; arguments?: unknown };
  };
  const name = c.function?.name ?? c.name ?? 'tool';
  let args = c.function?.arguments ?? c.arguments ?? c.input;
  if (typeof args === 'string') {
    try {
      args = JSON.parse(args) as unknown;
    } catch {
      // keep the text
    }
  }
  return { id: c.id ?? '', name, arguments: args };
}

function prune(now: number): void {
  if (pending.size <= MAX_PENDING && recorded.size <= MAX_PENDING) {
    // cheap path: only expire when large or old entries may exist
    const first = pending.values().next().value;
    if (!first || now - first.endMs < TTL_MS) return;
  }
  for (const [id, p] of pending) {
    if (pending.size > MAX_PENDING || now - p.endMs > TTL_MS) pending.delete(id);
    else break;
  }
  for (const [id, t] of recorded) {
    if (recorded.size > MAX_PENDING || now - t > TTL_MS) recorded.delete(id);
    else break;
  }
}
