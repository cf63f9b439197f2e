import { ValueType } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  decodeMetricsRequest,
  decodeMetricsRequestJsonText,
  type ExportMetricsServiceRequest,
} from '../src/index.ts';
import { attributes, expectedMetric } from './sdk-expect.ts';

/**
 * Real metrics from the official SDK (every instrument kind, explicit and exponential
 * histograms), serialized by the official serializers, decoded by ours, compared field by
 * field with what the SDK collected.
 */

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function collect(temporality: AggregationTemporality): Promise<ResourceMetrics> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'metrics-test' }),
    readers: [reader],
    views: [
      {
        instrumentName: 'llm.latency.exp',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } },
      },
      {
        instrumentName: 'llm.latency',
        aggregation: {
          type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
          options: { boundaries: [0, 10, 100, 1000], recordMinMax: true },
        },
      },
    ],
  });
  const meter = provider.getMeter('metrics-scope', '0.9.0');
  const tokens = meter.createCounter('llm.tokens', { unit: '{token}', valueType: ValueType.INT });
  tokens.add(120, { model: 'gpt-4o', kind: 'input' });
  tokens.add(30, { model: 'gpt-4o', kind: 'output' });
  tokens.add(5, { model: 'gpt-4o', kind: 'output' });
  const inflight = meter.createUpDownCounter('llm.inflight', { description: 'requests in flight' });
  inflight.add(3.5);
  inflight.add(-1);
  const temperature = meter.createGauge('gpu.temperature', { unit: 'Cel' });
  temperature.record(71.5, { gpu: 0 });
  temperature.record(-3, { gpu: 1 });
  const latency = meter.createHistogram('llm.latency', { unit: 'ms' });
  for (const v of [0, 3, 12, 150, 150, 5000]) latency.record(v, { route: '/chat' });
  const exp = meter.createHistogram('llm.latency.exp', { unit: 's' });
  // (histograms take no negative values in the SDK: negative buckets are covered by round-trip.test.ts)
  for (const v of [0, 0.001, 0.5, 1, 2, 3, 100]) exp.record(v);
  meter
    .createObservableGauge('queue.depth', { valueType: ValueType.INT })
    .addCallback((result) => result.observe(17, { queue: 'ingest' }));
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

function check(req: ExportMetricsServiceRequest, sdk: ResourceMetrics): void {
  expect(req.resourceMetrics).toHaveLength(1);
  const rm = req.resourceMetrics[0]!;
  expect(rm.resource.attributes).toEqual(
    attributes(sdk.resource.attributes as Record<string, unknown>),
  );
  expect(rm.scopeMetrics).toHaveLength(sdk.scopeMetrics.length);
  sdk.scopeMetrics.forEach((sm, i) => {
    const decoded = rm.scopeMetrics[i]!;
    expect(decoded.scope.name).toBe(sm.scope.name);
    expect(decoded.scope.version).toBe(sm.scope.version);
    expect(decoded.metrics).toEqual(
      sm.metrics.map((m) => expectedMetric(m, m.descriptor.valueType === ValueType.INT)),
    );
  });
}

describe.each([
  ['cumulative', AggregationTemporality.CUMULATIVE],
  ['delta', AggregationTemporality.DELTA],
])('metrics from the official SDK and serializers (%s)', (_name, temporality) => {
  it('collects every data kind (sanity check of the fixture)', async () => {
    const sdk = await collect(temporality);
    const kinds = new Set(sdk.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.dataPointType)));
    expect(kinds).toEqual(
      new Set([
        DataPointType.SUM,
        DataPointType.GAUGE,
        DataPointType.HISTOGRAM,
        DataPointType.EXPONENTIAL_HISTOGRAM,
      ]),
    );
  });

  it('decodes ProtobufMetricsSerializer output field by field', async () => {
    const sdk = await collect(temporality);
    const req = decodeMetricsRequest(ProtobufMetricsSerializer.serializeRequest(sdk)!);
    check(req, sdk);
    const exp = req.resourceMetrics[0]!.scopeMetrics[0]!.metrics.find(
      (m) => m.name === 'llm.latency.exp',
    )!;
    expect(exp.data.type).toBe('exponentialHistogram');
    if (exp.data.type === 'exponentialHistogram') {
      const p = exp.data.dataPoints[0]!;
      expect(p.positive.bucketCounts.length).toBeGreaterThan(1);
      expect(p.zeroCount).toBe(1);
      expect([p.count, p.min, p.max]).toEqual([7, 0, 100]);
    }
  });

  it('decodes JsonMetricsSerializer output field by field', async () => {
    const sdk = await collect(temporality);
    check(decodeMetricsRequestJsonText(JsonMetricsSerializer.serializeRequest(sdk)!), sdk);
  });
});
