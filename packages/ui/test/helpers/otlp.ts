/** OTLP/JSON traces for the browser tests, sent to a real server's OTLP/HTTP receiver. */
import { randomBytes } from 'node:crypto';

export const hexId = (bytes: number): string => randomBytes(bytes).toString('hex');

type Attr = string | number | boolean;
const value = (v: Attr) =>
  typeof v === 'string'
    ? { stringValue: v }
    : typeof v === 'boolean'
      ? { boolValue: v }
      : Number.isInteger(v)
        ? { intValue: String(v) }
        : { doubleValue: v };
const attrs = (a: Record<string, Attr>) =>
  Object.entries(a).map(([key, v]) => ({ key, value: value(v) }));

export interface SpanSpec {
  spanId?: string;
  parent?: string;
  name: string;
  service?: string;
  /** Offset from the trace start and duration, in ms. */
  at: number;
  ms: number;
  kind?: number;
  error?: boolean;
  attributes?: Record<string, Attr>;
}

export interface BuiltTrace {
  traceId: string;
  body: object;
  spanIds: string[];
}

/** One trace; spans grouped by service into resources. */
export function buildTrace(
  specs: SpanSpec[],
  options: { traceId?: string; startMs?: number; env?: string } = {},
): BuiltTrace {
  const traceId = options.traceId ?? hexId(16);
  const start = BigInt(options.startMs ?? Date.now() - 2000) * 1_000_000n;
  const ids = specs.map(() => hexId(8));
  const byService = new Map<string, object[]>();
  specs.forEach((s, i) => {
    const service = s.service ?? 'web';
    const list = byService.get(service) ?? [];
    byService.set(service, list);
    const t0 = start + BigInt(Math.round(s.at * 1e6));
    list.push({
      traceId,
      spanId: ids[i],
      ...(s.parent
        ? {
            parentSpanId:
              ids[specs.findIndex((x) => (x.spanId ?? x.name) === s.parent)] ?? s.parent,
          }
        : {}),
      name: s.name,
      kind: s.kind ?? 1,
      startTimeUnixNano: String(t0),
      endTimeUnixNano: String(t0 + BigInt(Math.round(s.ms * 1e6))),
      attributes: attrs(s.attributes ?? {}),
      ...(s.error ? { status: { code: 2, message: 'upstream failed' } } : {}),
    });
  });
  return {
    traceId,
    spanIds: ids,
    body: {
      resourceSpans: [...byService].map(([service, spans]) => ({
        resource: {
          attributes: attrs({
            'service.name': service,
            'deployment.environment.name': options.env ?? 'prod',
          }),
        },
        scopeSpans: [{ scope: { name: 'pyflare-ui-test', version: '1' }, spans }],
      })),
    },
  };
}

export async function sendTrace(
  otlpHttpUrl: string,
  key: string,
  trace: BuiltTrace,
): Promise<void> {
  const res = await fetch(`${otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(trace.body),
  });
  if (!res.ok) throw new Error(`OTLP export failed: ${res.status} ${await res.text()}`);
}

export const XSS = '<img src=x onerror=alert(1)>';

/** A GenAI agent trace: HTTP root, agent, retrieval, a chat call with tool use, a tool span. */
export function genAiTrace(
  options: { user?: string; chatMs?: number; withTool?: boolean; service?: string } = {},
): BuiltTrace {
  const chatMs = options.chatMs ?? 420;
  const input = [
    { role: 'system', parts: [{ type: 'text', content: 'You are a weather assistant.' }] },
    { role: 'user', parts: [{ type: 'text', content: `What is the weather in Paris? ${XSS}` }] },
  ];
  const output = [
    {
      role: 'assistant',
      parts: [
        { type: 'text', content: 'Let me check.' },
        { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
      ],
    },
  ];
  const specs: SpanSpec[] = [
    {
      spanId: 'root',
      name: 'POST /chat',
      service: options.service ?? 'gateway',
      at: 0,
      ms: chatMs + 300,
      kind: 2,
      attributes: {
        'http.route': '/chat',
        'user.id': options.user ?? 'alice',
        'session.id': 'sess-1',
      },
    },
    {
      spanId: 'agent',
      parent: 'root',
      name: 'invoke_agent weather',
      service: 'agent',
      at: 5,
      ms: chatMs + 280,
      attributes: { 'gen_ai.operation.name': 'invoke_agent' },
    },
    {
      spanId: 'ret',
      parent: 'agent',
      name: 'retrieve docs',
      service: 'agent',
      at: 10,
      ms: 40,
      attributes: { 'gen_ai.operation.name': 'retrieval' },
    },
    {
      spanId: 'chat',
      parent: 'agent',
      name: 'chat gpt-4o',
      service: 'agent',
      at: 60,
      ms: chatMs,
      kind: 3,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 812,
        'gen_ai.usage.output_tokens': 96,
        'gen_ai.request.temperature': 0.2,
        'gen_ai.input.messages': JSON.stringify(input),
        'gen_ai.output.messages': JSON.stringify(output),
      },
    },
  ];
  if (options.withTool !== false) {
    specs.push({
      spanId: 'tool',
      parent: 'agent',
      name: 'execute_tool get_weather',
      service: 'agent',
      at: chatMs + 70,
      ms: 150,
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather' },
    });
  }
  return buildTrace(specs);
}

/** A wide trace of `n` spans (a root with chains of children), for virtualization checks. */
export function wideTrace(n: number, service = 'batch'): BuiltTrace {
  const specs: SpanSpec[] = [{ spanId: 's0', name: 'batch job', service, at: 0, ms: n * 2 + 10 }];
  for (let i = 1; i < n; i++) {
    const parent = i < 50 ? 's0' : `s${(i % 49) + 1}`;
    specs.push({ spanId: `s${i}`, parent, name: `step ${i % 17}`, service, at: i * 2, ms: 1.5 });
  }
  return buildTrace(specs);
}
