import {
  context,
  trace,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type HrTime,
} from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';

/** What a test expects to read back for one span. */
export interface ExpectedSpan {
  name: string;
  spanId: string;
  parentSpanId: string;
  startNs: string;
  endNs: string;
  attributes: Attributes;
}

const toNs = (t: HrTime) => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();

/**
 * Sends one realistic GenAI agent trace through the official SDK and `exporter`: an agent
 * root, a chat span with GenAI attributes, content events and a link, a tool span with an
 * error, and attributes of every type. Times carry odd nanoseconds to check exactness.
 */
export async function sendGenAiTrace(exporter: SpanExporter, service: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.version': '1.4.2',
      'deployment.environment.name': 'staging',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('pyflare-e2e', '0.0.1');
  const base = Math.floor(Date.now() / 1000) - 5;
  const at = (offsetMs: number, extraNs: number): HrTime => [
    base + Math.floor(offsetMs / 1000),
    (offsetMs % 1000) * 1_000_000 + extraNs,
  ];

  const rootAttrs: Attributes = {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': 'weather-agent',
    'user.id': 'alice',
    'session.id': 'sess-42',
    'app.flag': true,
    'app.retries': 3,
    'app.temperature': 0.7,
    'app.tags': ['a', 'b', 'c'],
    'app.scores': [0.5, 1.25],
    'app.ids': [7, 8, 9],
    'app.bools': [true, false],
  };
  const root = tracer.startSpan('invoke_agent weather-agent', {
    kind: SpanKind.SERVER,
    startTime: at(0, 123),
    attributes: rootAttrs,
  });
  const rootCtx = trace.setSpan(context.active(), root);

  const chatAttrs: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.usage.input_tokens': 812,
    'gen_ai.usage.output_tokens': 96,
    'gen_ai.request.temperature': 0.2,
    'gen_ai.input.messages': JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: 'What is the weather in Paris?' }] },
    ]),
    'gen_ai.output.messages': JSON.stringify([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Sunny, 21°C.' }],
        finish_reason: 'stop',
      },
    ]),
  };
  const linkedTraceId = 'a'.repeat(31) + 'b';
  const chat = tracer.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: at(10, 456),
      attributes: chatAttrs,
      links: [
        {
          context: { traceId: linkedTraceId, spanId: 'c'.repeat(16), traceFlags: 1 },
          attributes: { 'link.reason': 'retry-of' },
        },
      ],
    },
    rootCtx,
  );
  chat.addEvent(
    'gen_ai.content.note',
    { 'note.text': 'cached prefix', 'note.len': 12 },
    at(20, 789),
  );
  chat.end(at(870, 1));

  const toolAttrs: Attributes = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'get_weather',
    'gen_ai.tool.call.id': 'call_1',
  };
  const tool = tracer.startSpan(
    'execute_tool get_weather',
    { kind: SpanKind.INTERNAL, startTime: at(880, 2), attributes: toolAttrs },
    rootCtx,
  );
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'weather service timed out' });
  tool.recordException(new Error('timeout after 5s'), at(1900, 3));
  tool.end(at(1905, 4));
  root.end(at(2000, 5));

  await provider.forceFlush();
  await provider.shutdown();

  const spans: ExpectedSpan[] = [
    {
      name: 'invoke_agent weather-agent',
      spanId: root.spanContext().spanId,
      parentSpanId: '',
      startNs: toNs(at(0, 123)),
      endNs: toNs(at(2000, 5)),
      attributes: rootAttrs,
    },
    {
      name: 'chat gpt-4o',
      spanId: chat.spanContext().spanId,
      parentSpanId: root.spanContext().spanId,
      startNs: toNs(at(10, 456)),
      endNs: toNs(at(870, 1)),
      attributes: chatAttrs,
    },
    {
      name: 'execute_tool get_weather',
      spanId: tool.spanContext().spanId,
      parentSpanId: root.spanContext().spanId,
      startNs: toNs(at(880, 2)),
      endNs: toNs(at(1905, 4)),
      attributes: toolAttrs,
    },
  ];
  return {
    traceId: root.spanContext().traceId,
    spans,
    chatSpanId: chat.spanContext().spanId,
    toolSpanId: tool.spanContext().spanId,
    linkedTraceId,
    eventNs: toNs(at(20, 789)),
  };
}
