import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flush, getTracer, init, shutdown, trace, type PyflareSdk } from '../src/index.ts';
import { LeanTracer } from '../src/tracer.ts';
import { byName, fetchTrace, startTestServer, type TestServer } from './helpers/pyflare-server.ts';

/**
 * PyFlare's lean tracer against the OpenTelemetry SDK's tracer of the same provider, through the
 * real OTLP/HTTP protobuf exporter to a real PyFlare server: the same calls store the same span.
 */

let server: TestServer;
let sdk: PyflareSdk;

beforeAll(async () => {
  server = await startTestServer();
  sdk = init({
    endpoint: server.otlpHttpUrl,
    apiKey: server.adminKey,
    serviceName: 'sdk-lean-e2e',
    environment: 'test',
    scheduledDelayMillis: 50,
  });
});

afterAll(async () => {
  await shutdown();
  await server?.stop();
});

const T0 = Date.now() - 60_000;

/** The same span on either tracer: attributes, events, an exception, status, kind, times. */
function twin(tracer: Tracer, name: string): void {
  const span = tracer.startSpan(name, {
    kind: SpanKind.CLIENT,
    startTime: T0 + 1,
    attributes: { 'app.s': 'x', 'app.n': 1.5, 'app.b': true, 'app.arr': ['a', 'b'] },
  });
  span.setAttribute('app.later', 7);
  span.addEvent('step', { 'step.n': 1 }, T0 + 2);
  const error = new TypeError('bad input');
  error.stack = 'TypeError: bad input\n    at twin (test)';
  span.recordException(error, T0 + 3);
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'bad input' });
  span.end(T0 + 5);
}

describe('lean tracer spans, stored by a real server', () => {
  it('is the tracer PyFlare records with', () => {
    expect(getTracer()).toBeInstanceOf(LeanTracer);
    expect(sdk.tracer).not.toBeInstanceOf(LeanTracer);
  });

  it('store the same fields as spans of the OTel SDK tracer', async () => {
    let traceId = '';
    sdk.tracer.startActiveSpan('root', { startTime: T0 }, (root) => {
      traceId = root.spanContext().traceId;
      twin(sdk.tracer, 'twin');
      twin(getTracer(), 'twin');
      root.end(T0 + 10);
    });
    await flush();
    const spans = await fetchTrace(server, traceId, 3);
    const root = byName(spans, 'root');
    const twins = spans.filter((s) => s.name === 'twin');
    expect(twins).toHaveLength(2);
    const [a, b] = twins.map(({ spanId, ...rest }) => {
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      return rest;
    });
    expect(b).toEqual(a);
    expect(a!.parentSpanId).toBe(root.spanId);
    expect(a!.kind).toMatch(/client/i);
    expect(a!.status.code).toMatch(/error/i);
    expect(a!.status.message).toBe('bad input');
    expect(a!.attributes).toMatchObject({ 'app.s': 'x', 'app.n': 1.5, 'app.later': 7 });
    expect(a!.events.map((e) => e.name)).toEqual(['step', 'exception']);
    expect(a!.resource['service.name']).toBe('sdk-lean-e2e');
    expect(BigInt(a!.endTimeUnixNano) - BigInt(a!.startTimeUnixNano)).toBe(4_000_000n);
  });

  it('nest with OTel tracer spans both ways, across awaits and generators', async () => {
    let traceId = '';
    await trace('lean root', async (span) => {
      traceId = span.spanContext().traceId;
      await new Promise((r) => setTimeout(r, 2));
      await sdk.tracer.startActiveSpan('otel middle', async (middle) => {
        await new Promise((r) => setTimeout(r, 2));
        for (const _ of trace('lean generator', function* () {
          yield 1;
          sdk.tracer.startActiveSpan('otel in generator', (s) => s.end());
          yield 2;
        })) {
          // iterate
        }
        middle.end();
      });
    });
    await flush();
    const spans = await fetchTrace(server, traceId, 4);
    const id = (n: string) => byName(spans, n).spanId;
    expect(byName(spans, 'lean root').parentSpanId).toBe('');
    expect(byName(spans, 'otel middle').parentSpanId).toBe(id('lean root'));
    expect(byName(spans, 'lean generator').parentSpanId).toBe(id('otel middle'));
    expect(byName(spans, 'otel in generator').parentSpanId).toBe(id('lean generator'));
  });
});
