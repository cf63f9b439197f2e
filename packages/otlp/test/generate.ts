import type {
  AnyValue,
  Attributes,
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  ExportTraceServiceRequest,
  InstrumentationScope,
  Metric,
  Resource,
  Span,
} from '../src/index.ts';

/**
 * Deterministic generators of decoded OTLP requests (our own shapes), for round trips,
 * fuzzing seeds and the decode benchmark. Each takes a seed; the same seed gives the
 * same request.
 */

export type Rng = () => number;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]!;

export function hex(r: Rng, bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += int(r, 256).toString(16).padStart(2, '0');
  return s;
}

function attrs(entries: [string, AnyValue][]): Attributes {
  const out = Object.create(null) as Attributes;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

const WORDS = ['chat', 'gpt-4o', 'retrieve', 'ünïcödé ✓', '', 'tool call', 'a'.repeat(40)];

/** Any AnyValue, nesting arrays and kvlists up to `depth`. */
export function anyValue(r: Rng, depth = 2): AnyValue {
  switch (int(r, depth > 0 ? 10 : 8)) {
    case 0:
      return pick(r, WORDS);
    case 1:
      return r() < 0.5;
    case 2:
      return int(r, 2 ** 31) - 2 ** 30;
    case 3:
      return pick(r, [2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n, 9007199254740993n]);
    case 4:
      return pick(r, [1.5, -0.25, 1e300, Number.NaN, Infinity, -Infinity, -0]);
    case 5:
      return new Uint8Array(Array.from({ length: int(r, 5) }, () => int(r, 256)));
    case 6:
      return null;
    case 7:
      return Number.MAX_SAFE_INTEGER;
    case 8:
      return Array.from({ length: int(r, 4) }, () => anyValue(r, depth - 1));
    default:
      return attrs(Array.from({ length: int(r, 4) }, (_, i) => [`k${i}`, anyValue(r, depth - 1)]));
  }
}

export function attributes(r: Rng, n: number): Attributes {
  return attrs(Array.from({ length: n }, (_, i) => [`attr.${i}`, anyValue(r)]));
}

function resource(r: Rng): Resource {
  return {
    attributes: attrs([
      ['service.name', `svc-${int(r, 10)}`],
      ['host.cpu', int(r, 64)],
    ]),
    droppedAttributesCount: int(r, 3),
  };
}

function scope(r: Rng): InstrumentationScope {
  return {
    name: pick(r, ['openinference', 'opentelemetry.instrumentation.openai', '']),
    version: pick(r, ['1.2.3', '']),
    attributes: attributes(r, int(r, 3)),
    droppedAttributesCount: int(r, 2),
  };
}

const time = (r: Rng): bigint => 1_700_000_000_000_000_000n + BigInt(int(r, 2 ** 31)) * 1000n;

export function span(r: Rng, nAttributes = int(r, 6)): Span {
  const start = time(r);
  return {
    traceId: hex(r, 16),
    spanId: hex(r, 8),
    traceState: pick(r, ['', 'vendor=1']),
    parentSpanId: r() < 0.3 ? '' : hex(r, 8),
    flags: pick(r, [0, 1, 257, 0xffffffff]),
    name: pick(r, WORDS),
    kind: int(r, 6),
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(int(r, 1e9)),
    attributes: attributes(r, nAttributes),
    droppedAttributesCount: int(r, 2),
    events: Array.from({ length: int(r, 3) }, () => ({
      timeUnixNano: time(r),
      name: pick(r, WORDS),
      attributes: attributes(r, int(r, 3)),
      droppedAttributesCount: int(r, 2),
    })),
    droppedEventsCount: int(r, 2),
    links: Array.from({ length: int(r, 2) }, () => ({
      traceId: hex(r, 16),
      spanId: hex(r, 8),
      traceState: pick(r, ['', 'k=v']),
      attributes: attributes(r, int(r, 2)),
      droppedAttributesCount: int(r, 2),
      flags: pick(r, [0, 1, 256]),
    })),
    droppedLinksCount: int(r, 2),
    status: { code: int(r, 3), message: pick(r, ['', 'boom']) },
  };
}

export function traceRequest(seed: number, spans = 5): ExportTraceServiceRequest {
  const r = rng(seed);
  return {
    resourceSpans: Array.from({ length: 1 + int(r, 2) }, () => ({
      resource: resource(r),
      scopeSpans: Array.from({ length: 1 + int(r, 2) }, () => ({
        scope: scope(r),
        spans: Array.from({ length: spans }, () => span(r)),
        schemaUrl: pick(r, ['', 'https://opentelemetry.io/schemas/1.26.0']),
      })),
      schemaUrl: pick(r, ['', 'https://opentelemetry.io/schemas/1.26.0']),
    })),
  };
}

const point = (r: Rng) => ({
  attributes: attributes(r, int(r, 3)),
  startTimeUnixNano: time(r),
  timeUnixNano: time(r),
  flags: int(r, 2),
});

const exemplars = (r: Rng) =>
  Array.from({ length: int(r, 2) }, () => ({
    filteredAttributes: attributes(r, int(r, 2)),
    timeUnixNano: time(r),
    value: pick(r, [3, 2.5, -7]),
    spanId: pick(r, ['', hex(r, 8)]),
    traceId: pick(r, ['', hex(r, 16)]),
  }));

const optional = (r: Rng, v: number): number | undefined => (r() < 0.5 ? undefined : v);

function metric(r: Rng, kind: number): Metric {
  const base = { name: `m.${kind}`, description: pick(r, ['', 'desc']), unit: pick(r, ['', 'ms']) };
  const metadata = attributes(r, int(r, 2));
  const n = 1 + int(r, 3);
  const counts = (k: number) => Array.from({ length: k }, () => int(r, 1000));
  switch (kind) {
    case 0:
      return { ...base, metadata, data: { type: 'empty' } };
    case 1:
    case 2: {
      const dataPoints = Array.from({ length: n }, () => {
        const valueType = pick(r, ['int', 'double', 'none'] as const);
        const value = valueType === 'int' ? int(r, 1e6) - 5e5 : valueType === 'double' ? r() : 0;
        return { ...point(r), value, valueType, exemplars: exemplars(r) };
      });
      if (kind === 1) return { ...base, metadata, data: { type: 'gauge', dataPoints } };
      const sum = { aggregationTemporality: int(r, 3), isMonotonic: r() < 0.5 };
      return { ...base, metadata, data: { type: 'sum', dataPoints, ...sum } };
    }
    case 3:
      return {
        ...base,
        metadata,
        data: {
          type: 'histogram',
          aggregationTemporality: int(r, 3),
          dataPoints: Array.from({ length: n }, () => ({
            ...point(r),
            count: int(r, 1e6),
            sum: optional(r, r() * 100),
            bucketCounts: counts(4),
            explicitBounds: [0, 5, 10],
            exemplars: exemplars(r),
            min: optional(r, 0.5),
            max: optional(r, 99),
          })),
        },
      };
    case 4:
      return {
        ...base,
        metadata,
        data: {
          type: 'exponentialHistogram',
          aggregationTemporality: int(r, 3),
          dataPoints: Array.from({ length: n }, () => ({
            ...point(r),
            count: int(r, 1e6),
            sum: optional(r, 12.5),
            scale: int(r, 40) - 20,
            zeroCount: int(r, 10),
            positive: { offset: int(r, 20) - 10, bucketCounts: counts(int(r, 5)) },
            negative: { offset: 0, bucketCounts: counts(int(r, 3)) },
            exemplars: exemplars(r),
            min: optional(r, -3),
            max: optional(r, 8),
            zeroThreshold: pick(r, [0, 1e-9]),
          })),
        },
      };
    default:
      return {
        ...base,
        metadata,
        data: {
          type: 'summary',
          dataPoints: Array.from({ length: n }, () => ({
            ...point(r),
            count: int(r, 1000),
            sum: pick(r, [0, 12.25]),
            quantileValues: [
              { quantile: 0, value: 1 },
              { quantile: 0.5, value: 4.5 },
              { quantile: 1, value: 0 },
            ],
          })),
        },
      };
  }
}

export function metricsRequest(seed: number): ExportMetricsServiceRequest {
  const r = rng(seed);
  return {
    resourceMetrics: Array.from({ length: 1 + int(r, 2) }, () => ({
      resource: resource(r),
      scopeMetrics: Array.from({ length: 1 + int(r, 2) }, () => ({
        scope: scope(r),
        metrics: [0, 1, 2, 3, 4, 5].map((kind) => metric(r, kind)),
        schemaUrl: pick(r, ['', 'https://opentelemetry.io/schemas/1.26.0']),
      })),
      schemaUrl: '',
    })),
  };
}

export function logsRequest(seed: number, records = 5): ExportLogsServiceRequest {
  const r = rng(seed);
  return {
    resourceLogs: Array.from({ length: 1 + int(r, 2) }, () => ({
      resource: resource(r),
      scopeLogs: Array.from({ length: 1 + int(r, 2) }, () => ({
        scope: scope(r),
        logRecords: Array.from({ length: records }, () => ({
          timeUnixNano: pick(r, [0n, time(r)]),
          observedTimeUnixNano: time(r),
          severityNumber: int(r, 25),
          severityText: pick(r, ['', 'INFO', 'ERROR']),
          body: r() < 0.2 ? undefined : anyValue(r, 3),
          attributes: attributes(r, int(r, 4)),
          droppedAttributesCount: int(r, 2),
          flags: pick(r, [0, 1]),
          traceId: pick(r, ['', hex(r, 16)]),
          spanId: pick(r, ['', hex(r, 8)]),
          eventName: pick(r, ['', 'gen_ai.client.inference.operation.details']),
        })),
        schemaUrl: '',
      })),
      schemaUrl: pick(r, ['', 'https://opentelemetry.io/schemas/1.26.0']),
    })),
  };
}

const LLM_KEYS = [
  'gen_ai.operation.name',
  'gen_ai.system',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.request.temperature',
  'gen_ai.request.max_tokens',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.response.finish_reasons',
  'gen_ai.response.id',
  'http.request.method',
  'url.full',
  'server.address',
  'server.port',
  'session.id',
];

/** A realistic batch: `n` LLM-ish spans with 15 attributes each, as an SDK would send. */
export function realisticTraceRequest(n: number, seed = 1): ExportTraceServiceRequest {
  const r = rng(seed);
  const traceId = hex(r, 16);
  const spans: Span[] = [];
  for (let i = 0; i < n; i++) {
    const start = time(r);
    const values: AnyValue[] = [
      'chat',
      'openai',
      'gpt-4o-mini',
      'gpt-4o-mini-2024-07-18',
      0.7,
      1024,
      int(r, 4000),
      int(r, 1000),
      ['stop'],
      `chatcmpl-${hex(r, 12)}`,
      'POST',
      'https://api.openai.com/v1/chat/completions',
      'api.openai.com',
      443,
      `sess-${hex(r, 8)}`,
    ];
    spans.push({
      traceId: i % 20 === 0 ? hex(r, 16) : traceId,
      spanId: hex(r, 8),
      traceState: '',
      parentSpanId: i % 20 === 0 ? '' : hex(r, 8),
      flags: 257,
      name: 'chat gpt-4o-mini',
      kind: 3,
      startTimeUnixNano: start,
      endTimeUnixNano: start + 1_234_567n,
      attributes: attrs(LLM_KEYS.map((k, j) => [k, values[j]!])),
      droppedAttributesCount: 0,
      events:
        i % 4 === 0
          ? [
              {
                timeUnixNano: start,
                name: 'gen_ai.choice',
                attributes: attrs([['index', 0]]),
                droppedAttributesCount: 0,
              },
            ]
          : [],
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: i % 50 === 0 ? 2 : 0, message: '' },
    });
  }
  return {
    resourceSpans: [
      {
        resource: {
          attributes: attrs([
            ['service.name', 'rag-api'],
            ['telemetry.sdk.language', 'python'],
          ]),
          droppedAttributesCount: 0,
        },
        scopeSpans: [
          {
            scope: {
              name: 'openinference.instrumentation.openai',
              version: '0.1.0',
              attributes: attrs([]),
              droppedAttributesCount: 0,
            },
            spans,
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}
