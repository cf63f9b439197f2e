import { describe, expect, it } from 'vitest';
import {
  decodeLogsRequest,
  decodeLogsRequestJson,
  decodeMetricsRequest,
  decodeMetricsRequestJson,
  decodeTraceRequest,
  decodeTraceRequestJson,
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
  logsRequestToJson,
  metricsRequestToJson,
  traceRequestToJson,
  type AnyValue,
  type ExportLogsServiceRequest,
} from '../src/index.ts';
import { logsRequest, metricsRequest, traceRequest } from './generate.ts';

/**
 * decode(encode(x)) == x for our own encoders, protobuf and JSON, on generated data that
 * covers what the SDK cannot produce: summaries, exemplars, negative exponential buckets,
 * zero_threshold, kvlist and bytes AnyValues, bigints, NaN / ±Infinity / -0, flags.
 */

const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

/** JSON text and back, as it would travel over OTLP/HTTP. */
const viaText = (json: object): unknown => JSON.parse(JSON.stringify(json));

/** JSON has no -0 (`JSON.stringify(-0)` is `0`): what a JSON round trip can keep of x. */
function jsonCanKeep<T>(x: T): T {
  if (Object.is(x, -0)) return 0 as T;
  if (Array.isArray(x)) return x.map(jsonCanKeep) as T;
  if (typeof x !== 'object' || x === null || x instanceof Uint8Array) return x;
  const out = Object.create(Object.getPrototypeOf(x) as object | null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(x)) out[k] = jsonCanKeep(v);
  return out as T;
}

const signals = [
  {
    name: 'traces',
    generate: (seed: number) => traceRequest(seed),
    encode: encodeTraceRequest,
    decode: decodeTraceRequest,
    toJson: traceRequestToJson,
    fromJson: decodeTraceRequestJson,
  },
  {
    name: 'metrics',
    generate: metricsRequest,
    encode: encodeMetricsRequest,
    decode: decodeMetricsRequest,
    toJson: metricsRequestToJson,
    fromJson: decodeMetricsRequestJson,
  },
  {
    name: 'logs',
    generate: (seed: number) => logsRequest(seed),
    encode: encodeLogsRequest,
    decode: decodeLogsRequest,
    toJson: logsRequestToJson,
    fromJson: decodeLogsRequestJson,
  },
] as const;

describe.each(signals)('$name round trips', (s) => {
  // The union of the three signals' functions is not callable with one request type.
  const encode = s.encode as (r: unknown) => Uint8Array;
  const toJson = s.toJson as (r: unknown) => object;

  it('protobuf: decode(encode(x)) equals x', () => {
    for (const seed of SEEDS) {
      const req = s.generate(seed);
      expect(s.decode(encode(req)), `seed ${seed}`).toEqual(req);
    }
  });

  it('JSON: decodeJson(parse(stringify(toJson(x)))) equals x', () => {
    for (const seed of SEEDS) {
      const req = s.generate(seed);
      expect(s.fromJson(viaText(toJson(req))), `seed ${seed}`).toEqual(jsonCanKeep(req));
    }
  });

  it('encoding is deterministic and stable through a decode', () => {
    const bytes = encode(s.generate(7));
    expect(encode(s.decode(bytes))).toEqual(bytes);
  });

  it('an empty request is zero bytes and decodes back', () => {
    expect(s.decode(new Uint8Array(0))).toEqual(s.fromJson({}));
  });
});

describe('values the data model must keep exactly', () => {
  function logWithBody(body: AnyValue): ExportLogsServiceRequest {
    const attributes = Object.create(null) as Record<string, AnyValue>;
    attributes['__proto__'] = 'plain data';
    attributes['constructor'] = 1;
    return {
      resourceLogs: [
        {
          resource: { attributes, droppedAttributesCount: 0 },
          scopeLogs: [
            {
              scope: { name: '', version: '', attributes, droppedAttributesCount: 0 },
              logRecords: [
                {
                  timeUnixNano: 2n ** 64n - 1n,
                  observedTimeUnixNano: 1n,
                  severityNumber: 24,
                  severityText: '',
                  body,
                  attributes,
                  droppedAttributesCount: 0xffffffff,
                  flags: 0xffffffff,
                  traceId: '',
                  spanId: '',
                  eventName: '',
                },
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    };
  }

  const bodies: [string, AnyValue][] = [
    ['int64 min', -(2n ** 63n)],
    ['int64 max', 2n ** 63n - 1n],
    ['first unsafe integer', 2n ** 53n],
    ['negative safe integer', -(2 ** 53 - 1)],
    ['-0 (a double)', -0],
    ['NaN', NaN],
    ['Infinity', -Infinity],
    ['empty string', ''],
    ['empty bytes', new Uint8Array(0)],
    ['empty array', []],
    ['empty kvlist', Object.create(null) as Record<string, AnyValue>],
    ['empty AnyValue', null],
    ['nested', [[[{ a: [new Uint8Array([1]), null, false] }]]] as AnyValue],
    ['long string', 'x'.repeat(70_000) + '✓'],
  ];

  it.each(bodies)('%s survives protobuf and JSON', (_name, body) => {
    const req = logWithBody(body);
    expect(decodeLogsRequest(encodeLogsRequest(req))).toEqual(req);
    expect(decodeLogsRequestJson(viaText(logsRequestToJson(req)))).toEqual(jsonCanKeep(req));
  });

  it('keeps __proto__ as plain data in null-prototype maps', () => {
    const decoded = decodeLogsRequest(encodeLogsRequest(logWithBody('x')));
    const attrs = decoded.resourceLogs[0]!.resource.attributes;
    expect(Object.getPrototypeOf(attrs)).toBeNull();
    expect(Object.keys(attrs)).toEqual(['__proto__', 'constructor']);
    expect(attrs['__proto__']).toBe('plain data');
  });
});
