import { describe, expect, it } from 'vitest';
import {
  decodeLogsRequestJson,
  decodeMetricsRequestJson,
  decodeTraceRequestJson,
  decodeTraceRequestJsonText,
  OtlpDecodeError,
  parseOtlpJson,
} from '../src/index.ts';

/** OTLP/JSON decoding: the mapping rules, and errors that name the JSON path. */

const TRACE_ID = '5B8EFFF798038103D269B633813FC60C';

/** A trace request with `span` as spans[3] of scopeSpans[1] of resourceSpans[0]. */
function traceWith(span: Record<string, unknown>) {
  return {
    resourceSpans: [
      {
        scopeSpans: [{ spans: [] }, { spans: [{}, {}, {}, span] }],
      },
    ],
  };
}

const spanOf = (span: Record<string, unknown>) =>
  decodeTraceRequestJson(traceWith(span)).resourceSpans[0]!.scopeSpans[1]!.spans[3]!;

function errorOf(fn: () => unknown): OtlpDecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OtlpDecodeError);
    return e as OtlpDecodeError;
  }
  throw new Error('expected an OtlpDecodeError');
}

describe('OTLP/JSON mapping', () => {
  it('reads a span with lowerCamelCase keys, hex ids, string int64s and integer enums', () => {
    const span = spanOf({
      traceId: TRACE_ID,
      spanId: 'EEE19B7EC3C1B174',
      parentSpanId: '',
      traceState: 'k=v',
      flags: 257,
      name: 'chat',
      kind: 3,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: 1700000000000001000,
      attributes: [
        { key: 'int.string', value: { intValue: '9007199254740993' } },
        { key: 'int.number', value: { intValue: 42 } },
        { key: 'double', value: { doubleValue: 'NaN' } },
        { key: 'bytes', value: { bytesValue: 'AAH+/w==' } },
        { key: 'url-safe bytes', value: { bytesValue: 'AAH-_w' } },
        {
          key: 'kv',
          value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } },
        },
        { key: 'empty', value: {} },
        { key: 'missing value' },
      ],
      events: [{ timeUnixNano: '5', name: 'e', attributes: [] }],
      links: [{ traceId: TRACE_ID, spanId: 'AB', flags: 1 }],
      status: { code: 2, message: 'boom' },
      unknownField: { ignored: true },
    });
    expect(span).toEqual({
      traceId: TRACE_ID.toLowerCase(),
      spanId: 'eee19b7ec3c1b174',
      traceState: 'k=v',
      parentSpanId: '',
      flags: 257,
      name: 'chat',
      kind: 3,
      startTimeUnixNano: 1700000000000000000n,
      endTimeUnixNano: 1700000000000001024n, // a JSON number: the nearest double
      attributes: {
        'int.string': 9007199254740993n,
        'int.number': 42,
        double: NaN,
        bytes: new Uint8Array([0, 1, 254, 255]),
        'url-safe bytes': new Uint8Array([0, 1, 254, 255]),
        kv: { a: true },
        empty: null,
        'missing value': null,
      },
      droppedAttributesCount: 0,
      events: [{ timeUnixNano: 5n, name: 'e', attributes: {}, droppedAttributesCount: 0 }],
      droppedEventsCount: 0,
      links: [
        {
          traceId: TRACE_ID.toLowerCase(),
          spanId: 'ab',
          traceState: '',
          attributes: {},
          droppedAttributesCount: 0,
          flags: 1,
        },
      ],
      droppedLinksCount: 0,
      status: { code: 2, message: 'boom' },
    });
    expect(Object.getPrototypeOf(span.attributes)).toBeNull();
  });

  it('accepts enum names as well as numbers', () => {
    expect(spanOf({ kind: 'SPAN_KIND_CONSUMER' }).kind).toBe(5);
    expect(spanOf({ kind: 2 }).kind).toBe(2);
    expect(spanOf({ status: { code: 'STATUS_CODE_OK' } }).status.code).toBe(1);
    const logs = decodeLogsRequestJson({
      resourceLogs: [
        {
          scopeLogs: [
            { logRecords: [{ severityNumber: 'SEVERITY_NUMBER_WARN3' }, { severityNumber: 17 }] },
          ],
        },
      ],
    });
    expect(logs.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((r) => r.severityNumber)).toEqual([
      15, 17,
    ]);
    const metrics = decodeMetricsRequestJson({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { sum: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA' } },
                { histogram: { aggregationTemporality: 2 } },
              ],
            },
          ],
        },
      ],
    });
    const [sum, histogram] = metrics.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(sum!.data).toMatchObject({ type: 'sum', aggregationTemporality: 1 });
    expect(histogram!.data).toMatchObject({ type: 'histogram', aggregationTemporality: 2 });
  });

  it('accepts int64 as a string or a number', () => {
    for (const t of ['1700000000000000000', 1700000000000000000]) {
      expect(spanOf({ startTimeUnixNano: t }).startTimeUnixNano).toBe(BigInt(t));
    }
    const m = decodeMetricsRequestJson({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  histogram: {
                    dataPoints: [
                      { count: '6', bucketCounts: ['1', 2, '3'], explicitBounds: [1, '2.5'] },
                    ],
                  },
                },
                {
                  gauge: { dataPoints: [{ asInt: '-5' }, { asInt: 7 }, { asDouble: 'Infinity' }] },
                },
              ],
            },
          ],
        },
      ],
    }).resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(m[0]!.data).toMatchObject({
      dataPoints: [{ count: 6, bucketCounts: [1, 2, 3], explicitBounds: [1, 2.5] }],
    });
    expect(m[1]!.data).toMatchObject({
      dataPoints: [
        { value: -5, valueType: 'int' },
        { value: 7, valueType: 'int' },
        { value: Infinity, valueType: 'double' },
      ],
    });
  });

  it('passes invalid ids through, lowercased, for the pipeline to reject', () => {
    const span = spanOf({ traceId: 'NOT-HEX!', spanId: 'AbC' });
    expect(span.traceId).toBe('not-hex!');
    expect(span.spanId).toBe('abc');
  });

  it('treats null like an absent field', () => {
    const span = spanOf({ name: null, attributes: null, status: null, startTimeUnixNano: null });
    expect(span).toMatchObject({
      name: '',
      attributes: {},
      status: { code: 0 },
      startTimeUnixNano: 0n,
    });
  });

  it('ignores snake_case keys, which OTLP/JSON does not allow', () => {
    expect(spanOf({ trace_id: TRACE_ID, start_time_unix_nano: '5' })).toMatchObject({
      traceId: '',
      startTimeUnixNano: 0n,
    });
  });
});

describe('OTLP/JSON errors name the path', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', 5, '(root): expected an object'],
    [
      'spans not an array',
      { resourceSpans: [{ scopeSpans: [{ spans: 5 }] }] },
      'resourceSpans[0].scopeSpans[0].spans: expected an array',
    ],
    [
      'span not an object',
      { resourceSpans: [{ scopeSpans: [{ spans: ['x'] }] }] },
      'resourceSpans[0].scopeSpans[0].spans[0]: expected an object',
    ],
    [
      'non-numeric timestamp',
      traceWith({ startTimeUnixNano: 'soon' }),
      'resourceSpans[0].scopeSpans[1].spans[3].startTimeUnixNano: expected an integer',
    ],
    [
      'fractional timestamp',
      traceWith({ endTimeUnixNano: 1.5 }),
      'resourceSpans[0].scopeSpans[1].spans[3].endTimeUnixNano: expected an integer',
    ],
    [
      'negative timestamp',
      traceWith({ endTimeUnixNano: '-1' }),
      'resourceSpans[0].scopeSpans[1].spans[3].endTimeUnixNano: integer out of range for uint64',
    ],
    [
      'timestamp beyond uint64',
      traceWith({ endTimeUnixNano: '18446744073709551616' }),
      'resourceSpans[0].scopeSpans[1].spans[3].endTimeUnixNano: integer out of range for uint64',
    ],
    [
      'name not a string',
      traceWith({ name: 7 }),
      'resourceSpans[0].scopeSpans[1].spans[3].name: expected a string',
    ],
    [
      'id not a string',
      traceWith({ traceId: 7 }),
      'resourceSpans[0].scopeSpans[1].spans[3].traceId: expected a hex string',
    ],
    [
      'unknown enum name',
      traceWith({ kind: 'SPAN_KIND_SIDEWAYS' }),
      'resourceSpans[0].scopeSpans[1].spans[3].kind: expected a SpanKind value',
    ],
    [
      'flags out of range',
      traceWith({ flags: 2 ** 32 }),
      'resourceSpans[0].scopeSpans[1].spans[3].flags: integer out of range for uint32',
    ],
    [
      'bad status',
      traceWith({ status: { code: [] } }),
      'resourceSpans[0].scopeSpans[1].spans[3].status.code: expected an integer',
    ],
    [
      'bad attribute value',
      traceWith({ attributes: [{ key: 'k', value: { intValue: 'x' } }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].attributes[0].value.intValue: expected an integer',
    ],
    [
      'bad base64',
      traceWith({ attributes: [{ key: 'k', value: { bytesValue: 'a$b' } }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].attributes[0].value.bytesValue: expected base64 text',
    ],
    [
      'two AnyValue members',
      traceWith({ attributes: [{ key: 'k', value: { stringValue: 'a', intValue: 1 } }] }),
      'resourceSpans[0].scopeSpans[1].spans[3].attributes[0].value: AnyValue has both stringValue and intValue set',
    ],
    [
      'nested value',
      traceWith({
        events: [
          {
            attributes: [
              { key: 'k', value: { arrayValue: { values: [{}, { doubleValue: true }] } } },
            ],
          },
        ],
      }),
      'resourceSpans[0].scopeSpans[1].spans[3].events[0].attributes[0].value.arrayValue.values[1].doubleValue: expected a number',
    ],
    [
      'resource',
      { resourceSpans: [{ resource: [] }] },
      'resourceSpans[0].resource: expected an object',
    ],
    [
      'scope attributes',
      { resourceSpans: [{ scopeSpans: [{ scope: { attributes: {} } }] }] },
      'resourceSpans[0].scopeSpans[0].scope.attributes: expected an array',
    ],
  ];

  it.each(cases)('%s', (_name, input, message) => {
    const err = errorOf(() => decodeTraceRequestJson(input));
    expect(err.message).toBe(message);
    expect(err.path).toBe(message.slice(0, message.indexOf(': ')));
  });

  it('names metric and log paths', () => {
    expect(
      errorOf(() =>
        decodeMetricsRequestJson({
          resourceMetrics: [
            { scopeMetrics: [{ metrics: [{ gauge: { dataPoints: [{ asInt: 1.5 }] } }] }] },
          ],
        }),
      ).message,
    ).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].asInt: expected an integer',
    );
    expect(
      errorOf(() =>
        decodeMetricsRequestJson({
          resourceMetrics: [
            {
              scopeMetrics: [
                { metrics: [{ histogram: { dataPoints: [{ bucketCounts: [1, -2] }] } }] },
              ],
            },
          ],
        }),
      ).message,
    ).toBe(
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts[1]: integer out of range for uint64',
    );
    expect(
      errorOf(() =>
        decodeMetricsRequestJson({
          resourceMetrics: [{ scopeMetrics: [{ metrics: [{ gauge: {}, sum: {} }] }] }],
        }),
      ).message,
    ).toBe('resourceMetrics[0].scopeMetrics[0].metrics[0]: Metric has both gauge and sum set');
    expect(
      errorOf(() =>
        decodeLogsRequestJson({
          resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: 'text' }] }] }],
        }),
      ).message,
    ).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].body: expected an AnyValue object');
  });

  it('limits AnyValue nesting to maxDepth', () => {
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 3; i++) value = { arrayValue: { values: [value] } };
    const request = traceWith({ attributes: [{ key: 'deep', value }] });
    expect(() => decodeTraceRequestJson(request, { maxDepth: 3 })).not.toThrow();
    expect(errorOf(() => decodeTraceRequestJson(request, { maxDepth: 2 })).message).toMatch(
      /attributes\[0\]\.value\.arrayValue\.values\[0\]\.arrayValue\.values\[0\]\.arrayValue: AnyValue nesting deeper than the limit of 2$/,
    );
  });

  it('turns unparsable text into an OtlpDecodeError', () => {
    expect(errorOf(() => parseOtlpJson('{"resourceSpans": [')).message).toMatch(
      /^\(root\): invalid JSON: /,
    );
    expect(errorOf(() => parseOtlpJson(new Uint8Array([0x7b, 0xff, 0x7d]))).message).toBe(
      '(root): body is not valid UTF-8',
    );
    expect(decodeTraceRequestJsonText(new TextEncoder().encode('{}'))).toEqual({
      resourceSpans: [],
    });
  });
});
