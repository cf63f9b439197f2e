import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  context,
  trace as otelTrace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { suppressTracing } from '@opentelemetry/core';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type IdGenerator,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeanSpan } from './span.ts';
import { LeanTracer, contextWithSpan } from './tracer.ts';

/**
 * The lean tracer against the OpenTelemetry SDK's tracer of the same provider: the same calls on
 * both give spans whose exported fields (everything the OTLP exporter reads from a ReadableSpan)
 * are equal, ids included (both draw from one deterministic id generator, reset between the two).
 */

class CountingIds implements IdGenerator {
  n = 0;
  generateTraceId(): string {
    return (++this.n).toString(16).padStart(32, 'a');
  }
  generateSpanId(): string {
    return (++this.n).toString(16).padStart(16, 'b');
  }
}

interface Setup {
  ids: CountingIds;
  exporter: InMemorySpanExporter;
  otel: Tracer;
  lean: LeanTracer;
  provider: NodeTracerProvider;
}

function setup(
  sampler: Sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() }),
  spanLimits = {},
): Setup {
  const ids = new CountingIds();
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    idGenerator: ids,
    sampler,
    spanLimits,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const otel = provider.getTracer('equivalence', '1.0.0');
  const lean = LeanTracer.fromOtelTracer(otel);
  if (!lean) throw new Error('the OTel tracer does not have the expected shape');
  return { ids, exporter, otel, lean, provider };
}

/** Everything the OTLP exporter reads from a span. */
function exported(s: ReadableSpan) {
  return {
    spanContext: s.spanContext(),
    parentSpanContext: s.parentSpanContext,
    name: s.name,
    kind: s.kind,
    startTime: s.startTime,
    endTime: s.endTime,
    duration: s.duration,
    status: s.status,
    attributes: s.attributes,
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events,
    droppedEventsCount: s.droppedEventsCount,
    links: s.links,
    droppedLinksCount: s.droppedLinksCount,
    ended: s.ended,
    resource: s.resource.attributes,
    instrumentationScope: s.instrumentationScope,
  };
}

/** Runs `script` on each tracer (ids restarting from the same point) and returns both exports. */
function both(t: Setup, script: (tracer: Tracer) => void) {
  const run = (tracer: Tracer) => {
    t.exporter.reset();
    t.ids.n = 0;
    script(tracer);
    return t.exporter.getFinishedSpans().map(exported);
  };
  const fromOtel = run(t.otel);
  const fromLean = run(t.lean);
  return { fromOtel, fromLean };
}

const T0 = 1_760_000_000_123; // epoch ms
const manager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  manager.enable();
  context.setGlobalContextManager(manager);
});
afterAll(() => {
  context.disable();
});

describe('LeanTracer spans equal the OTel SDK spans', () => {
  it('attributes, events, exceptions, status, kind, name, links and explicit times', () => {
    const t = setup();
    const boom = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    const { fromOtel, fromLean } = both(t, (tracer) => {
      const link = { context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 } };
      const span = tracer.startSpan('first name', {
        kind: SpanKind.CLIENT,
        startTime: T0,
        attributes: { s: 'x', n: 1.5, b: true, arr: ['a', 'b'], nums: [1, 2], bad: {} as never },
        links: [link, { ...link, attributes: { 'link.attr': 1 } }],
      });
      span.setAttribute('later', 'y');
      span.setAttribute('', 'empty key is refused');
      span.setAttribute('undefined', undefined as never);
      span.setAttributes({ more: 2, mixed: ['a', 1] as never });
      span.addEvent('plain', T0 + 1);
      span.addEvent('with attributes', { k: 'v', bad: null as never }, new Date(T0 + 2));
      span.addEvent('hrtime', [1_760_000_000, 500]);
      span.recordException(boom, T0 + 3);
      span.recordException('a string', T0 + 4);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
      span.updateName('second name');
      span.addLink(link);
      span.end(T0 + 10);
      // after the end: ignored
      span.setAttribute('after', 1);
      span.addEvent('after', T0 + 11);
      span.setStatus({ code: SpanStatusCode.OK });
      span.end(T0 + 12);
    });
    expect(fromLean).toHaveLength(1);
    expect(fromLean).toEqual(fromOtel);
    expect(fromLean[0]!.events.map((e) => e.name)).toContain('exception');
  });

  it('status rules: OK is final, UNSET is ignored, a non-string message is dropped', () => {
    const t = setup();
    const { fromOtel, fromLean } = both(t, (tracer) => {
      const a = tracer.startSpan('ok wins', { startTime: T0 });
      a.setStatus({ code: SpanStatusCode.OK });
      a.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
      a.end(T0 + 1);
      const b = tracer.startSpan('unset ignored', { startTime: T0 });
      b.setStatus({ code: SpanStatusCode.ERROR, message: 42 as never });
      b.setStatus({ code: SpanStatusCode.UNSET });
      b.end(T0 + 1);
      const c = tracer.startSpan('end before start', { startTime: T0 });
      c.end(T0 - 5);
    });
    expect(fromLean).toEqual(fromOtel);
    expect(fromLean.map((s) => s.status)).toEqual([
      { code: SpanStatusCode.OK },
      { code: SpanStatusCode.ERROR },
      { code: SpanStatusCode.UNSET },
    ]);
  });

  it('span limits: attribute count, value length, events and links', () => {
    const t = setup(undefined, {
      attributeCountLimit: 3,
      attributeValueLengthLimit: 4,
      eventCountLimit: 2,
      linkCountLimit: 1,
      attributePerEventCountLimit: 1,
      attributePerLinkCountLimit: 1,
    });
    const { fromOtel, fromLean } = both(t, (tracer) => {
      const link = { context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 } };
      const span = tracer.startSpan('limits', {
        startTime: T0,
        attributes: { a: 'long value', b: ['long', 'longer'] },
        links: [
          { ...link, attributes: { x: 1, y: 2 } },
          { ...link, attributes: { z: 3 } },
        ],
      });
      span.setAttribute('c', 3);
      span.setAttribute('d', 4); // over the count limit
      span.setAttribute('a', 'replaced, still counted once');
      for (let i = 0; i < 4; i++) span.addEvent(`event ${i}`, { one: 1, two: 2 }, T0 + i);
      span.end(T0 + 10);
    });
    expect(fromLean).toEqual(fromOtel);
    expect(fromLean[0]!.droppedAttributesCount).toBe(1);
    expect(fromLean[0]!.droppedEventsCount).toBe(2);
    expect(fromLean[0]!.droppedLinksCount).toBe(1);
  });

  it('startSpanOwned: the same span as startSpan, taking a valid attribute object as it is', () => {
    const t = setup(undefined, { attributeCountLimit: 4, attributeValueLengthLimit: 4 });
    const cases = [
      { s: 'x', n: 1.5, b: true },
      { s: 'long value', n: 1, b: false, u: undefined, more: 2, most: 3 }, // cut, null, over the limit
      { arr: ['a', 'b'], s: 'x' }, // arrays are copied
      { bad: {} as never, s: 'x' }, // invalid values are dropped
      { '': 'empty key', s: 'x' },
    ];
    for (const attributes of cases) {
      const { fromOtel } = both(t, (tracer) => {
        const span = tracer.startSpan('owned', { startTime: T0, attributes: { ...attributes } });
        span.setAttribute('after', 1);
        span.end(T0 + 1);
      });
      t.exporter.reset();
      t.ids.n = 0;
      const given = { ...attributes };
      const span = t.lean.startSpanOwned(
        'owned',
        { startTime: T0, attributes: given },
        ROOT_CONTEXT,
      );
      span.setAttribute('after', 1);
      span.end(T0 + 1);
      expect(t.exporter.getFinishedSpans().map(exported)).toEqual(fromOtel);
    }
    // A plain valid object within the limits is the span's own attribute object.
    const t2 = setup();
    const given = { s: 'x', n: 1 };
    const span = t2.lean.startSpanOwned('owned', { attributes: given }, ROOT_CONTEXT) as LeanSpan;
    expect(span.attributes).toBe(given);
    const copied = { arr: ['a'] };
    const other = t2.lean.startSpanOwned('owned', { attributes: copied }, ROOT_CONTEXT) as LeanSpan;
    expect(other.attributes).not.toBe(copied);
    expect(other.attributes.arr).not.toBe(copied.arr);
  });

  it('times taken from the clocks: start on the ms clock, end from the monotonic duration', async () => {
    const t = setup();
    const before = Date.now();
    const span = t.lean.startSpan('clock');
    await new Promise((r) => setTimeout(r, 5));
    span.addEvent('midway');
    span.end();
    const after = Date.now();
    const s = t.exporter.getFinishedSpans()[0]!;
    const ms = (h: readonly [number, number]) => h[0] * 1000 + h[1] / 1e6;
    expect(ms(s.startTime)).toBeGreaterThanOrEqual(before);
    expect(s.startTime[1] % 1e6).toBe(0); // Date.now() resolution, as the SDK's span
    expect(ms(s.endTime)).toBeLessThanOrEqual(after + 1);
    expect(ms(s.duration)).toBeGreaterThanOrEqual(4);
    expect(ms(s.endTime) - ms(s.startTime)).toBeCloseTo(ms(s.duration), 3);
    expect(ms(s.events[0]!.time)).toBeGreaterThan(ms(s.startTime));
    expect(ms(s.events[0]!.time)).toBeLessThanOrEqual(ms(s.endTime));
    // A performance.now() timestamp is moved onto the epoch clock, as the SDK's span does (the
    // offset between the two clocks is read per span, so the two differ by clock jitter only).
    const perf = performance.now();
    const viaOtel = t.otel.startSpan('perf');
    const viaLean = t.lean.startSpan('perf');
    for (const x of [viaOtel, viaLean]) {
      x.addEvent('at perf', perf);
      x.end();
    }
    const [a, b] = t.exporter.getFinishedSpans().slice(-2);
    expect(Math.abs(ms(a!.events[0]!.time) - ms(b!.events[0]!.time))).toBeLessThan(2);
    // Before the end: the SDK's initial values.
    const open = t.lean.startSpan('open') as unknown as ReadableSpan;
    expect([open.endTime, open.duration, open.ended]).toEqual([[0, 0], [-1, -1], false]);
  });
});

describe('LeanTracer in the OTel context', () => {
  it('parents and is parented by spans of the OTel SDK tracer, through async/await', async () => {
    const t = setup();
    await t.otel.startActiveSpan('otel root', async (root) => {
      await new Promise((r) => setTimeout(r, 1));
      await t.lean.startActiveSpan('lean child', async (child) => {
        await new Promise((r) => setTimeout(r, 1));
        t.otel.startActiveSpan('otel grandchild', (g) => g.end());
        const leaf = t.lean.startSpan('lean leaf');
        leaf.end();
        child.end();
      });
      root.end();
    });
    const spans = t.exporter.getFinishedSpans();
    const by = (n: string) => spans.find((s) => s.name === n)!;
    const root = by('otel root');
    expect(by('lean child')).toBeInstanceOf(LeanSpan);
    expect(by('lean child').parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(by('otel grandchild').parentSpanContext?.spanId).toBe(
      by('lean child').spanContext().spanId,
    );
    expect(by('lean leaf').parentSpanContext?.spanId).toBe(by('lean child').spanContext().spanId);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it('keeps context propagation in generators, and the other context values', () => {
    const t = setup();
    const KEY = Symbol('other');
    const base = ROOT_CONTEXT.setValue(KEY, 'kept');
    const outer = t.lean.startSpan('outer', {}, base);
    const ctx = contextWithSpan(base, outer);
    expect(otelTrace.getSpan(ctx)).toBe(outer);
    expect(ctx.getValue(KEY)).toBe('kept');
    function* gen() {
      yield otelTrace.getActiveSpan();
      yield otelTrace.getActiveSpan();
    }
    const it = context.with(ctx, () => gen());
    // A generator runs in the context of each next() call, as with any OTel context.
    expect(context.with(ctx, () => it.next().value)).toBe(outer);
    // A span frame on a span frame replaces the span; values set above it are visible.
    const inner = t.lean.startSpan('inner', {}, ctx);
    const ctx2 = contextWithSpan(ctx, inner).setValue(KEY, 'changed');
    expect(otelTrace.getSpan(ctx2)).toBe(inner);
    expect(ctx2.getValue(KEY)).toBe('changed');
    expect(otelTrace.getSpan(ctx2.deleteValue(KEY))).toBe(inner);
    expect(ctx2.deleteValue(KEY).getValue(KEY)).toBeUndefined();
    expect(otelTrace.getSpan(otelTrace.deleteSpan(ctx2))).toBeUndefined();
    expect(otelTrace.getSpan(otelTrace.setSpan(ctx2, outer))).toBe(outer);
    expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
    // The frame's one extra value (set with the span, as the LLM calls do) behaves like any value.
    const EXTRA = Symbol('extra');
    const under = base.setValue(EXTRA, 'below');
    const withExtra = contextWithSpan(under, outer, EXTRA, 'frame');
    expect(withExtra.getValue(EXTRA)).toBe('frame');
    expect(withExtra.getValue(KEY)).toBe('kept');
    expect(withExtra.deleteValue(EXTRA).getValue(EXTRA)).toBeUndefined();
    expect(otelTrace.getSpan(withExtra.deleteValue(EXTRA))).toBe(outer);
    const noSpan = otelTrace.deleteSpan(withExtra);
    expect([otelTrace.getSpan(noSpan), noSpan.getValue(EXTRA)]).toEqual([undefined, 'frame']);
    const child = contextWithSpan(withExtra, inner);
    expect([otelTrace.getSpan(child), child.getValue(EXTRA)]).toEqual([inner, 'frame']);
    const both = withExtra.setValue(KEY, 'k2').setValue(EXTRA, 'e2');
    expect([both.getValue(KEY), both.getValue(EXTRA), otelTrace.getSpan(both)]).toEqual([
      'k2',
      'e2',
      outer,
    ]);
  });

  it('root: true starts a new trace; suppressed tracing gives a non-recording span', () => {
    const t = setup();
    const parent = t.lean.startSpan('parent');
    const ctx = contextWithSpan(ROOT_CONTEXT, parent);
    const root = t.lean.startSpan('new root', { root: true }, ctx) as unknown as ReadableSpan;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.spanContext().traceId).not.toBe(parent.spanContext().traceId);
    const suppressed = t.lean.startSpan('suppressed', {}, suppressTracing(ctx));
    expect(suppressed.isRecording()).toBe(false);
    expect(otelTrace.isSpanContextValid(suppressed.spanContext())).toBe(false);
  });
});

describe('LeanTracer sampling', () => {
  const remote = (sampled: boolean) =>
    otelTrace.setSpanContext(ROOT_CONTEXT, {
      traceId: 'e'.repeat(32),
      spanId: 'f'.repeat(16),
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
    });

  it('makes the same decisions as the OTel tracer with the same sampler', () => {
    for (const ratio of [0, 0.5, 1]) {
      const t = setup(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }));
      const decide = (tracer: Tracer): unknown[] => {
        t.ids.n = 0;
        const out: unknown[] = [];
        for (let i = 0; i < 64; i++) {
          const s: Span = tracer.startSpan(`root ${i}`);
          out.push([s.isRecording(), s.spanContext().traceFlags, s.spanContext().traceId]);
          const child = tracer.startSpan('child', {}, contextWithSpan(ROOT_CONTEXT, s));
          out.push([child.isRecording(), child.spanContext().traceFlags]);
          child.end();
          s.end();
        }
        for (const sampled of [true, false]) {
          const s = tracer.startSpan('under remote parent', {}, remote(sampled));
          out.push([s.isRecording(), s.spanContext().traceFlags, s.spanContext().traceId]);
          s.end();
        }
        return out;
      };
      const otelDecisions = decide(t.otel);
      expect(decide(t.lean)).toEqual(otelDecisions);
      const recorded = otelDecisions.filter((d) => (d as unknown[])[0] === true).length;
      if (ratio === 0) expect(recorded).toBe(1); // only the sampled remote parent's child
      if (ratio === 1) expect(recorded).toBe(129);
    }
  });

  it('an unsampled span is not exported', () => {
    const t = setup(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }));
    t.lean.startSpan('dropped').end();
    t.lean.startSpan('kept', {}, remote(true)).end();
    expect(t.exporter.getFinishedSpans().map((s) => s.name)).toEqual(['kept']);
  });
});
