import { describe, expect, it } from 'vitest';
import {
  decodeJsonText,
  decodeMetricsRequestJsonText,
  decodeTraceRequestJson,
  decodeTraceRequestJsonText,
  OtlpDecodeError,
  WideJsonNumberError,
} from '../src/index.ts';
import { quoteWideIntegers } from '../src/json-integers.ts';
import { rng, type Rng } from './generate.ts';

/**
 * 64-bit integers sent as JSON numbers stay exact (json-integers.ts). The property test builds
 * random JSON with BigInt leaves, writes them as bare literals, and expects the quoted text to
 * parse to the same value with those leaves as decimal strings, everything else as written.
 */

const parseQuoted = (text: string): unknown => JSON.parse(quoteWideIntegers(text));

const int = (r: Rng, n: number): number => Math.floor(r() * n);

/** Texts that tempt a scanner: digits after `:` inside strings, escapes, quotes. */
const TRICKY_STRINGS = [
  'a:12345678901234567890',
  '[9007199254740993',
  'say \\"x\\": 1234567890123456789,',
  '\\\\',
  '',
  ',-98765432109876543',
  'ünïcødé 🙂 :1111111111111111111',
];

function randomValue(r: Rng, depth: number): unknown {
  const kind = int(r, depth > 3 ? 6 : 8);
  switch (kind) {
    case 0: {
      // A wide integer, maybe negative, 16–20 digits, no leading zero.
      let digits = String(1 + int(r, 9));
      const length = 16 + int(r, 5);
      while (digits.length < length) digits += String(int(r, 10));
      return BigInt((r() < 0.3 ? '-' : '') + digits);
    }
    case 1:
      return int(r, 1_000_000) - 500_000; // a short integer: stays a number
    case 2: {
      // Doubles: JSON.stringify writes these with a fraction or an exponent, or (2 ** 60, 1e20)
      // as the shortest digits of the double: each stays a number.
      const forms = [1234567890123456.5, 1e21, 1.25e-7, -1.5e300, 2 ** 60, -(2 ** 62), 1e20];
      return forms[int(r, forms.length)]!;
    }
    case 3: {
      const s = TRICKY_STRINGS[int(r, TRICKY_STRINGS.length)]!;
      return JSON.parse(`"${s}"`) as string;
    }
    case 4:
      return [true, false, null][int(r, 3)];
    case 5:
      return String(int(r, 1e9));
    case 6: {
      const out: unknown[] = [];
      for (let i = int(r, 5); i > 0; i--) out.push(randomValue(r, depth + 1));
      return out;
    }
    default: {
      const out: Record<string, unknown> = {};
      for (let i = int(r, 5); i > 0; i--) {
        out[`${TRICKY_STRINGS[int(r, TRICKY_STRINGS.length)]!}#${i}`] = randomValue(r, depth + 1);
      }
      return out;
    }
  }
}

/** JSON with bigints as bare literals, and random whitespace between tokens. */
function write(v: unknown, r: Rng): string {
  const ws = () => [' ', '', '\n  ', '\t', ''][int(r, 5)]!;
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v))
    return `[${ws()}${v.map((x) => write(x, r)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).map(
      ([k, x]) => `${JSON.stringify(k)}${ws()}:${ws()}${write(x, r)}`,
    );
    return `{${ws()}${entries.join(`,${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(v);
}

/** What the reader gets: a decimal string, or a number for the shortest text of a double. */
function expected(v: unknown): unknown {
  if (typeof v === 'bigint') return String(Number(v)) === v.toString() ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(expected);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x)]));
  }
  return v;
}

describe('wide integers in OTLP/JSON', () => {
  it('parses random JSON with wide integer literals to their exact decimal strings', () => {
    const r = rng(42);
    let wide = 0;
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(r, 0);
      const text = write(value, r);
      if (/[^"\d]-?\d{17}/.test(text)) wide++;
      expect(parseQuoted(text)).toEqual(expected(value));
    }
    expect(wide).toBeGreaterThan(500);
  });

  it('leaves text without a wide integer literal outside strings as it is', () => {
    const texts = [
      '{"startTimeUnixNano":"1796418155482630366"}',
      '{"a":123456789012345,"b":"x:12345678901234567"}',
      '[1.2345678901234567, 12345678901234567.5, 1234567890123456789e2, -1234567890123456E-3]',
    ];
    for (const t of texts) expect(quoteWideIntegers(t)).toBe(t);
  });

  it('quotes only integer literals outside strings', () => {
    expect(quoteWideIntegers('{"a" : 9007199254740993, "b":[-18446744073709551615,1]}')).toBe(
      '{"a" : "9007199254740993", "b":["-18446744073709551615",1]}',
    );
    expect(quoteWideIntegers('{"s":"\\":1234567890123456789","n":1234567890123456789}')).toBe(
      '{"s":"\\":1234567890123456789","n":"1234567890123456789"}',
    );
  });

  it('leaves what is not JSON for JSON.parse to refuse', () => {
    const bad = [
      '{"a":01234567890123456789}', // leading zero
      '{12345678901234567890:1}', // a number as a key
      '{"a":1,12345678901234567890 :1}',
      '[12345678901234567890',
    ];
    for (const t of bad) {
      expect(() => JSON.parse(t), t).toThrow(SyntaxError);
      expect(() => parseQuoted(t), t).toThrow(SyntaxError);
      expect(() => decodeTraceRequestJsonText(t), t).toThrow(OtlpDecodeError);
    }
  });

  it('reads the shortest text of a double as that double, as JavaScript wrote it', () => {
    // JSON.stringify(2 ** 60) is '1152921504606847000'; the exporter's protobuf carries 2^60.
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[
      {"key":"js","value":{"intValue":${JSON.stringify(2 ** 60)}}},
      {"key":"go","value":{"intValue":1152921504606847001}}]}]}]}]}`;
    expect(text).toContain('1152921504606847000');
    const span = decodeTraceRequestJsonText(text).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.attributes).toEqual({ js: 2n ** 60n, go: 1152921504606847001n });
  });

  it('ignores a leading byte order mark', () => {
    const text = '\ufeff{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"bom"}]}]}]}';
    expect(decodeTraceRequestJsonText(text).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.name).toBe(
      'bom',
    );
  });

  it('parses again only for a wide number in an integer field', () => {
    const parsed: string[] = [];
    const parse = (text: string) => {
      parsed.push(text);
      return JSON.parse(text) as unknown;
    };
    const span = (fields: string) =>
      `{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x",${fields}}]}]}]}`;
    // Wide integers as strings, and in a double field: one parse.
    const plain = span(
      '"startTimeUnixNano":"1796418155482630366","attributes":[{"key":"d","value":{"doubleValue":12345678901234567890}}]',
    );
    decodeJsonText(plain, parse, decodeTraceRequestJson);
    expect(parsed).toEqual([plain]);
    parsed.length = 0;
    const wide = span('"startTimeUnixNano":1796418155482630366');
    const req = decodeJsonText(wide, parse, decodeTraceRequestJson);
    expect(parsed).toEqual([wide, span('"startTimeUnixNano":"1796418155482630366"')]);
    expect(req.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.startTimeUnixNano).toBe(
      1796418155482630366n,
    );
    // Told to refuse, the object decoder names the field; by default it reads the double.
    const value = JSON.parse(wide) as unknown;
    expect(() => decodeTraceRequestJson(value, { wideJsonNumbers: 'refuse' })).toThrow(
      WideJsonNumberError,
    );
    expect(() => decodeTraceRequestJson(value, { wideJsonNumbers: 'refuse' })).toThrow(
      /spans\[0\]\.startTimeUnixNano: a JSON number beyond 2\^53/,
    );
    expect(
      decodeTraceRequestJson(value).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.startTimeUnixNano,
    ).toBe(BigInt(Number('1796418155482630366')));
  });

  it('keeps timestamps, int64 values and counts sent as numbers exact', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{
      "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"x",
      "startTimeUnixNano":1796418155482630366,"endTimeUnixNano": 1796418155582630367,
      "attributes":[{"key":"big","value":{"intValue":9007199254740993}},
                    {"key":"neg","value":{"intValue":-9223372036854775808}},
                    {"key":"d","value":{"doubleValue":12345678901234567890}},
                    {"key":"arr","value":{"arrayValue":{"values":[{"intValue":1234567890123456789}]}}}]
    }]}]}]}`;
    const span = decodeTraceRequestJsonText(text).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.startTimeUnixNano).toBe(1796418155482630366n);
    expect(span.endTimeUnixNano).toBe(1796418155582630367n);
    expect(span.attributes).toEqual({
      big: 9007199254740993n,
      neg: -9223372036854775808n,
      d: Number('12345678901234567890'),
      arr: [1234567890123456789n],
    });

    const metrics = decodeMetricsRequestJsonText(`{"resourceMetrics":[{"scopeMetrics":[{"metrics":[
      {"name":"m","sum":{"dataPoints":[{"timeUnixNano":1796418155482630366,"asInt":9007199254740993}]}}
    ]}]}]}`);
    // A data point's value is a double by design (types.ts), as from protobuf: the nearest one.
    const point = metrics.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.data;
    expect(point).toMatchObject({
      dataPoints: [{ timeUnixNano: 1796418155482630366n, value: Number(9007199254740993n) }],
    });
  });

  it('still refuses a wide integer out of range for its field', () => {
    const text = (v: string) =>
      `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":${v}}]}]}]}`;
    expect(() => decodeTraceRequestJsonText(text('18446744073709551616'))).toThrow(
      /startTimeUnixNano: integer out of range for uint64/,
    );
    expect(() => decodeTraceRequestJsonText(text('-1796418155482630366'))).toThrow(
      /out of range for uint64/,
    );
  });
});
