import {
  SpanStatusCode,
  diag,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import {
  addHrTimes,
  hrTime,
  hrTimeDuration,
  isAttributeValue,
  isTimeInput,
  isTimeInputHrTime,
  millisToHrTime,
  sanitizeAttributes,
  type InstrumentationScope,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type {
  ReadableSpan,
  SpanLimits,
  SpanProcessor,
  TimedEvent,
} from '@opentelemetry/sdk-trace-base';

/**
 * PyFlare's span: the OpenTelemetry SDK's `SpanImpl` (sdk-trace 2.x, `Span.js`) rewritten for the
 * hot path. It is a full `Span` of the API and a `ReadableSpan` of the SDK, started by
 * {@link LeanTracer} with the provider's own resource, limits and span processors, so the batch
 * processor and the OTLP exporter receive it like any SDK span and encode the same fields.
 *
 * Why hand-written: a span of the OTel SDK allocates about ten objects at start (attributes,
 * links, events, status, three `HrTime`s, a metrics closure and its attributes) and converts times
 * eagerly; spans then wait in the export queue long enough to be promoted, and garbage collection
 * was the largest item of the SDK's profile (`docs/architecture/sdk.md`, "trace() and the
 * OpenTelemetry floor"). Here the span holds only scalars until something is set: attributes,
 * events and links are created on first use, the status is a shared constant until set, and the
 * start/end `HrTime`s and the duration are computed when first read (by the exporter), from the
 * same clock readings and with the same arithmetic as `SpanImpl` (`Date.now()` at start,
 * `performance.now()` for the duration). Every method keeps `SpanImpl`'s semantics: limits,
 * truncation, validation, the diag messages, `onEnding` before `onEnd`.
 */

/** What a span shares with the other spans of its tracer. */
export interface SpanShared {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly processor: SpanProcessor;
  readonly limits: SpanLimits;
  /** `limits.attributeValueLengthLimit`, or 0 when unset (as `SpanImpl` reads it). */
  readonly valueLengthLimit: number;
}

/** Subtracted from each span's start `Date.now()` so that it stays a small integer. */
const CLOCK_BASE = Date.now();

const UNSET_STATUS: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET }) as SpanStatus;

export class LeanSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  status: SpanStatus = UNSET_STATUS;
  private readonly _spanContext: SpanContext;
  private readonly _shared: SpanShared;
  /**
   * `Date.now()` at start, less {@link CLOCK_BASE}: a small integer (no number object per span
   * for the first 24 days of the process; a plain number after that, as correct).
   */
  private readonly _startMs: number;
  /**
   * `performance.now()` at start; at `end()` (without an end time) replaced by the monotonic
   * duration in ms: one number per span instead of two (each a heap object the span keeps until
   * its export).
   */
  private _perf: number;
  private readonly _startTimeProvided: boolean;
  /** Set when the start time was given (converted at once, as `SpanImpl` does), else lazily. */
  private _startTime: HrTime | undefined;
  /** True once `end()` without an end time has turned `_perf` into the duration. */
  private _perfIsDuration = false;
  private _endTime: HrTime | undefined;
  private _duration: HrTime | undefined;
  private _ended = false;
  private _attributes: Attributes | undefined;
  private _attributesCount = 0;
  private _droppedAttributesCount = 0;
  private _events: TimedEvent[] | undefined;
  private _droppedEventsCount = 0;
  private _links: Link[] | undefined;
  private _droppedLinksCount = 0;

  constructor(
    shared: SpanShared,
    spanContext: SpanContext,
    name: string,
    kind: SpanKind,
    parentSpanContext: SpanContext | undefined,
    startTime: TimeInput | undefined,
  ) {
    this._startMs = Date.now() - CLOCK_BASE;
    this._perf = performance.now();
    this._shared = shared;
    this._spanContext = spanContext;
    this.name = name;
    this.kind = kind;
    this.parentSpanContext = parentSpanContext;
    this._startTimeProvided = startTime != null;
    if (startTime != null) this._startTime = this._getTime(startTime);
  }

  /** Calls the processors' `onStart`; the tracer calls it once the initial attributes are set. */
  started(context: Context): void {
    this._shared.processor.onStart(this, context);
  }

  spanContext(): SpanContext {
    return this._spanContext;
  }

  get startTime(): HrTime {
    return (this._startTime ??= millisToHrTime(this._startMs + CLOCK_BASE));
  }

  get endTime(): HrTime {
    if (this._endTime === undefined) {
      if (!this._perfIsDuration) return [0, 0]; // not ended (SpanImpl's initial value)
      this._endTime = addHrTimes(this.startTime, millisToHrTime(this._perf));
    }
    return this._endTime;
  }

  get duration(): HrTime {
    if (this._duration === undefined) {
      if (!this._ended) return [-1, -1];
      this._duration = hrTimeDuration(this.startTime, this.endTime);
      if (this._duration[0] < 0) {
        this._endTime = this.startTime.slice() as HrTime;
        this._duration = [0, 0];
      }
    }
    return this._duration;
  }

  get attributes(): Attributes {
    return (this._attributes ??= {});
  }

  get events(): TimedEvent[] {
    return (this._events ??= []);
  }

  get links(): Link[] {
    return (this._links ??= []);
  }

  get resource(): Resource {
    return this._shared.resource;
  }

  get instrumentationScope(): InstrumentationScope {
    return this._shared.scope;
  }

  get ended(): boolean {
    return this._ended;
  }

  get droppedAttributesCount(): number {
    return this._droppedAttributesCount;
  }

  get droppedEventsCount(): number {
    return this._droppedEventsCount;
  }

  get droppedLinksCount(): number {
    return this._droppedLinksCount;
  }

  setAttribute(key: string, value?: AttributeValue): this {
    if (value == null || this._isSpanEnded()) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    if (!isAttributeValue(value)) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    const attributes = (this._attributes ??= {});
    const isNewKey = !Object.prototype.hasOwnProperty.call(attributes, key);
    const limit = this._shared.limits.attributeCountLimit;
    if (limit !== undefined && this._attributesCount >= limit && isNewKey) {
      this._droppedAttributesCount++;
      return this;
    }
    attributes[key] = this._truncateToSize(value);
    if (isNewKey) this._attributesCount++;
    return this;
  }

  /**
   * The start attributes, sanitized by the tracer into a fresh object it gives up: taken as the
   * span's own attribute object when `setAttributes` would copy them unchanged (no null value,
   * within the count limit, no value to cut), else set one by one. Hot path (every span started
   * with attributes, every LLM call): one object and one pass instead of a copy key by key.
   */
  initAttributes(sanitized: Attributes): void {
    const countLimit = this._shared.limits.attributeCountLimit;
    const lengthLimit = this._shared.valueLengthLimit;
    let n = 0;
    let adopt = this._attributes === undefined && lengthLimit > 0;
    for (const key in sanitized) {
      if (!adopt) break;
      const value = sanitized[key];
      if (value == null) adopt = false;
      else if (lengthLimit !== Infinity && (typeof value === 'string' || Array.isArray(value))) {
        adopt = false;
      }
      n++;
    }
    if (adopt && (countLimit === undefined || n <= countLimit)) {
      this._attributes = sanitized;
      this._attributesCount = n;
    } else {
      this.setAttributes(sanitized);
    }
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) {
        this.setAttribute(key, attributes[key]);
      }
    }
    return this;
  }

  addEvent(
    name: string,
    attributesOrStartTime?: Attributes | TimeInput,
    timeStamp?: TimeInput,
  ): this {
    if (this._isSpanEnded()) return this;
    const { eventCountLimit, attributePerEventCountLimit } = this._shared.limits;
    if (eventCountLimit === 0) {
      diag.warn('No events allowed.');
      this._droppedEventsCount++;
      return this;
    }
    const events = (this._events ??= []);
    if (eventCountLimit !== undefined && events.length >= eventCountLimit) {
      if (this._droppedEventsCount === 0) diag.debug('Dropping extra events.');
      events.shift();
      this._droppedEventsCount++;
    }
    if (isTimeInput(attributesOrStartTime)) {
      if (!isTimeInput(timeStamp)) timeStamp = attributesOrStartTime;
      attributesOrStartTime = undefined;
    }
    const { attributes, droppedAttributesCount } = this._limitedAttributes(
      attributesOrStartTime,
      attributePerEventCountLimit,
    );
    events.push({ name, attributes, time: this._getTime(timeStamp), droppedAttributesCount });
    return this;
  }

  /** An event's or link's attributes: sanitized, truncated, at most `limit` of them. */
  private _limitedAttributes(
    raw: Attributes | undefined,
    limit: number | undefined,
  ): { attributes: Attributes; count: number; droppedAttributesCount: number } {
    const sanitized = sanitizeAttributes(raw);
    const attributes: Attributes = {};
    let droppedAttributesCount = 0;
    let count = 0;
    for (const attr in sanitized) {
      if (!Object.prototype.hasOwnProperty.call(sanitized, attr)) continue;
      if (limit !== undefined && count >= limit) {
        droppedAttributesCount++;
        continue;
      }
      attributes[attr] = this._truncateToSize(sanitized[attr]!);
      count++;
    }
    return { attributes, count, droppedAttributesCount };
  }

  addLink(link: Link): this {
    if (this._isSpanEnded()) return this;
    const { linkCountLimit, attributePerLinkCountLimit } = this._shared.limits;
    if (linkCountLimit === 0) {
      this._droppedLinksCount++;
      return this;
    }
    const links = (this._links ??= []);
    if (linkCountLimit !== undefined && links.length >= linkCountLimit) {
      if (this._droppedLinksCount === 0) diag.debug('Dropping extra links.');
      links.shift();
      this._droppedLinksCount++;
    }
    const { attributes, count, droppedAttributesCount } = this._limitedAttributes(
      link.attributes,
      attributePerLinkCountLimit,
    );
    const processed: Link = { context: link.context };
    if (count > 0) processed.attributes = attributes;
    if (droppedAttributesCount > 0) processed.droppedAttributesCount = droppedAttributesCount;
    links.push(processed);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this._isSpanEnded()) return this;
    if (status.code === SpanStatusCode.UNSET) return this;
    if (this.status.code === SpanStatusCode.OK) return this;
    const next: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') next.message = status.message;
      else if (status.message != null) {
        diag.warn(
          `Dropping invalid status.message of type '${typeof status.message}', expected 'string'`,
        );
      }
    }
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (this._isSpanEnded()) return this;
    this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this._isSpanEnded()) {
      diag.error(
        `${this.name} ${this._spanContext.traceId}-${this._spanContext.spanId} - You can only call end() on a span once.`,
      );
      return;
    }
    if (endTime === undefined && !this._startTimeProvided) {
      // The common case: the end is the start plus the monotonic duration, converted when read.
      this._perf = performance.now() - this._perf;
      this._perfIsDuration = true;
    } else {
      this._endTime = this._getTime(endTime);
      this._duration = hrTimeDuration(this.startTime, this._endTime);
      if (this._duration[0] < 0) {
        diag.warn(
          'Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.',
          this.startTime,
          this._endTime,
        );
        this._endTime = this.startTime.slice() as HrTime;
        this._duration = [0, 0];
      }
    }
    if (this._droppedEventsCount > 0) {
      diag.warn(`Dropped ${this._droppedEventsCount} events because eventCountLimit reached`);
    }
    if (this._droppedLinksCount > 0) {
      diag.warn(`Dropped ${this._droppedLinksCount} links because linkCountLimit reached`);
    }
    const processor = this._shared.processor;
    processor.onEnding?.(this);
    this._ended = true;
    processor.onEnd(this);
  }

  isRecording(): boolean {
    return this._ended === false;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent('exception', attributes, time);
    } else {
      diag.warn(`Failed to record an exception ${String(exception)}`);
    }
  }

  /** `SpanImpl._getTime`: a time input (or now) as `HrTime`. */
  private _getTime(input: TimeInput | undefined): HrTime {
    if (typeof input === 'number' && input <= performance.now()) {
      // a performance timestamp: corrected by the offset between the two clocks at start
      return hrTime(input + (this._startMs + CLOCK_BASE - (this._perf + performance.timeOrigin)));
    }
    if (typeof input === 'number') return millisToHrTime(input);
    if (input instanceof Date) return millisToHrTime(input.getTime());
    if (isTimeInputHrTime(input)) return input as HrTime;
    if (this._startTimeProvided) return millisToHrTime(Date.now());
    return addHrTimes(this.startTime, millisToHrTime(performance.now() - this._perf));
  }

  private _isSpanEnded(): boolean {
    if (this._ended) {
      const { traceId, spanId } = this._spanContext;
      const error = new Error(
        `Operation attempted on ended Span {traceId: ${traceId}, spanId: ${spanId}}`,
      );
      diag.warn(
        `Cannot execute the operation on ended Span {traceId: ${traceId}, spanId: ${spanId}}`,
        error,
      );
    }
    return this._ended;
  }

  private _truncateToSize(value: AttributeValue): AttributeValue {
    const limit = this._shared.valueLengthLimit;
    if (limit <= 0) {
      diag.warn(`Attribute value limit must be positive, got ${limit}`);
      return value;
    }
    if (typeof value === 'string') return value.length <= limit ? value : value.substring(0, limit);
    if (Array.isArray(value)) {
      // A frozen array cannot change after it is set: shared as it is when nothing is cut
      // (the integrations' constant finish-reason lists), else copied as SpanImpl does.
      if (limit === Infinity && Object.isFrozen(value)) return value;
      return (value as unknown[]).map((v) =>
        typeof v === 'string' && v.length > limit ? v.substring(0, limit) : v,
      ) as AttributeValue;
    }
    return value;
  }
}
