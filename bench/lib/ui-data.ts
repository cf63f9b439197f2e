/**
 * Data for the UI benchmark, sent through OTLP/HTTP JSON like any client would: many small
 * traces for the list, and single traces of 10,000 and 100,000 spans for the waterfall
 * (an agent fan-out: a root, fanout children per span, each child within its parent's time).
 */
import { randomBytes } from 'node:crypto';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
type Attr = string | number;
const attrs = (a: Record<string, Attr>) =>
  Object.entries(a).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : { intValue: String(v) },
  }));

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: ReturnType<typeof attrs>;
  status?: { code: number };
}

const SERVICES = ['gateway', 'agent', 'retriever', 'llm-proxy', 'tools', 'vector-db'];
const NAMES = [
  'invoke_agent',
  'chat gpt-4o',
  'retrieve',
  'embeddings',
  'tool search',
  'SELECT docs',
  'HTTP POST',
];

/** Requests of at most `perRequest` spans each, grouped by service. */
function requests(spans: (OtlpSpan & { service: string })[], perRequest: number): object[] {
  const out: object[] = [];
  for (let i = 0; i < spans.length; i += perRequest) {
    const byService = new Map<string, OtlpSpan[]>();
    for (const { service, ...s } of spans.slice(i, i + perRequest)) {
      const list = byService.get(service) ?? [];
      byService.set(service, list);
      list.push(s);
    }
    out.push({
      resourceSpans: [...byService].map(([service, list]) => ({
        resource: { attributes: attrs({ 'service.name': service }) },
        scopeSpans: [{ scope: { name: 'pyflare-bench-ui' }, spans: list }],
      })),
    });
  }
  return out;
}

/** One trace of `n` spans starting at `startMs`. */
export function bigTrace(
  n: number,
  startMs: number,
  fanout = 10,
): { traceId: string; requests: object[] } {
  const traceId = hex(16);
  const t0 = BigInt(startMs) * 1_000_000n;
  const ids = Array.from({ length: n }, () => hex(8));
  const start = new Float64Array(n);
  const dur = new Float64Array(n);
  dur[0] = 20e9;
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const spans: (OtlpSpan & { service: string })[] = [];
  for (let i = 0; i < n; i++) {
    const p = i === 0 ? -1 : Math.floor((i - 1) / fanout);
    if (p >= 0) {
      const slot = dur[p]! / fanout;
      start[i] = start[p]! + ((i - 1) % fanout) * slot + slot * 0.05 * rand();
      dur[i] = Math.max(1000, slot * (0.5 + 0.45 * rand()));
    }
    const s = t0 + BigInt(Math.round(start[i]!));
    spans.push({
      service: SERVICES[i % SERVICES.length]!,
      traceId,
      spanId: ids[i]!,
      ...(p >= 0 ? { parentSpanId: ids[p]! } : {}),
      name: i === 0 ? 'POST /agent/run' : NAMES[i % NAMES.length]!,
      kind: i === 0 ? 2 : 1,
      startTimeUnixNano: String(s),
      endTimeUnixNano: String(s + BigInt(Math.round(dur[i]!))),
      attributes: attrs({ 'app.step': i }),
      ...(i % 997 === 13 ? { status: { code: 2 } } : {}),
    });
  }
  return { traceId, requests: requests(spans, 5000) };
}

/** `count` small traces (root, chat, tool) spread over the last `spreadMs`. */
export function smallTraces(count: number, nowMs: number, spreadMs: number): object[] {
  const spans: (OtlpSpan & { service: string })[] = [];
  for (let i = 0; i < count; i++) {
    const traceId = hex(16);
    const root = hex(8);
    const t0 = BigInt(Math.round(nowMs - 1000 - (i / count) * spreadMs)) * 1_000_000n;
    const ms = 1_000_000n;
    const mk = (
      spanId: string,
      name: string,
      service: string,
      at: bigint,
      len: bigint,
      parent?: string,
      a: Record<string, Attr> = {},
    ) =>
      spans.push({
        service,
        traceId,
        spanId,
        ...(parent ? { parentSpanId: parent } : {}),
        name,
        kind: parent ? 1 : 2,
        startTimeUnixNano: String(t0 + at * ms),
        endTimeUnixNano: String(t0 + (at + len) * ms),
        attributes: attrs(a),
        ...(i % 50 === 7 && !parent ? { status: { code: 2 } } : {}),
      });
    mk(root, `POST /chat/${i % 20}`, SERVICES[i % 3]!, 0n, 400n + BigInt(i % 300), undefined, {
      'user.id': `user-${i % 40}`,
    });
    mk(hex(8), 'chat gpt-4o', 'llm-proxy', 10n, 300n, root, {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': i % 2 ? 'gpt-4o' : 'claude-3-5-sonnet',
      'gen_ai.usage.input_tokens': 500 + (i % 100),
      'gen_ai.usage.output_tokens': 80,
    });
    mk(hex(8), 'tool search', 'tools', 320n, 50n, root);
  }
  return requests(spans, 3000);
}

export async function send(otlpUrl: string, key: string, body: object): Promise<void> {
  const res = await fetch(`${otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`OTLP export: ${res.status} ${await res.text()}`);
}
