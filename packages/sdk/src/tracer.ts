import {
  INVALID_SPAN_CONTEXT,
  SamplingDecision,
  SpanKind,
  TraceFlags,
  context as contextApi,
  createContextKey,
  isSpanContextValid,
  trace as otelTrace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { isAttributeValue, isTracingSuppressed, sanitizeAttributes } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type IdGenerator,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace-base';
import { LeanSpan, type SpanShared } from './span.ts';

/**
 * PyFlare's tracer: `Tracer.startSpan` of the OpenTelemetry SDK (sdk-trace 2.x, `Tracer.js`)
 * rewritten for the hot path, making {@link LeanSpan}s. It is built from the provider's own OTel
 * tracer (`fromOtelTracer`): the same sampler, id generator, resource, span limits and span
 * processors (the provider's, so the batch processor and exporter are shared), and it reads and
 * writes the span in the same context slot, so spans of either tracer parent each other.
 *
 * Why hand-written: `trace()` must stay under 2 µs per span, and the OTel SDK's own
 * `startActiveSpan` + `end` was above that on the machines we measure on (see
 * `docs/architecture/sdk.md`). What differs from the SDK's tracer: no span metrics (the provider
 * `init()` builds has no meter provider, so the SDK's are no-ops), no regex validation of a parent
 * that is one of our own spans (valid by construction), and {@link contextWithSpan} instead of a
 * copy of the whole context per span.
 */

const SPAN_KEY = createContextKey('OpenTelemetry Context Key SPAN');
const NO_OPTIONS: SpanOptions = Object.freeze({});
const NO_LINKS: Link[] = [];
const SAMPLED: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });
const DROPPED: SamplingResult = Object.freeze({ decision: SamplingDecision.NOT_RECORD });

/**
 * True when `sampler` is a `ParentBasedSampler` whose local-parent delegates are the defaults
 * (AlwaysOn when the parent is sampled, AlwaysOff when not), as the one `init()` builds: then a
 * span with a local parent follows the parent's sampled flag, and the tracer decides that itself
 * without the sampler's second lookup and validation of the parent. Anything else asks the sampler.
 */
function followsLocalParent(sampler: Sampler): boolean {
  if (!(sampler instanceof ParentBasedSampler)) return false;
  const s = sampler as unknown as {
    _localParentSampled?: unknown;
    _localParentNotSampled?: unknown;
  };
  return (
    s._localParentSampled instanceof AlwaysOnSampler &&
    s._localParentNotSampled instanceof AlwaysOffSampler
  );
}

/** The provider-level parts of an OTel SDK tracer, by their field names in sdk-trace 2.x. */
interface OtelTracerInternals {
  instrumentationScope?: SpanShared['scope'];
  _sampler?: Sampler;
  _spanLimits?: SpanShared['limits'];
  _resource?: SpanShared['resource'];
  _idGenerator?: IdGenerator;
  _spanProcessor?: SpanShared['processor'];
}

export class LeanTracer implements Tracer {
  private readonly shared: SpanShared;
  private readonly localParentDecides: boolean;

  private constructor(
    shared: SpanShared,
    private readonly sampler: Sampler,
    private readonly ids: IdGenerator,
  ) {
    this.shared = shared;
    this.localParentDecides = followsLocalParent(sampler);
  }

  /**
   * A lean tracer with the configuration of `tracer` (an OTel SDK tracer of the provider), or
   * undefined when `tracer` does not have the shape this was written against (another SDK
   * version): the caller then keeps the OTel tracer.
   */
  static fromOtelTracer(tracer: Tracer): LeanTracer | undefined {
    const t = tracer as Tracer & OtelTracerInternals;
    const { instrumentationScope: scope, _sampler, _spanLimits, _resource, _idGenerator } = t;
    const processor = t._spanProcessor;
    if (
      !scope ||
      typeof _sampler?.shouldSample !== 'function' ||
      !_spanLimits ||
      !_resource ||
      typeof _idGenerator?.generateSpanId !== 'function' ||
      typeof processor?.onStart !== 'function' ||
      typeof processor.onEnd !== 'function'
    ) {
      return undefined;
    }
    const shared: SpanShared = {
      resource: _resource,
      scope,
      processor,
      limits: _spanLimits,
      valueLengthLimit: _spanLimits.attributeValueLengthLimit ?? 0,
    };
    return new LeanTracer(shared, _sampler, _idGenerator);
  }

  startSpan(
    name: string,
    options: SpanOptions = NO_OPTIONS,
    ctx: Context = contextApi.active(),
  ): Span {
    return this.start(name, options, ctx, false);
  }

  /**
   * `startSpan` for start attributes that the caller built for this span and gives up (a fresh
   * object, not used after the call): when every key and value is one `sanitizeAttributes` would
   * keep as it is (no array, which it copies), the span takes the object itself instead of a
   * sanitized copy; otherwise it is sanitized as `startSpan` does. Hot path (every LLM call): one
   * object and one pass fewer.
   */
  startSpanOwned(name: string, options: SpanOptions, ctx: Context): Span {
    return this.start(name, options, ctx, true);
  }

  private start(name: string, options: SpanOptions, ctx: Context, owned: boolean): Span {
    if (options.root) ctx = ctx.deleteValue(SPAN_KEY);
    const parentSpan = ctx.getValue(SPAN_KEY) as Span | undefined;
    if (isTracingSuppressed(ctx)) return otelTrace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parentSpanContext = parentSpan ? parentSpan.spanContext() : undefined;
    const spanId = this.ids.generateSpanId();
    let traceId: string;
    let traceState: SpanContext['traceState'];
    let validParent: SpanContext | undefined;
    if (
      parentSpanContext === undefined ||
      (!(parentSpan instanceof LeanSpan) && !isSpanContextValid(parentSpanContext))
    ) {
      traceId = this.ids.generateTraceId();
    } else {
      traceId = parentSpanContext.traceId;
      traceState = parentSpanContext.traceState;
      validParent = parentSpanContext;
    }
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = options.links
      ? options.links.map((link) => ({
          context: link.context,
          attributes: sanitizeAttributes(link.attributes),
        }))
      : NO_LINKS;
    const given = options.attributes;
    let attributes: Attributes | undefined = given
      ? owned && keptAsIs(given)
        ? given
        : sanitizeAttributes(given)
      : undefined;
    let result: SamplingResult;
    if (validParent !== undefined && this.localParentDecides && !validParent.isRemote) {
      result = validParent.traceFlags & TraceFlags.SAMPLED ? SAMPLED : DROPPED;
    } else {
      attributes ??= {};
      result = this.sampler.shouldSample(ctx, traceId, name, kind, attributes, links);
    }
    traceState = result.traceState ?? traceState;
    const traceFlags =
      result.decision === SamplingDecision.RECORD_AND_SAMPLED
        ? TraceFlags.SAMPLED
        : TraceFlags.NONE;
    const spanContext: SpanContext = { traceId, spanId, traceFlags, traceState };
    if (result.decision === SamplingDecision.NOT_RECORD) {
      return otelTrace.wrapSpanContext(spanContext);
    }
    const span = new LeanSpan(this.shared, spanContext, name, kind, validParent, options.startTime);
    if (links !== NO_LINKS) span.addLinks(links);
    // The sampler may have added attributes: the merge is sanitized again, as the SDK does (when
    // it added none, `attributes` is sanitized already).
    if (result.attributes) {
      attributes = sanitizeAttributes(Object.assign(attributes ?? {}, result.attributes));
    }
    if (attributes !== undefined && hasKeys(attributes)) span.initAttributes(attributes);
    span.started(ctx);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a2?: SpanOptions | F,
    a3?: Context | F,
    a4?: F,
  ): ReturnType<F> | undefined {
    let options: SpanOptions | undefined;
    let ctx: Context | undefined;
    let fn: F;
    if (typeof a2 === 'function') fn = a2;
    else if (typeof a3 === 'function') {
      options = a2;
      fn = a3;
    } else if (typeof a4 === 'function') {
      options = a2;
      ctx = a3;
      fn = a4;
    } else return undefined;
    const parent = ctx ?? contextApi.active();
    const span = this.startSpan(name, options, parent);
    return contextApi.with(
      contextWithSpan(parent, span),
      fn as (s: Span) => ReturnType<F>,
      undefined,
      span,
    );
  }
}

/**
 * True when `sanitizeAttributes(attributes)` would be an equal copy: own keys that are non-empty
 * strings, values that are valid and not arrays (it copies arrays).
 */
function keptAsIs(attributes: Attributes): boolean {
  for (const key in attributes) {
    if (key === '' || !Object.prototype.hasOwnProperty.call(attributes, key)) return false;
    const value = attributes[key];
    if (Array.isArray(value) || !isAttributeValue(value)) return false;
  }
  return true;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/**
 * `trace.setSpan(ctx, span)` without copying the context: a context that answers `span` for the
 * span key (and one more value: the LLM integrations' attempt counter) and asks the context below
 * it for every other key. A span context on top of another one replaces it (the chain never grows
 * with nesting depth), so lookups stay one step deep. Any code that uses the OTel `Context`
 * interface (getValue/setValue/deleteValue) sees the same values as with the SDK's own context.
 */
class SpanFrame implements Context {
  constructor(
    readonly base: Context,
    readonly span: Span,
    readonly extraKey?: symbol,
    readonly extraValue?: unknown,
  ) {}

  getValue(key: symbol): unknown {
    if (key === SPAN_KEY) return this.span;
    if (key === this.extraKey) return this.extraValue;
    return this.base.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    if (key === SPAN_KEY)
      return new SpanFrame(this.base, value as Span, this.extraKey, this.extraValue);
    if (this.extraKey === undefined || key === this.extraKey) {
      return new SpanFrame(this.base, this.span, key, value);
    }
    return new SpanFrame(this.base.setValue(key, value), this.span, this.extraKey, this.extraValue);
  }

  deleteValue(key: symbol): Context {
    if (key === SPAN_KEY) {
      const below = this.base.deleteValue(SPAN_KEY);
      return this.extraKey === undefined ? below : below.setValue(this.extraKey, this.extraValue);
    }
    // The base may hold a value of this key under the one here: it goes too.
    if (key === this.extraKey) return new SpanFrame(this.base.deleteValue(key), this.span);
    return new SpanFrame(this.base.deleteValue(key), this.span, this.extraKey, this.extraValue);
  }
}

/**
 * `ctx` with `span` as its active span (what `trace.setSpan` returns, without the copy), and
 * optionally `key` set to `value` in the same step.
 */
export function contextWithSpan(ctx: Context, span: Span, key?: symbol, value?: unknown): Context {
  if (ctx instanceof SpanFrame) {
    const frame = new SpanFrame(ctx.base, span, ctx.extraKey, ctx.extraValue);
    return key === undefined ? frame : frame.setValue(key, value);
  }
  return new SpanFrame(ctx, span, key, value);
}
