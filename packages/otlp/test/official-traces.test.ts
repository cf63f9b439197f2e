import { context, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import {
  decodeTraceRequest,
  decodeTraceRequestJson,
  decodeTraceRequestJsonText,
  type ExportTraceServiceRequest,
} from '../src/index.ts';
import { attributes, expectedSpan } from './sdk-expect.ts';

/**
 * Real spans from the official SDK, serialized by the official OTLP serializers
 * (@opentelemetry/otlp-transformer), decoded by ours, compared field by field with
 * what the SDK recorded.
 */

const EVERY_ATTRIBUTE = {
  str: 'hello ✓ ünïcödé',
  empty: '',
  'bool.true': true,
  'bool.false': false,
  int: 42,
  'int.negative': -7,
  'int.zero': 0,
  'int.max_safe': Number.MAX_SAFE_INTEGER,
  'int.large': 2 ** 60,
  'int.large_negative': -(2 ** 62),
  double: 3.25,
  'double.negative': -1e-300,
  strings: ['a', '', 'ccc'],
  bools: [true, false],
  ints: [1, -2, 2 ** 55],
  // (no doubles of 2^53 or more: the SDK sends every integral number as int_value)
  doubles: [0.5, -2.75, 1e-9],
  'gen_ai.request.model': 'gpt-4o-mini',
};

function recordSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'otlp-test', 'host.cpus': 8 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('official-test', '1.2.3');
  const other = provider.getTracer('second-scope');

  const root = tracer.startSpan('root', { kind: SpanKind.SERVER, attributes: EVERY_ATTRIBUTE });
  const rootCtx = trace.setSpan(context.active(), root);
  const child = tracer.startSpan(
    'child',
    {
      kind: SpanKind.CLIENT,
      links: [
        {
          context: {
            traceId: '0af7651916cd43dd8448eb211c80319c',
            spanId: 'b7ad6b7169203331',
            traceFlags: TraceFlags.SAMPLED,
            isRemote: true,
            traceState: new TraceState('vendor=value,other=1'),
          },
          attributes: { 'link.kind': 'follows', 'link.n': 3 },
        },
      ],
    },
    rootCtx,
  );
  child.addEvent('gen_ai.choice', { index: 0, 'finish.reason': 'stop', scores: [0.1, 0.9] });
  child.addEvent('no attributes');
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timed out' });
  const grandchild = other.startSpan(
    'grandchild',
    { kind: SpanKind.PRODUCER },
    trace.setSpan(rootCtx, child),
  );
  grandchild.setStatus({ code: SpanStatusCode.OK });
  grandchild.end();
  child.end();
  root.end();

  // A remote parent, as when a span continues a trace from an incoming traceparent.
  const remote = trace.setSpanContext(context.active(), {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  tracer.startSpan('continued', { kind: SpanKind.CONSUMER }, remote).end();
  return exporter.getFinishedSpans();
}

function allSpans(req: ExportTraceServiceRequest) {
  return req.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ rs, ss, span }))),
  );
}

function checkAgainstSdk(req: ExportTraceServiceRequest, spans: ReadableSpan[]): void {
  const decoded = allSpans(req);
  expect(decoded).toHaveLength(spans.length);
  for (const sdk of spans) {
    const found = decoded.find((d) => d.span.spanId === sdk.spanContext().spanId);
    expect(found, sdk.name).toBeDefined();
    expect(found!.span).toEqual(expectedSpan(sdk));
    expect(found!.rs.resource.attributes).toEqual(
      attributes(sdk.resource.attributes as Record<string, unknown>),
    );
    expect(found!.ss.scope.name).toBe(sdk.instrumentationScope.name);
    expect(found!.ss.scope.version).toBe(sdk.instrumentationScope.version ?? '');
  }
}

describe('traces from the official SDK and serializers', () => {
  const spans = recordSpans();

  it('covers what it claims to cover', () => {
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect(byName.get('child')!.parentSpanContext?.spanId).toBe(
      byName.get('root')!.spanContext().spanId,
    );
    expect(byName.get('grandchild')!.parentSpanContext?.spanId).toBe(
      byName.get('child')!.spanContext().spanId,
    );
    expect(byName.get('child')!.events).toHaveLength(2);
    expect(byName.get('child')!.links).toHaveLength(1);
  });

  it('decodes ProtobufTraceSerializer output field by field', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    const req = decodeTraceRequest(bytes);
    checkAgainstSdk(req, spans);
    const root = allSpans(req).find((d) => d.span.name === 'root')!.span;
    expect(root.attributes['int.large']).toBe(2n ** 60n);
    expect(root.attributes['int.max_safe']).toBe(Number.MAX_SAFE_INTEGER);
    expect(root.attributes['double']).toBe(3.25);
    expect(Object.getPrototypeOf(root.attributes)).toBeNull();
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.startTimeUnixNano).toBeTypeOf('bigint');
  });

  it('decodes a request inside a larger buffer (a Node Buffer pool slice)', () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(spans)!;
    const pool = new Uint8Array(bytes.length + 100);
    pool.set(bytes, 37);
    checkAgainstSdk(decodeTraceRequest(pool.subarray(37, 37 + bytes.length)), spans);
  });

  it('decodes JsonTraceSerializer output field by field', () => {
    const text = JsonTraceSerializer.serializeRequest(spans)!;
    checkAgainstSdk(decodeTraceRequestJsonText(text), spans);
    checkAgainstSdk(decodeTraceRequestJson(JSON.parse(new TextDecoder().decode(text))), spans);
  });

  it('gives the same request from protobuf and from JSON', () => {
    const fromProto = decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(spans)!);
    const fromJson = decodeTraceRequestJsonText(JsonTraceSerializer.serializeRequest(spans)!);
    expect(fromJson).toEqual(fromProto);
  });
});
