import { describe, expect, it } from 'vitest';
import {
  decodeLogsRequest,
  decodeMetricsRequest,
  decodeTraceRequest,
  OtlpDecodeError,
} from '../src/index.ts';
import {
  bodyRecord,
  bytes,
  double,
  fixed32,
  fixed64,
  ld,
  tag,
  traceRequestWithSpan,
  varint,
  vfield,
  type Bytes,
} from './proto-bytes.ts';

/** Wire-format behaviour of the protobuf decoders, on hand-built bytes. */

const firstSpan = (b: Uint8Array) =>
  decodeTraceRequest(b).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
const body = (anyValue: Bytes) =>
  decodeLogsRequest(bodyRecord(anyValue)).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.body;

function decodeError(fn: () => unknown): OtlpDecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OtlpDecodeError);
    return e as OtlpDecodeError;
  }
  throw new Error('expected an OtlpDecodeError');
}

describe('protobuf wire format', () => {
  it('reads every Span field, in any order', () => {
    const span = firstSpan(
      traceRequestWithSpan([
        ...fixed32(16, 0x301), // flags
        ...ld(5, 'name'),
        ...ld(1, [0xab, 0xcd, 0x01]),
        ...ld(2, [0xff, 0x00]),
        ...ld(3, 'k=v'),
        ...ld(4, [0x10]),
        ...vfield(6, 3),
        ...fixed64(7, 1n),
        ...fixed64(8, 2n ** 64n - 1n),
        ...vfield(10, 1),
        ...vfield(12, 2),
        ...vfield(14, 3),
        ...ld(15, [...ld(2, 'failed'), ...vfield(3, 2)]),
      ]),
    );
    expect(span).toMatchObject({
      traceId: 'abcd01', // lowercase hex; length is the pipeline's to check
      spanId: 'ff00',
      traceState: 'k=v',
      parentSpanId: '10',
      flags: 0x301,
      name: 'name',
      kind: 3,
      startTimeUnixNano: 1n,
      endTimeUnixNano: 2n ** 64n - 1n,
      droppedAttributesCount: 1,
      droppedEventsCount: 2,
      droppedLinksCount: 3,
      status: { code: 2, message: 'failed' },
    });
  });

  it('skips unknown fields of every wire type', () => {
    const span = firstSpan(
      traceRequestWithSpan([
        ...vfield(99, 2n ** 63n),
        ...ld(5, 'kept'),
        ...fixed64(98, 5n),
        ...ld(97, [1, 2, 3]),
        ...fixed32(96, 7),
        ...ld(1000, 'deprecated instrumentation_library_spans'),
      ]),
    );
    expect(span.name).toBe('kept');
  });

  it('skips a known field sent with another wire type, like an unknown field', () => {
    const span = firstSpan(traceRequestWithSpan([...vfield(5, 7), ...ld(6, 'x'), ...ld(2, [1])]));
    expect(span.name).toBe('');
    expect(span.kind).toBe(0);
    expect(span.spanId).toBe('01');
  });

  it('rejects groups and invalid wire types', () => {
    const spanWith = (b: Bytes) => () => decodeTraceRequest(traceRequestWithSpan(b));
    expect(decodeError(spanWith([...tag(20, 3), ...tag(20, 4)])).message).toMatch(
      /^unsupported group \(wire type 3\) for field 20 at offset \d+ in Span$/,
    );
    expect(decodeError(spanWith(tag(20, 4))).message).toMatch(/unsupported group \(wire type 4\)/);
    expect(decodeError(spanWith(tag(20, 6))).message).toMatch(/invalid wire type 6 for field 20/);
    expect(decodeError(spanWith(tag(20, 7))).message).toMatch(/invalid wire type 7 for field 20/);
  });

  it('rejects field number 0', () => {
    expect(decodeError(() => decodeTraceRequest(bytes([0x02, 0x00]))).message).toMatch(
      /invalid field number 0 at offset 0 in ExportTraceServiceRequest/,
    );
  });

  it('rejects varints longer than 10 bytes', () => {
    const eleven = [...Array(10).fill(0x80), 0x01];
    const err = decodeError(() => firstSpan(traceRequestWithSpan([...tag(6, 0), ...eleven])));
    expect(err.message).toMatch(/varint longer than 10 bytes at offset \d+ in Span/);
  });

  it('names the message and offset of a truncated field', () => {
    const span = [...ld(5, 'name')];
    const request = traceRequestWithSpan(span);
    const cut = request.subarray(0, request.length - 2);
    const err = decodeError(() => decodeTraceRequest(cut));
    expect(err.message).toBe(
      `truncated ResourceSpans (length ${request.length - 2}) at offset 1 in ExportTraceServiceRequest`,
    );
    expect(err.offset).toBe(1);
  });

  it('does not let a field run past the end of its message', () => {
    // The Span says its name is 10 bytes long but the Span itself is only 4 bytes long.
    const span = [...tag(5, 2), 10, 0x61, 0x62];
    const err = decodeError(() => decodeTraceRequest(traceRequestWithSpan(span)));
    expect(err.message).toMatch(
      /^truncated length-delimited field \(length 10\) at offset 7 in Span$/,
    );
  });
});

describe('AnyValue on the wire', () => {
  it('decodes every kind', () => {
    expect(body(ld(1, 'text'))).toBe('text');
    expect(body(vfield(2, 1))).toBe(true);
    expect(body(vfield(2, 0))).toBe(false);
    expect(body(vfield(3, -1))).toBe(-1);
    expect(body(vfield(3, 2n ** 53n))).toBe(2n ** 53n);
    expect(body(vfield(3, -(2n ** 53n) + 1n))).toBe(-(2 ** 53) + 1);
    expect(body(vfield(3, -(2n ** 63n)))).toBe(-(2n ** 63n));
    expect(body(double(4, 1.5))).toBe(1.5);
    expect(body(ld(7, [0, 255]))).toEqual(new Uint8Array([0, 255]));
    expect(body([])).toBeNull();
    expect(body(ld(5, [...ld(1, ld(1, 'a')), ...ld(1, [])]))).toEqual(['a', null]);
    const kv = body(
      ld(6, [...ld(1, [...ld(1, 'k'), ...ld(2, vfield(3, 5))]), ...ld(1, ld(1, 'empty'))]),
    );
    expect(kv).toEqual({ k: 5, empty: null });
    expect(Object.getPrototypeOf(kv)).toBeNull();
  });

  it('copies bytes values out of the input, even from a Node Buffer', () => {
    const input = Buffer.from(bodyRecord(ld(7, [1, 2, 3])));
    const decoded = decodeLogsRequest(input).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.body;
    input.fill(0);
    expect(decoded).toEqual(new Uint8Array([1, 2, 3]));
    expect((decoded as Uint8Array).constructor).toBe(Uint8Array);
  });

  it('takes the last member when a oneof is set twice (protobuf semantics)', () => {
    expect(body([...ld(1, 'first'), ...vfield(3, 9)])).toBe(9);
  });

  it('keeps the last of duplicate attribute keys', () => {
    const kv = (k: string, v: string) => ld(9, [...ld(1, k), ...ld(2, ld(1, v))]);
    const span = firstSpan(
      traceRequestWithSpan([...kv('a', '1'), ...kv('b', '2'), ...kv('a', '3')]),
    );
    expect(span.attributes).toEqual({ a: '3', b: '2' });
  });

  it('decodes non-ASCII and invalid UTF-8 text without throwing', () => {
    expect(body(ld(1, 'ünï ✓ 😀'))).toBe('ünï ✓ 😀');
    expect(body(ld(1, [0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });

  it('limits nesting to maxDepth', () => {
    let value: Bytes = ld(1, 'leaf');
    for (let i = 0; i < 5; i++) value = ld(5, ld(1, value));
    const request = bodyRecord(value);
    expect(() => decodeLogsRequest(request, { maxDepth: 5 })).not.toThrow();
    const err = decodeError(() => decodeLogsRequest(request, { maxDepth: 4 }));
    expect(err.message).toMatch(
      /AnyValue nesting deeper than the limit of 4 at offset \d+ in ArrayValue/,
    );
  });
});

describe('metrics on the wire', () => {
  const metric = (m: Bytes) =>
    decodeMetricsRequest(bytes(ld(1, ld(2, ld(2, m))))).resourceMetrics[0]!.scopeMetrics[0]!
      .metrics[0]!;

  it('accepts repeated numbers packed and unpacked', () => {
    const packedCounts = ld(6, [...fixed64(0, 1n).slice(1), ...fixed64(0, 2n).slice(1)]);
    const unpacked = [...fixed64(6, 3n), ...double(7, 0.5), ...double(7, 1.5)];
    const m = metric(ld(9, ld(1, [...packedCounts, ...unpacked, ...fixed64(4, 6n)])));
    expect(m.data).toMatchObject({
      type: 'histogram',
      dataPoints: [{ count: 6, bucketCounts: [1, 2, 3], explicitBounds: [0.5, 1.5] }],
    });
    const exp = metric(
      ld(
        10,
        ld(1, [
          ...ld(8, [...vfield(1, 5), ...ld(2, [...varint(300), ...varint(1)]), ...vfield(2, 7)]),
        ]),
      ),
    );
    expect(exp.data).toMatchObject({
      type: 'exponentialHistogram',
      dataPoints: [{ positive: { offset: -3, bucketCounts: [300, 1, 7] } }],
    });
  });

  it('rejects a packed fixed64 run that is not a multiple of 8 bytes', () => {
    const err = decodeError(() => metric(ld(9, ld(1, ld(6, [1, 2, 3])))));
    expect(err.message).toMatch(/packed fixed64 run of 3 bytes is not a multiple of 8/);
  });

  it('reads as_int as sfixed64 and keeps which oneof member was set', () => {
    const m = metric(ld(5, [...ld(1, fixed64(6, -5n)), ...ld(1, double(4, 0)), ...ld(1, [])]));
    expect(m.data).toMatchObject({
      type: 'gauge',
      dataPoints: [
        { value: -5, valueType: 'int' },
        { value: 0, valueType: 'double' },
        { value: 0, valueType: 'none' },
      ],
    });
  });
});
