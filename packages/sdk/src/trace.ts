import {
  SpanKind,
  SpanStatusCode,
  context,
  trace as otelTrace,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import { applyContextAttributes } from './context.ts';
import { internalError } from './log.ts';
import { currentSettings } from './sdk.ts';
import { GENERAL, PYFLARE } from './semconv.ts';
import { contextWithSpan } from './tracer.ts';

/** How `trace()` and `@traced()` name and describe a span. */
export interface TraceOptions {
  /** OpenTelemetry span kind: 'internal' (default), 'server', 'client', 'producer', 'consumer'. */
  kind?: SpanKindName | SpanKind;
  /** Attributes set when the span starts. */
  attributes?: Attributes;
  /**
   * What the span is in PyFlare's model (`pyflare.span.kind`): 'chain', 'agent', 'tool',
   * 'retrieval', 'reranker', 'embedding', 'guardrail', 'evaluator', 'ml.inference', 'training'.
   */
  operation?: string;
}

export type SpanKindName = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

const KINDS: Record<SpanKindName, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/**
 * Starts a span the way every SDK span starts: on the SDK's tracer, as a child of `parent`, with
 * the context's user, session and tags when the SDK's own provider does not add them. Never
 * throws (a failing tracer gives a non-recording span).
 */
export function startSpan(name: string, options: SpanOptions | undefined, parent: Context): Span {
  try {
    const s = currentSettings();
    const span = s.tracer.startSpan(name, options, parent);
    if (!s.contextApplied && span.isRecording()) applyContextAttributes(span, parent);
    return span;
  } catch (error) {
    internalError('startSpan', error);
    return otelTrace.wrapSpanContext(otelTrace.getSpanContext(parent) ?? INVALID);
  }
}

const INVALID = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 };

/** Records `error` on `span` (status, exception event, `error.type`). Never throws. */
export function recordError(span: Span, error: unknown): void {
  try {
    if (error instanceof Error) {
      span.recordException(error);
      span.setAttribute(GENERAL.errorType, error.name || error.constructor?.name || 'Error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    } else {
      const message = typeof error === 'string' ? error : safeString(error);
      span.recordException(message);
      span.setAttribute(GENERAL.errorType, '_OTHER');
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
  } catch (e) {
    internalError('recordError', e);
  }
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return 'error';
  }
}

function spanOptions(options: TraceOptions | undefined): SpanOptions | undefined {
  if (options === undefined) return undefined;
  const kind = typeof options.kind === 'string' ? KINDS[options.kind] : options.kind;
  let attributes = options.attributes;
  if (options.operation !== undefined) {
    attributes = { ...attributes, [PYFLARE.spanKind]: options.operation };
  }
  return { kind, attributes };
}

/**
 * Runs `fn` inside a new span named `name`, child of the active span, and returns exactly what
 * `fn` returns. Sync functions, promises (the same promise object is returned) and generators
 * (sync and async: the span lasts until iteration ends) are traced to their real end; a throw
 * or rejection is recorded on the span and passed on unchanged.
 *
 * @example
 * ```ts
 * const answer = await trace('answer question', async (span) => {
 *   span.setAttribute('question.length', question.length);
 *   const docs = await trace('retrieve', () => store.search(question), { operation: 'retrieval' });
 *   return generate(question, docs);
 * }, { kind: 'server', attributes: { 'app.route': '/ask' } });
 * ```
 */
export function trace<T>(name: string, fn: (span: Span) => T, options?: TraceOptions): T {
  const parent = context.active();
  const span = startSpan(name, spanOptions(options), parent);
  return runInSpan(span, contextWithSpan(parent, span), fn);
}

/** Runs `fn(span)` in `ctx` and ends `span` when `fn`'s result is complete. */
export function runInSpan<T>(span: Span, ctx: Context, fn: (span: Span) => T): T {
  let result: T;
  try {
    result = context.with(ctx, fn, undefined, span);
  } catch (error) {
    recordError(span, error);
    span.end();
    throw error;
  }
  return settle(span, ctx, result);
}

function settle<T>(span: Span, ctx: Context, result: T): T {
  if (result === null || (typeof result !== 'object' && typeof result !== 'function')) {
    span.end();
    return result;
  }
  if (result instanceof Promise) {
    // Observed, not replaced: the caller gets the very promise `fn` returned (subclasses and
    // their extra methods included).
    result.then(
      () => span.end(),
      (error: unknown) => {
        recordError(span, error);
        span.end();
      },
    );
    return result;
  }
  const tag = Object.prototype.toString.call(result);
  if (tag === '[object Generator]')
    return tracedGenerator(result as unknown as Generator, span, ctx) as T;
  if (tag === '[object AsyncGenerator]') {
    return tracedAsyncGenerator(result as unknown as AsyncGenerator, span, ctx) as T;
  }
  if (typeof (result as { then?: unknown }).then === 'function') {
    // A thenable that is not a Promise (lazy query builders...): `then` is called once, here.
    return Promise.resolve(result).then(
      (v) => {
        span.end();
        return v;
      },
      (error: unknown) => {
        recordError(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

function tracedGenerator<Y, R, N>(gen: Generator<Y, R, N>, span: Span, ctx: Context) {
  let ended = false;
  const step = (method: 'next' | 'throw' | 'return', arg: unknown): IteratorResult<Y, R> => {
    if (ended) return gen[method](arg as never);
    try {
      const r = context.with(ctx, () => gen[method](arg as never));
      if (r.done) {
        ended = true;
        span.end();
      }
      return r;
    } catch (error) {
      ended = true;
      recordError(span, error);
      span.end();
      throw error;
    }
  };
  const wrapped: Generator<Y, R, N> = {
    next: (...args: [] | [N]) => step('next', args[0]),
    throw: (e: unknown) => step('throw', e),
    return: (v: R) => step('return', v),
    [Symbol.iterator]() {
      return wrapped;
    },
  } as Generator<Y, R, N>;
  return wrapped;
}

function tracedAsyncGenerator<Y, R, N>(gen: AsyncGenerator<Y, R, N>, span: Span, ctx: Context) {
  let ended = false;
  const step = async (
    method: 'next' | 'throw' | 'return',
    arg: unknown,
  ): Promise<IteratorResult<Y, R>> => {
    if (ended) return gen[method](arg as never);
    try {
      const r = await context.with(ctx, () => gen[method](arg as never));
      if (r.done) {
        ended = true;
        span.end();
      }
      return r;
    } catch (error) {
      ended = true;
      recordError(span, error);
      span.end();
      throw error;
    }
  };
  const wrapped: AsyncGenerator<Y, R, N> = {
    next: (...args: [] | [N]) => step('next', args[0]),
    throw: (e: unknown) => step('throw', e),
    return: (v: R | PromiseLike<R>) => step('return', v),
    [Symbol.asyncIterator]() {
      return wrapped;
    },
  } as AsyncGenerator<Y, R, N>;
  return wrapped;
}
