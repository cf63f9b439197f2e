import { randomBytes } from 'node:crypto';

/** OTLP/JSON builders for tests: hex ids, decimal-string nanoseconds, as the spec maps them. */

export const hexId = (bytes: number): string => randomBytes(bytes).toString('hex');

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

export interface JsonSpanInput {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  startNs?: bigint;
  durationNs?: bigint;
  attributes?: Record<string, string | number | boolean>;
  statusCode?: number;
}

export function jsonAttributes(attrs: Record<string, string | number | boolean>) {
  return Object.entries(attrs).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v },
  }));
}

export function jsonSpan(input: JsonSpanInput = {}) {
  const start = input.startNs ?? nowNs();
  return {
    traceId: input.traceId ?? hexId(16),
    spanId: input.spanId ?? hexId(8),
    ...(input.parentSpanId ? { parentSpanId: input.parentSpanId } : {}),
    name: input.name ?? 'span',
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + (input.durationNs ?? 1_000_000n)),
    attributes: jsonAttributes(input.attributes ?? {}),
    ...(input.statusCode ? { status: { code: input.statusCode } } : {}),
  };
}

export function jsonTraceRequest(spans: ReturnType<typeof jsonSpan>[], service = 'test-service') {
  return {
    resourceSpans: [
      {
        resource: { attributes: jsonAttributes({ 'service.name': service }) },
        scopeSpans: [{ scope: { name: 'test' }, spans }],
      },
    ],
  };
}

/** n spans of one new trace: a root and children. */
export function jsonTrace(n: number, service = 'test-service') {
  const traceId = hexId(16);
  const rootId = hexId(8);
  const start = nowNs();
  const spans = [
    jsonSpan({ traceId, spanId: rootId, name: 'root', startNs: start, durationNs: 5_000_000n }),
  ];
  for (let i = 1; i < n; i++) {
    spans.push(
      jsonSpan({ traceId, parentSpanId: rootId, name: `child-${i}`, startNs: start + BigInt(i) }),
    );
  }
  return { traceId, body: jsonTraceRequest(spans, service) };
}

export async function postJson(
  url: string,
  body: unknown,
  key: string | null,
  headers: Record<string, string> = {},
) {
  return fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Reads a counter's or gauge's value from the Prometheus text at /metrics. */
export function counterValue(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split('\n')) {
    // A metric without labels: `name value`.
    if (line.startsWith(name + ' ') && want.length === 0) return Number(line.slice(name.length));
    if (!line.startsWith(name + '{')) continue;
    const labelText = line.slice(name.length + 1, line.indexOf('}'));
    const have = labelText.split(',').sort();
    if (want.every((w) => have.includes(w)))
      return Number(line.slice(line.indexOf('}') + 1).trim());
  }
  return 0;
}
