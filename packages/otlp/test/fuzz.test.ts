import { describe, expect, it } from 'vitest';
import {
  decodeLogsRequest,
  decodeLogsRequestJson,
  decodeMetricsRequest,
  decodeMetricsRequestJson,
  decodeTraceRequest,
  decodeTraceRequestJson,
  decodeLogsRequestJsonText,
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
  logsRequestToJson,
  metricsRequestToJson,
  OtlpDecodeError,
  traceRequestToJson,
} from '../src/index.ts';
import { logsRequest, metricsRequest, rng, traceRequest, type Rng } from './generate.ts';
import { varint } from './proto-bytes.ts';

/**
 * Hostile input: random bytes and mutations of valid payloads must decode or fail with
 * an OtlpDecodeError, never anything else, never hang. Each test runs a fixed number of
 * iterations within a time budget, from fixed seeds, so a failure reproduces.
 */

const ITERATIONS = 3000;
const BUDGET_MS = 1000; // per signal and test; the whole file stays well under 10 s

const int = (r: Rng, n: number): number => Math.floor(r() * n);

const signals = [
  {
    name: 'traces',
    decode: decodeTraceRequest,
    encode: (x: unknown) => encodeTraceRequest(x as Parameters<typeof encodeTraceRequest>[0]),
    seeds: [1, 2, 3].map((s) => encodeTraceRequest(traceRequest(s, 3))),
  },
  {
    name: 'metrics',
    decode: decodeMetricsRequest,
    encode: (x: unknown) => encodeMetricsRequest(x as Parameters<typeof encodeMetricsRequest>[0]),
    seeds: [1, 2, 3].map((s) => encodeMetricsRequest(metricsRequest(s))),
  },
  {
    name: 'logs',
    decode: decodeLogsRequest,
    encode: (x: unknown) => encodeLogsRequest(x as Parameters<typeof encodeLogsRequest>[0]),
    seeds: [1, 2, 3].map((s) => encodeLogsRequest(logsRequest(s, 3))),
  },
];

/** One random change: bit flip, byte overwrite, truncation, insertion, deletion, duplication, or a corrupted length. */
function mutate(r: Rng, input: Uint8Array): Uint8Array {
  const b = [...input];
  const at = int(r, b.length + 1);
  switch (int(r, 8)) {
    case 0:
      if (b.length > 0) b[at % b.length]! ^= 1 << int(r, 8);
      break;
    case 1:
      if (b.length > 0) b[at % b.length] = int(r, 256);
      break;
    case 2:
      b.length = at;
      break;
    case 3:
      b.splice(at, 0, ...Array.from({ length: 1 + int(r, 8) }, () => int(r, 256)));
      break;
    case 4:
      b.splice(at, 1 + int(r, 16));
      break;
    case 5:
      b.splice(at, 0, ...b.slice(int(r, b.length), int(r, b.length)));
      break;
    case 6: {
      // Replace a byte with a (possibly long) varint: lengths that claim too much or too little.
      const claim = [0, 1, 127, 128, 2 ** 31, 2 ** 32 + 1, 2 ** 53, -1][int(r, 8)]!;
      b.splice(at, 1, ...varint(claim));
      break;
    }
    default:
      if (b.length > 0) b[at % b.length] = [0x00, 0x7f, 0x80, 0xff][int(r, 4)]!;
  }
  return new Uint8Array(b);
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Decodes `input`; on success, checks that what was decoded survives our encoder and
 * decoder: encode(decode(encode(d))) has the same bytes as encode(d) (a cheap stand-in for
 * a deep comparison, which would make this loop ten times slower). Returns whether it decoded.
 */
function attempt(s: (typeof signals)[number], input: Uint8Array, label: string): boolean {
  let decoded: unknown;
  try {
    decoded = s.decode(input);
  } catch (e) {
    if (!(e instanceof OtlpDecodeError)) {
      throw new Error(`${label}: ${String(e)} for input ${hex(input)}`, { cause: e });
    }
    // (plain checks, not expect(): this runs thousands of times)
    if (!/ at offset \d+ in [A-Za-z.]+$/.test(e.message)) {
      throw new Error(`${label}: message without offset: ${e.message}`, { cause: e });
    }
    return false;
  }
  const bytes = s.encode(decoded);
  if (!sameBytes(s.encode(s.decode(bytes)), bytes)) {
    throw new Error(`${label}: decoded value does not round-trip, input ${hex(input)}`);
  }
  return true;
}

describe.each(signals)('fuzzing the $name protobuf decoder', (s) => {
  it('mutations of valid payloads decode or fail with OtlpDecodeError', () => {
    const r = rng(0xc0ffee);
    const start = performance.now();
    let ok = 0;
    let i = 0;
    for (; i < ITERATIONS && performance.now() - start < BUDGET_MS; i++) {
      let input = s.seeds[i % s.seeds.length]!;
      for (let m = 1 + int(r, 3); m > 0; m--) input = mutate(r, input);
      if (attempt(s, input, `mutation ${i}`)) ok++;
    }
    expect(i).toBeGreaterThan(50); // a slow machine runs fewer in the budget
    expect(ok).toBeGreaterThan(0); // some mutations leave valid protobuf (e.g. flipped text)
  });

  it('random byte strings decode or fail with OtlpDecodeError', () => {
    const r = rng(42);
    const start = performance.now();
    let i = 0;
    for (; i < ITERATIONS && performance.now() - start < BUDGET_MS; i++) {
      const input = new Uint8Array(int(r, 64)).map(() => int(r, 256));
      attempt(s, input, `random ${i}`);
    }
    expect(i).toBeGreaterThan(50); // a slow machine runs fewer in the budget
  });

  it('every truncation of a valid payload fails cleanly', () => {
    const input = s.seeds[0]!;
    for (let n = 0; n < input.length; n++) attempt(s, input.subarray(0, n), `truncated at ${n}`);
  });
});

describe('hostile sizes and nesting', () => {
  /** LogRecord whose body is `depth` nested arrays, built back to front without recursion. */
  function nestedArrays(depth: number): Uint8Array {
    const out = new Uint8Array(depth * 8 + 64);
    let start = out.length;
    let len = 0;
    const prepend = (...bytes: number[]) => {
      start -= bytes.length;
      out.set(bytes, start);
      len += bytes.length;
    };
    const prependLd = (tag: number) => prepend(tag, ...varint(len));
    for (let i = 0; i < depth; i++) {
      prependLd(0x0a); // ArrayValue.values[0]: AnyValue
      prependLd(0x2a); // AnyValue.array_value
    }
    prependLd(0x2a); // LogRecord.body
    prependLd(0x12); // ScopeLogs.log_records
    prependLd(0x12); // ResourceLogs.scope_logs
    prependLd(0x0a); // ExportLogsServiceRequest.resource_logs
    return out.subarray(start);
  }

  it('rejects 100k nested arrays cleanly (no stack overflow)', () => {
    const input = nestedArrays(100_000);
    expect(() => decodeLogsRequest(input)).toThrow(
      /AnyValue nesting deeper than the limit of 64 at offset \d+ in ArrayValue/,
    );
    expect(() => decodeLogsRequest(input, { maxDepth: 1000 })).toThrow(OtlpDecodeError);
    expect(() => decodeLogsRequest(nestedArrays(64))).not.toThrow();
  });

  it('rejects 100k nested arrays in OTLP/JSON cleanly', () => {
    const text =
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":' +
      '{"arrayValue":{"values":['.repeat(100_000) +
      ']}}'.repeat(100_000) +
      '}]}]}]}';
    expect(() => decodeLogsRequestJsonText(text)).toThrow(OtlpDecodeError);
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 0; i < 100_000; i++) value = { arrayValue: { values: [value] } };
    const request = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: value }] }] }] };
    expect(() => decodeLogsRequestJson(request)).toThrow(
      /AnyValue nesting deeper than the limit of 64/,
    );
  });

  it('rejects a length prefix claiming 2 GB without allocating it', () => {
    for (const claim of [2 ** 31, 2 ** 32 - 1, 2 ** 53, 2n ** 64n - 1n]) {
      const input = new Uint8Array([0x0a, ...varint(claim), 0x12, 0x00]);
      const before = process.memoryUsage().arrayBuffers;
      expect(() => decodeTraceRequest(input)).toThrow(
        /^truncated ResourceSpans \(length \d+\) at offset 1 in ExportTraceServiceRequest$/,
      );
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
    }
    // The same inside a message: a span name claiming 2 GB.
    const span = [0x2a, ...varint(2 ** 31), 0x61];
    expect(span).toHaveLength(7);
    expect(() => decodeTraceRequest(new Uint8Array([0x0a, 11, 0x12, 9, 0x12, 7, ...span]))).toThrow(
      /truncated length-delimited field \(length 2147483648\) at offset 7 in Span/,
    );
  });

  it('refuses requests that would expand far beyond their size (empty messages)', () => {
    const spans = new Uint8Array(200_000).map((_, i) => (i % 2 === 0 ? 0x12 : 0x00));
    const input = new Uint8Array([
      0x0a,
      ...varint(spans.length + 4),
      0x12,
      ...varint(spans.length),
      ...spans,
    ]);
    expect(() => decodeTraceRequest(input)).toThrow(/more than one record per 16 bytes of input/);
    expect(
      decodeTraceRequest(input, { bytesPerRecord: 0 }).resourceSpans[0]!.scopeSpans[0]!.spans,
    ).toHaveLength(100_000);
  });
});

describe('fuzzing the OTLP/JSON decoders', () => {
  const jsonSignals = [
    { decode: decodeTraceRequestJson, value: () => traceRequestToJson(traceRequest(5, 2)) },
    { decode: decodeMetricsRequestJson, value: () => metricsRequestToJson(metricsRequest(5)) },
    { decode: decodeLogsRequestJson, value: () => logsRequestToJson(logsRequest(5, 2)) },
  ];
  const junk: unknown[] = [
    null,
    0,
    -1,
    1.5,
    'x',
    '',
    'NaN',
    '-5',
    true,
    [],
    {},
    [1, 'a'],
    { a: 1 },
    2 ** 70,
  ];

  /** Replaces one random node of a JSON tree with junk. */
  function mutateJson(r: Rng, v: unknown): unknown {
    if (r() < 0.15 || v === null || typeof v !== 'object') return junk[int(r, junk.length)];
    if (Array.isArray(v)) {
      if (v.length === 0) return junk[int(r, junk.length)];
      const copy = [...v];
      const i = int(r, copy.length);
      copy[i] = mutateJson(r, copy[i]);
      return copy;
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return junk[int(r, junk.length)];
    const k = keys[int(r, keys.length)]!;
    return { ...v, [k]: mutateJson(r, (v as Record<string, unknown>)[k]) };
  }

  it.each(jsonSignals.map((s, i) => [['traces', 'metrics', 'logs'][i]!, s] as const))(
    '%s: mutated requests decode or fail with a path',
    (_name, s) => {
      const r = rng(7);
      const base = JSON.parse(JSON.stringify(s.value())) as unknown;
      const start = performance.now();
      for (let i = 0; i < ITERATIONS && performance.now() - start < BUDGET_MS; i++) {
        const input = mutateJson(r, base);
        try {
          s.decode(input);
        } catch (e) {
          if (!(e instanceof OtlpDecodeError)) {
            throw new Error(`${String(e)} for ${JSON.stringify(input)}`, { cause: e });
          }
          expect(e.message).toMatch(/^(\(root\)|[A-Za-z]+(\[\d+\]|\.[A-Za-z]+)*): /);
        }
      }
    },
  );
});
