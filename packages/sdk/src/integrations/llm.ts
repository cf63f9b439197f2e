import {
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  createContextKey,
  trace as otelTrace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import { internalError } from '../log.ts';
import { GEN_AI, GENERAL, PYFLARE, type GenAiOperation } from '../semconv.ts';
import { currentSettings } from '../sdk.ts';
import { startSpan } from '../trace.ts';
import { LeanTracer, contextWithSpan } from '../tracer.ts';

/**
 * What every LLM client integration shares: the CLIENT span of one API call (named
 * `{operation} {model}` as the GenAI conventions ask), HTTP attempts counted through the
 * client's own request function, and errors classified.
 */

export interface LlmCall {
  span: Span;
  /** The context the client call runs in (the span active, plus the attempt counter). */
  ctx: Context;
  /** The context the call was made in (the span's parent). */
  parentCtx: Context;
  attempts: { count: number };
  startMs: number;
  model: string;
}

const ATTEMPTS = createContextKey('pyflare.llm.attempts');

const servers = new Map<string, { address: string; port: number } | undefined>();

/** `server.address` / `server.port` of a base URL, parsed once per URL. */
function serverOf(baseUrl: string): { address: string; port: number } | undefined {
  if (servers.has(baseUrl)) return servers.get(baseUrl);
  let server: { address: string; port: number } | undefined;
  try {
    const u = new URL(baseUrl);
    server = {
      address: u.hostname,
      port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80,
    };
  } catch {
    server = undefined;
  }
  if (servers.size < 100) servers.set(baseUrl, server);
  return server;
}

const names = new Map<string, Map<string, string>>();

/**
 * `{operation} {model}`, one string per pair (at most 100 models per operation): each span keeps
 * its name until it is exported, so a shared string is memory the queue does not hold per span.
 */
function spanName(operation: string, model: string): string {
  let perModel = names.get(operation);
  if (!perModel) names.set(operation, (perModel = new Map()));
  let name = perModel.get(model);
  if (name === undefined) {
    name = `${operation} ${model}`;
    if (perModel.size < 100) perModel.set(model, name);
  }
  return name;
}

/**
 * `startSpan` (trace.ts) for an LLM call's span: on PyFlare's lean tracer the span takes the
 * call's fresh attribute object as its own (`startSpanOwned`); any other tracer goes through
 * `startSpan`. Never throws.
 */
function startCallSpan(name: string, options: SpanOptions, parent: Context): Span {
  const s = currentSettings();
  const tracer = s.tracer;
  // With the SDK's own provider, its processor writes the context's user, session and tags
  // (`startSpan` writes them itself for other tracers).
  if (!(tracer instanceof LeanTracer) || !s.contextApplied) return startSpan(name, options, parent);
  try {
    return tracer.startSpanOwned(name, options, parent);
  } catch (error) {
    internalError('startSpan', error);
    return otelTrace.wrapSpanContext(otelTrace.getSpanContext(parent) ?? INVALID_SPAN_CONTEXT);
  }
}

export function startLlmCall(
  operation: GenAiOperation,
  provider: string,
  model: string | undefined,
  attributes: Attributes,
  baseUrl: string | undefined,
): LlmCall {
  const parentCtx = context.active();
  // `attributes` is the caller's fresh object: completed in place, not copied.
  const attrs = attributes;
  attrs[GEN_AI.operationName] = operation;
  attrs[GEN_AI.providerName] = provider;
  if (model) attrs[GEN_AI.requestModel] = model;
  if (baseUrl) {
    const server = serverOf(baseUrl);
    if (server) {
      attrs[GENERAL.serverAddress] = server.address;
      attrs[GENERAL.serverPort] = server.port;
    }
  }
  const span = startCallSpan(
    model ? spanName(operation, model) : operation,
    { kind: SpanKind.CLIENT, attributes: attrs },
    parentCtx,
  );
  const attempts = { count: 0 };
  const ctx = contextWithSpan(parentCtx, span, ATTEMPTS, attempts);
  return { span, ctx, parentCtx, attempts, startMs: Date.now(), model: model ?? '' };
}

/**
 * Wraps a Stainless client's `fetchWithTimeout` (openai, @anthropic-ai/sdk) on the instance, so
 * each HTTP attempt of an instrumented call is counted: retries = attempts - 1.
 */
export function countAttempts(client: unknown): void {
  try {
    const c = client as { fetchWithTimeout?: (...args: unknown[]) => Promise<Response> };
    const original = c.fetchWithTimeout;
    if (typeof original !== 'function' || (original as { [WRAPPED]?: true })[WRAPPED]) return;
    // Not async, and the client's own promise returned: no extra promise or microtask on the
    // request path.
    const wrapped = function (this: unknown, ...args: unknown[]): Promise<Response> {
      const attempts = context.active().getValue(ATTEMPTS) as LlmCall['attempts'] | undefined;
      if (attempts) attempts.count++;
      return original.apply(this, args);
    };
    (wrapped as { [WRAPPED]?: true })[WRAPPED] = true;
    Object.defineProperty(c, 'fetchWithTimeout', {
      value: wrapped,
      configurable: true,
      writable: true,
    });
  } catch (error) {
    internalError('countAttempts', error);
  }
}

export const WRAPPED: unique symbol = Symbol.for('pyflare.wrapped');

/** Sets the retry count (when there were retries) on the call's span. */
export function setRetries(call: LlmCall): void {
  if (call.attempts.count > 1) call.span.setAttribute(PYFLARE.retryCount, call.attempts.count - 1);
}

export type ErrorClass =
  | 'rate_limit'
  | 'auth'
  | 'timeout'
  | 'bad_request'
  | 'not_found'
  | 'server'
  | 'connection'
  | 'cancelled'
  | 'stream'
  | 'unknown';

/** Classifies a client error by its class name and HTTP status (openai, Anthropic, fetch). */
export function classifyError(error: unknown): { type: ErrorClass; status?: number } {
  const e = error as { status?: unknown; name?: unknown; constructor?: { name?: string } } | null;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const name = String(
    (typeof e?.name === 'string' && e.name !== 'Error' ? e.name : e?.constructor?.name) ?? '',
  );
  if (/Timeout/i.test(name) || status === 408) return { type: 'timeout', status };
  if (/Abort/i.test(name)) return { type: 'cancelled', status };
  if (status === 429 || /RateLimit/i.test(name)) return { type: 'rate_limit', status };
  if (status === 401 || status === 403 || /Authentication|PermissionDenied/i.test(name)) {
    return { type: 'auth', status };
  }
  if (status === 404 || /NotFound/i.test(name)) return { type: 'not_found', status };
  if (status !== undefined && status >= 400 && status < 500) return { type: 'bad_request', status };
  if ((status !== undefined && status >= 500) || /InternalServer|Overloaded/i.test(name)) {
    return { type: 'server', status };
  }
  if (/Connection/i.test(name)) return { type: 'connection', status };
  return { type: 'unknown', status };
}

/** Ends the call's span as failed. Never throws. */
export function failLlmCall(call: LlmCall, error: unknown): void {
  try {
    const { type, status } = classifyError(error);
    const span = call.span;
    span.setAttribute(GENERAL.errorType, type);
    if (status !== undefined) span.setAttribute(GENERAL.httpStatusCode, status);
    setRetries(call);
    if (error instanceof Error) span.recordException(error);
    const message = error instanceof Error ? error.message : String(error);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: `${type}${status ? ` (${status})` : ''}: ${message}`,
    });
    span.end();
  } catch (e) {
    internalError('failLlmCall', e);
  }
}

const shared = new Map<string, string>();

/**
 * One string for each of a few values that repeat across calls (response models, finish
 * reasons): a parsed response brings a fresh copy each time, and a span keeps its attributes until
 * it is exported, so a shared string is memory the export queue does not hold per span. At most
 * 200 values of at most 100 characters; others are returned as they are.
 */
export function sharedString(value: string): string {
  const known = shared.get(value);
  if (known !== undefined) return known;
  if (shared.size < 200 && value.length <= 100) shared.set(value, value);
  return value;
}

const reasonLists = new Map<string, readonly string[]>();

/** `[reason]`, one frozen array per reason (spans store frozen arrays without a copy). */
export function finishReasonList(reason: string): readonly string[] {
  let list = reasonLists.get(reason);
  if (list === undefined) {
    list = Object.freeze([sharedString(reason)]);
    if (reasonLists.size < 50) reasonLists.set(reason, list);
  }
  return list;
}

/** Sets the attribute only for a real value (not undefined, null or NaN). */
export function setIf(attrs: Attributes, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) attrs[key] = value;
  } else if (typeof value === 'string' || typeof value === 'boolean') attrs[key] = value;
  else if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === 'string');
    if (strings.length > 0) attrs[key] = strings;
  }
}

/** Runs `observe` and swallows what it throws: instrumentation never fails the host call. */
export function safely(where: string, observe: () => void): void {
  try {
    observe();
  } catch (error) {
    internalError(where, error);
  }
}

/** Parses JSON tool arguments, keeping the text when they do not parse. */
export function parseArgs(args: unknown): unknown {
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args) as unknown;
  } catch {
    return args;
  }
}
