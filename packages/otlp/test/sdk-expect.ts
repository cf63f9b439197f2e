import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality as SdkTemporality,
  DataPointType,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { AnyValue, Attributes, LogRecord, Metric, Span } from '../src/index.ts';

/**
 * What went in: the records of the official OpenTelemetry JS SDK turned into our decoded
 * shapes by rules written from the OTLP spec, not from our decoders or the official
 * serializers, so that a round trip through both checks every field.
 */

export function nanos(t: HrTime): bigint {
  return BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
}

/** An SDK attribute or log value as our AnyValue: unsafe integers come back as bigint. */
export function value(v: unknown): AnyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean' || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(value);
  return attributes(v as Record<string, unknown>);
}

export function attributes(attrs: Record<string, unknown> | undefined): Attributes {
  const out = Object.create(null) as Attributes;
  for (const [k, v] of Object.entries(attrs ?? {})) out[k] = value(v);
  return out;
}

/** Span.flags: W3C trace flags in the low byte, bit 8 "has is_remote", bit 9 "is_remote". */
function spanFlags(ctx: SpanContext | undefined, traceFlags: number): number {
  return (traceFlags & 0xff) | 0x100 | (ctx?.isRemote ? 0x200 : 0);
}

function link(l: Link) {
  return {
    traceId: l.context.traceId,
    spanId: l.context.spanId,
    traceState: l.context.traceState?.serialize() ?? '',
    attributes: attributes(l.attributes),
    droppedAttributesCount: l.droppedAttributesCount ?? 0,
    flags: spanFlags(l.context, l.context.traceFlags),
  };
}

export function expectedSpan(s: ReadableSpan): Span {
  const ctx = s.spanContext();
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    traceState: ctx.traceState?.serialize() ?? '',
    parentSpanId: s.parentSpanContext?.spanId ?? '',
    flags: spanFlags(s.parentSpanContext, ctx.traceFlags),
    name: s.name,
    kind: s.kind + 1, // the API has no UNSPECIFIED: OTLP = API + 1
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    attributes: attributes(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: nanos(e.time),
      name: e.name,
      attributes: attributes(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map(link),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status.code, message: s.status.message ?? '' },
  };
}

export function expectedLog(r: ReadableLogRecord): LogRecord {
  return {
    timeUnixNano: nanos(r.hrTime),
    observedTimeUnixNano: nanos(r.hrTimeObserved),
    severityNumber: r.severityNumber ?? 0,
    severityText: r.severityText ?? '',
    body: r.body === undefined ? undefined : value(r.body),
    attributes: attributes(r.attributes),
    droppedAttributesCount: r.droppedAttributesCount,
    flags: r.spanContext?.traceFlags ?? 0,
    traceId: r.spanContext?.traceId ?? '',
    spanId: r.spanContext?.spanId ?? '',
    eventName: r.eventName ?? '',
  };
}

const TEMPORALITY = { [SdkTemporality.DELTA]: 1, [SdkTemporality.CUMULATIVE]: 2 };

export function expectedMetric(m: MetricData, valueTypeInt: boolean): Metric {
  const base = {
    name: m.descriptor.name,
    description: m.descriptor.description,
    unit: m.descriptor.unit,
    metadata: attributes({}),
  };
  const times = (p: { startTime: HrTime; endTime: HrTime; attributes: object }) => ({
    attributes: attributes(p.attributes as Record<string, unknown>),
    startTimeUnixNano: nanos(p.startTime),
    timeUnixNano: nanos(p.endTime),
    exemplars: [],
    flags: 0,
  });
  switch (m.dataPointType) {
    case DataPointType.GAUGE:
    case DataPointType.SUM: {
      const dataPoints = m.dataPoints.map((p) => ({
        ...times(p),
        value: p.value,
        valueType: valueTypeInt ? ('int' as const) : ('double' as const),
      }));
      if (m.dataPointType === DataPointType.GAUGE) {
        return { ...base, data: { type: 'gauge', dataPoints } };
      }
      return {
        ...base,
        data: {
          type: 'sum',
          dataPoints,
          aggregationTemporality: TEMPORALITY[m.aggregationTemporality],
          isMonotonic: m.isMonotonic,
        },
      };
    }
    case DataPointType.HISTOGRAM:
      return {
        ...base,
        data: {
          type: 'histogram',
          aggregationTemporality: TEMPORALITY[m.aggregationTemporality],
          dataPoints: m.dataPoints.map((p) => ({
            ...times(p),
            count: p.value.count,
            sum: p.value.sum,
            bucketCounts: p.value.buckets.counts,
            explicitBounds: p.value.buckets.boundaries,
            min: p.value.min,
            max: p.value.max,
          })),
        },
      };
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return {
        ...base,
        data: {
          type: 'exponentialHistogram',
          aggregationTemporality: TEMPORALITY[m.aggregationTemporality],
          dataPoints: m.dataPoints.map((p) => ({
            ...times(p),
            count: p.value.count,
            sum: p.value.sum,
            scale: p.value.scale,
            zeroCount: p.value.zeroCount,
            positive: { ...p.value.positive },
            negative: { ...p.value.negative },
            min: p.value.min,
            max: p.value.max,
            zeroThreshold: 0,
          })),
        },
      };
  }
}
