import { Metadata } from '@grpc/grpc-js';
import { OTLPTraceExporter as HttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPMetricExporter as HttpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPLogExporter as HttpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import {
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
} from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendGenAiTrace } from '../helpers/genai-trace.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const headers = () => ({ Authorization: `Bearer ${server.adminKey}` });
const grpcMetadata = () => {
  const md = new Metadata();
  md.set('authorization', `Bearer ${server.adminKey}`);
  return md;
};

interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: string; message: string };
  attributes: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
  operation: string;
  provider: string;
  requestModel: string;
  responseModel: string;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  userId: string;
  sessionId: string;
  inputMessages: { role: string; content: string }[] | null;
  outputMessages: { role: string; content: string }[] | null;
}

const traceExporters: [string, () => SpanExporter][] = [
  [
    'http/json',
    () => new HttpJsonTraceExporter({ url: `${server.otlpHttpUrl}/v1/traces`, headers: headers() }),
  ],
  [
    'http/protobuf',
    () => new ProtoTraceExporter({ url: `${server.otlpHttpUrl}/v1/traces`, headers: headers() }),
  ],
  [
    'http/protobuf+gzip',
    () =>
      new ProtoTraceExporter({
        url: `${server.otlpHttpUrl}/v1/traces`,
        headers: headers(),
        compression: 'gzip' as never,
      }),
  ],
  ['grpc', () => new GrpcTraceExporter({ url: server.otlpGrpcUrl, metadata: grpcMetadata() })],
  [
    'grpc+gzip',
    () =>
      new GrpcTraceExporter({
        url: server.otlpGrpcUrl,
        metadata: grpcMetadata(),
        compression: 'gzip' as never,
      }),
  ],
];

describe.each(traceExporters)(
  'traces through the official %s exporter',
  (protocol, makeExporter) => {
    it('come back exactly through the API', async () => {
      const service = `agent-${protocol.replace(/\W/g, '-')}`;
      const sent = await sendGenAiTrace(makeExporter(), service);
      const res = await server.api(`/api/v1/traces/${sent.traceId}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { spans: ApiSpan[] };
      expect(body.spans).toHaveLength(3);
      for (const want of sent.spans) {
        const got = body.spans.find((s) => s.spanId === want.spanId);
        expect(got, want.name).toBeDefined();
        expect(got!.traceId).toBe(sent.traceId);
        expect(got!.name).toBe(want.name);
        expect(got!.parentSpanId).toBe(want.parentSpanId);
        expect(got!.serviceName).toBe(service);
        expect(got!.startTimeUnixNano).toBe(want.startNs);
        expect(got!.endTimeUnixNano).toBe(want.endNs);
        expect(got!.attributes).toEqual(want.attributes);
        expect(got!.resource).toMatchObject({
          'service.name': service,
          'service.version': '1.4.2',
        });
      }
      const root = body.spans.find((s) => s.parentSpanId === '')!;
      expect(root.kind).toMatch(/server/i);
      expect(root.operation).toBe('agent');
      expect(root.userId).toBe('alice');
      expect(root.sessionId).toBe('sess-42');

      const chat = body.spans.find((s) => s.spanId === sent.chatSpanId)!;
      expect(chat.kind).toMatch(/client/i);
      expect(chat).toMatchObject({
        operation: 'chat',
        provider: 'openai',
        requestModel: 'gpt-4o',
        responseModel: 'gpt-4o-2024-08-06',
        inputTokens: 812,
        outputTokens: 96,
        totalTokens: 908,
      });
      expect(chat.inputMessages?.[0]).toMatchObject({
        role: 'user',
        content: 'What is the weather in Paris?',
      });
      expect(chat.outputMessages?.[0]).toMatchObject({
        role: 'assistant',
        content: 'Sunny, 21°C.',
      });
      expect(chat.events).toEqual([
        expect.objectContaining({
          name: 'gen_ai.content.note',
          timeUnixNano: sent.eventNs,
          attributes: { 'note.text': 'cached prefix', 'note.len': 12 },
        }),
      ]);
      expect(chat.links).toEqual([
        expect.objectContaining({
          traceId: sent.linkedTraceId,
          spanId: 'c'.repeat(16),
          attributes: { 'link.reason': 'retry-of' },
        }),
      ]);

      const tool = body.spans.find((s) => s.spanId === sent.toolSpanId)!;
      expect(tool.operation).toBe('tool');
      expect(tool.status).toMatchObject({
        code: expect.stringMatching(/error/i),
        message: 'weather service timed out',
      });
      expect(tool.events[0]).toMatchObject({
        name: 'exception',
        attributes: { 'exception.message': 'timeout after 5s' },
      });

      const list = await server.api(`/api/v1/traces?service=${service}`);
      const summaries = (
        (await list.json()) as {
          traces: { traceId: string; spanCount: number; hasError: boolean; totalTokens: number }[];
        }
      ).traces;
      expect(summaries).toEqual([
        expect.objectContaining({
          traceId: sent.traceId,
          spanCount: 3,
          hasError: true,
          totalTokens: 908,
        }),
      ]);
    });
  },
);

async function sendMetrics(exporter: PushMetricExporter, service: string) {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    readers: [reader],
  });
  const meter = provider.getMeter('pyflare-e2e');
  const tokens = meter.createCounter('gen_ai.client.token.usage.total', { unit: '{token}' });
  tokens.add(100, { 'gen_ai.request.model': 'gpt-4o' });
  tokens.add(50, { 'gen_ai.request.model': 'claude' });
  const latency = meter.createHistogram('gen_ai.client.operation.duration', { unit: 's' });
  for (const v of [0.1, 0.2, 0.4, 0.8, 1.6])
    latency.record(v, { 'gen_ai.request.model': 'gpt-4o' });
  const queue = meter.createUpDownCounter('queue.depth');
  queue.add(7);
  const gauge = meter.createGauge('gpu.utilization');
  gauge.record(0.93);
  await provider.forceFlush();
  await provider.shutdown();
}

const metricExporters: [string, () => PushMetricExporter][] = [
  [
    'http/json',
    () =>
      new HttpJsonMetricExporter({ url: `${server.otlpHttpUrl}/v1/metrics`, headers: headers() }),
  ],
  [
    'http/protobuf',
    () => new ProtoMetricExporter({ url: `${server.otlpHttpUrl}/v1/metrics`, headers: headers() }),
  ],
  ['grpc', () => new GrpcMetricExporter({ url: server.otlpGrpcUrl, metadata: grpcMetadata() })],
];

describe.each(metricExporters)(
  'metrics through the official %s exporter',
  (protocol, makeExporter) => {
    it('are queryable as time series', async () => {
      const service = `metrics-${protocol.replace(/\W/g, '-')}`;
      await sendMetrics(makeExporter(), service);
      const q = (params: string) =>
        server.api(
          `/api/v1/metrics/query?${params}&from=${Date.now() - 3_600_000}&to=${Date.now() + 60_000}&step=3600s`,
        );
      const sum = await q(
        'name=gen_ai.client.token.usage.total&agg=sum&groupBy=gen_ai.request.model&attr=service.name:' +
          service,
      );
      expect(sum.status).toBe(200);
      const series = (
        (await sum.json()) as {
          series: { labels: Record<string, string>; points: [number, number][] }[];
        }
      ).series;
      const byModel = Object.fromEntries(
        series.map((s) => [
          s.labels['gen_ai.request.model'],
          s.points.reduce((a, p) => a + p[1], 0),
        ]),
      );
      expect(byModel).toMatchObject({ 'gpt-4o': 100, claude: 50 });

      const hist = await q('name=gen_ai.client.operation.duration&agg=count');
      expect(hist.status).toBe(200);
      const histSeries = ((await hist.json()) as { series: { points: [number, number][] }[] })
        .series;
      expect(
        histSeries.flatMap((s) => s.points).reduce((a, p) => a + p[1], 0),
      ).toBeGreaterThanOrEqual(5);
    });
  },
);

async function sendLogs(exporter: LogRecordExporter, service: string, traceId: string) {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('pyflare-e2e');
  logger.emit({
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'rate limited by provider, retrying',
    attributes: { 'retry.attempt': 2, 'gen_ai.request.model': 'gpt-4o' },
    context: undefined,
  });
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    body: { structured: true, n: 3 },
    attributes: {},
  });
  await provider.forceFlush();
  await provider.shutdown();
  return traceId;
}

const logExporters: [string, () => LogRecordExporter][] = [
  [
    'http/json',
    () => new HttpJsonLogExporter({ url: `${server.otlpHttpUrl}/v1/logs`, headers: headers() }),
  ],
  [
    'http/protobuf',
    () => new ProtoLogExporter({ url: `${server.otlpHttpUrl}/v1/logs`, headers: headers() }),
  ],
  ['grpc', () => new GrpcLogExporter({ url: server.otlpGrpcUrl, metadata: grpcMetadata() })],
];

describe.each(logExporters)('logs through the official %s exporter', (protocol, makeExporter) => {
  it('come back with their bodies and attributes', async () => {
    const service = `logs-${protocol.replace(/\W/g, '-')}`;
    await sendLogs(makeExporter(), service, '');
    const res = await server.api(`/api/v1/logs?service=${service}&from=${Date.now() - 3_600_000}`);
    expect(res.status).toBe(200);
    const logs = (
      (await res.json()) as {
        logs: {
          body: unknown;
          severityText: string;
          severityNumber: number;
          attributes: Record<string, unknown>;
        }[];
      }
    ).logs;
    expect(logs).toHaveLength(2);
    expect(logs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          body: 'rate limited by provider, retrying',
          severityNumber: 13,
          attributes: { 'retry.attempt': 2, 'gen_ai.request.model': 'gpt-4o' },
        }),
        expect.objectContaining({ body: { structured: true, n: 3 } }),
      ]),
    );
  });
});
