import type {
  AnyValue,
  Attributes,
  ExportTraceServiceRequest,
  InstrumentationScope,
  ResourceSpans,
  Span,
  SpanEvent,
} from '@pyflare/otlp';
import type { Random } from './random.ts';

/**
 * Realistic GenAI traces for the ingest benchmark: an HTTP server root, an agent, optional
 * RAG (embeddings + retrieval with documents), 2–4 LLM chat steps with gen_ai.* attributes,
 * message content and events, and tool calls with an outgoing HTTP span. About 10–16 spans
 * per trace, 15–25 attributes per span, ~2% of traces with an error.
 */

const SERVICES = ['support-bot', 'rag-api', 'agent-worker', 'copilot-backend', 'search-assist'];
const MODELS: readonly (readonly [provider: string, request: string, response: string])[] = [
  ['openai', 'gpt-4o', 'gpt-4o-2024-08-06'],
  ['openai', 'gpt-4o-mini', 'gpt-4o-mini-2024-07-18'],
  ['anthropic', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'],
  ['anthropic', 'claude-haiku-4-5', 'claude-haiku-4-5-20251001'],
  ['aws.bedrock', 'meta.llama3-70b-instruct-v1:0', 'meta.llama3-70b-instruct-v1:0'],
  ['gcp.vertex_ai', 'gemini-2.0-flash', 'gemini-2.0-flash-001'],
];
const TOOLS = ['get_weather', 'search_orders', 'lookup_customer', 'create_ticket', 'web_search'];
const TOOL_HOSTS = ['api.weather.example', 'orders.internal', 'crm.internal', 'search.example'];
const ROUTES = ['/v1/chat', '/v1/assist', '/v1/agents/run', '/api/ask'];
const WORDS = (
  'the customer order refund shipping delayed please summarize policy account invoice ' +
  'weather paris tomorrow forecast ticket priority escalate support agent document ' +
  'retrieval context answer question product warranty return label tracking number ' +
  'password reset login error timeout database latency model token budget cost report'
).split(' ');

const SCOPES: Record<string, InstrumentationScope> = {
  http: scope('@opentelemetry/instrumentation-http', '0.57.2'),
  agent: scope('pyflare.agent', '0.3.1'),
  openai: scope('opentelemetry.instrumentation.openai', '0.38.7'),
  retrieval: scope('openinference.instrumentation.llama_index', '3.1.0'),
};

function scope(name: string, version: string): InstrumentationScope {
  return {
    name,
    version,
    attributes: Object.create(null) as Attributes,
    droppedAttributesCount: 0,
  };
}

function attrs(values: Record<string, AnyValue>): Attributes {
  return Object.assign(Object.create(null) as Attributes, values);
}

function text(rng: Random, minWords: number, maxWords: number): string {
  const n = rng.int(minWords, maxWords);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(rng.pick(WORDS));
  return words.join(' ');
}

const MS = 1_000_000n;

interface TraceSpans {
  service: string;
  spans: { scope: string; span: Span }[];
}

/** Generates one trace whose root starts at `startNs`. */
export function generateTrace(rng: Random, startNs: bigint): TraceSpans {
  const traceId = rng.hex(16);
  const service = rng.pick(SERVICES);
  const userId = `user-${rng.int(1, 5000)}`;
  const sessionId = `sess-${rng.hex(6)}`;
  const tenant = `tenant-${rng.int(1, 40)}`;
  const failing = rng.chance(0.02);
  const out: TraceSpans = { service, spans: [] };
  const common = (fn: string): Record<string, AnyValue> => ({
    'code.function.name': fn,
    'code.file.path': `/app/src/${fn.split('.')[0]}.py`,
    'thread.id': rng.int(1, 64),
    'app.tenant': tenant,
    'app.release': '2025.11.3',
    'app.feature.streaming': rng.chance(0.5),
  });
  const add = (
    scopeName: string,
    parent: Span | undefined,
    name: string,
    kind: number,
    start: bigint,
    end: bigint,
    attributes: Record<string, AnyValue>,
    events: SpanEvent[] = [],
  ): Span => {
    const span: Span = {
      traceId,
      spanId: rng.hex(8),
      traceState: '',
      parentSpanId: parent?.spanId ?? '',
      flags: 1,
      name,
      kind,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      attributes: attrs(attributes),
      droppedAttributesCount: 0,
      events,
      droppedEventsCount: 0,
      links: [],
      droppedLinksCount: 0,
      status: { code: 0, message: '' },
    };
    out.spans.push({ scope: scopeName, span });
    return span;
  };

  const steps = rng.int(2, 4);
  const rag = rng.chance(0.6);
  const [provider, requestModel, responseModel] = rng.pick(MODELS);
  const route = rng.pick(ROUTES);
  // Lay the children out first so the parents' end times enclose them.
  let t = startNs + BigInt(rng.int(1, 5)) * MS;
  const agentStart = t;
  t += BigInt(rng.int(1, 3)) * MS;

  const root = add('http', undefined, `POST ${route}`, 2, startNs, 0n, {
    'http.request.method': 'POST',
    'http.route': route,
    'url.path': route,
    'url.scheme': 'https',
    'http.response.status_code': failing ? 500 : 200,
    'server.address': `${service}.prod.example`,
    'server.port': 443,
    'client.address': `10.0.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    'user_agent.original': 'python-requests/2.32.3',
    'network.protocol.version': '1.1',
    'user.id': userId,
    'session.id': sessionId,
    'http.request.body.size': rng.int(200, 4000),
    'http.response.body.size': rng.int(500, 9000),
    ...common('server.handle'),
  });
  const agent = add('agent', root, 'invoke_agent support-agent', 1, agentStart, 0n, {
    'gen_ai.operation.name': 'invoke_agent',
    'gen_ai.agent.name': 'support-agent',
    'gen_ai.agent.id': `agent-${rng.int(1, 9)}`,
    'gen_ai.agent.description': 'Answers customer questions with tools and retrieval',
    'gen_ai.conversation.id': sessionId,
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': requestModel,
    'user.id': userId,
    'session.id': sessionId,
    'app.max_steps': 8,
    'app.steps': steps,
    ...common('agent.run'),
  });

  const question = text(rng, 15, 60);
  if (rag) {
    const e0 = t;
    t += BigInt(rng.int(20, 120)) * MS;
    add('openai', agent, 'embeddings text-embedding-3-small', 3, e0, t, {
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.response.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': rng.int(10, 120),
      'gen_ai.embeddings.dimension.count': 1536,
      'gen_ai.request.encoding_formats': ['float'],
      'server.address': 'api.openai.com',
      'server.port': 443,
      ...common('rag.embed'),
    });
    const r0 = t;
    t += BigInt(rng.int(5, 60)) * MS;
    const docs: Record<string, AnyValue> = {};
    for (let d = 0; d < 3; d++) {
      docs[`retrieval.documents.${d}.document.id`] = `doc-${rng.int(1, 100_000)}`;
      docs[`retrieval.documents.${d}.document.score`] = Math.round(rng.next() * 1000) / 1000;
      docs[`retrieval.documents.${d}.document.content`] = text(rng, 20, 60);
    }
    add('retrieval', agent, 'retrieve knowledge-base', 1, r0, t, {
      'openinference.span.kind': 'RETRIEVER',
      'input.value': question,
      'db.system.name': 'qdrant',
      'db.collection.name': 'kb-articles',
      'db.operation.name': 'search',
      'retrieval.top_k': 3,
      ...docs,
      ...common('rag.retrieve'),
    });
  }

  let inputTokens = rng.int(200, 3000);
  for (let step = 0; step < steps; step++) {
    const last = step === steps - 1;
    const c0 = t;
    t += BigInt(rng.int(300, 2500)) * MS;
    const outputTokens = rng.int(20, 600);
    const errorHere = failing && last;
    const finish = last ? 'stop' : 'tool_calls';
    const chatEvents: SpanEvent[] = [
      {
        timeUnixNano: c0 + BigInt(rng.int(50, 250)) * MS,
        name: 'gen_ai.content.first_token',
        attributes: attrs({ 'gen_ai.response.time_to_first_token_ms': rng.int(50, 250) }),
        droppedAttributesCount: 0,
      },
    ];
    if (errorHere) {
      chatEvents.push({
        timeUnixNano: t,
        name: 'exception',
        attributes: attrs({
          'exception.type': 'RateLimitError',
          'exception.message': 'Rate limit reached for requests',
          'exception.stacktrace': 'Traceback (most recent call last):\n  File "/app/src/agent.py"',
        }),
        droppedAttributesCount: 0,
      });
    }
    const chat = add(
      'openai',
      agent,
      `chat ${requestModel}`,
      3,
      c0,
      t,
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': provider,
        'gen_ai.request.model': requestModel,
        'gen_ai.response.model': responseModel,
        'gen_ai.response.id': `chatcmpl-${rng.hex(12)}`,
        'gen_ai.request.temperature': Math.round(rng.next() * 10) / 10,
        'gen_ai.request.max_tokens': 1024,
        'gen_ai.request.top_p': 1,
        'gen_ai.response.finish_reasons': [finish],
        'gen_ai.usage.input_tokens': inputTokens,
        'gen_ai.usage.output_tokens': errorHere ? 0 : outputTokens,
        'gen_ai.usage.cache_read.input_tokens': rng.chance(0.3) ? rng.int(100, inputTokens) : 0,
        'gen_ai.conversation.id': sessionId,
        'gen_ai.input.messages': JSON.stringify([
          {
            role: 'system',
            parts: [{ type: 'text', content: 'You are a helpful support agent.' }],
          },
          { role: 'user', parts: [{ type: 'text', content: question }] },
        ]),
        'gen_ai.output.messages': JSON.stringify([
          {
            role: 'assistant',
            parts: [{ type: 'text', content: text(rng, 10, 80) }],
            finish_reason: finish,
          },
        ]),
        'server.address': provider === 'openai' ? 'api.openai.com' : `${provider}.example`,
        'server.port': 443,
        ...common('llm.chat'),
      },
      chatEvents,
    );
    if (errorHere) chat.status = { code: 2, message: 'RateLimitError: Rate limit reached' };
    inputTokens += outputTokens + rng.int(50, 400);
    if (last) break;

    const tool = rng.pick(TOOLS);
    const x0 = t;
    const h0 = x0 + BigInt(rng.int(1, 5)) * MS;
    const h1 = h0 + BigInt(rng.int(10, 400)) * MS;
    t = h1 + BigInt(rng.int(1, 5)) * MS;
    const toolSpan = add('agent', agent, `execute_tool ${tool}`, 1, x0, t, {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': tool,
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': `call_${rng.hex(8)}`,
      'gen_ai.tool.description': `Calls ${tool}`,
      'gen_ai.tool.call.arguments': JSON.stringify({ query: text(rng, 2, 6), limit: 5 }),
      'gen_ai.agent.name': 'support-agent',
      'gen_ai.conversation.id': sessionId,
      'app.tool.timeout_ms': 10_000,
      ...common(`tools.${tool}`),
    });
    const host = rng.pick(TOOL_HOSTS);
    add('http', toolSpan, 'GET', 3, h0, h1, {
      'http.request.method': 'GET',
      'url.full': `https://${host}/v2/${tool}?q=${rng.hex(4)}`,
      'server.address': host,
      'server.port': 443,
      'http.response.status_code': 200,
      'network.protocol.version': '1.1',
      'http.request.resend_count': 0,
      'user_agent.original': 'httpx/0.27.0',
      'http.response.header.content-type': ['application/json'],
      ...common('http.client'),
    });
  }
  agent.endTimeUnixNano = t + BigInt(rng.int(1, 3)) * MS;
  root.endTimeUnixNano = agent.endTimeUnixNano + BigInt(rng.int(1, 4)) * MS;
  if (failing) {
    agent.status = { code: 2, message: 'step failed: RateLimitError' };
    root.status = { code: 2, message: 'HTTP 500' };
  }
  return out;
}

function resourceFor(service: string, rng: Random): Attributes {
  return attrs({
    'service.name': service,
    'service.version': '1.8.0',
    'service.namespace': 'ai-platform',
    'service.instance.id': `${service}-${rng.hex(4)}`,
    'deployment.environment.name': 'production',
    'host.name': `ip-10-0-${rng.int(0, 255)}-${rng.int(1, 254)}`,
    'k8s.pod.name': `${service}-7d9f${rng.hex(3)}`,
    'k8s.namespace.name': 'ai',
    'cloud.region': 'eu-west-1',
    'telemetry.sdk.language': 'python',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '1.28.2',
  });
}

export interface GeneratedRequest {
  request: ExportTraceServiceRequest;
  spans: number;
  /** Trace ids in the request, for rewriting copies (see `retraceable`). */
  traceIds: string[];
}

export interface GenerateOptions {
  /** Span counts of the requests are drawn uniformly in this range (whole traces). */
  minSpans: number;
  maxSpans: number;
  /** Trace start times are spread over [nowMs - windowMs, nowMs]. */
  nowMs: number;
  windowMs: number;
}

/** One OTLP request of whole traces, grouped by service (resource) and scope. */
export function generateRequest(rng: Random, options: GenerateOptions): GeneratedRequest {
  const target = rng.int(options.minSpans, options.maxSpans);
  const byService = new Map<string, Map<string, Span[]>>();
  const traceIds: string[] = [];
  let spans = 0;
  while (spans < target) {
    const startMs = options.nowMs - Math.floor(rng.next() * options.windowMs);
    const trace = generateTrace(rng, BigInt(startMs) * MS + BigInt(rng.int(0, 999_999)));
    traceIds.push(trace.spans[0]!.span.traceId);
    let scopes = byService.get(trace.service);
    if (!scopes) byService.set(trace.service, (scopes = new Map()));
    for (const { scope: name, span } of trace.spans) {
      let list = scopes.get(name);
      if (!list) scopes.set(name, (list = []));
      list.push(span);
      spans++;
    }
  }
  const resourceSpans: ResourceSpans[] = [];
  for (const [service, scopes] of byService) {
    resourceSpans.push({
      resource: { attributes: resourceFor(service, rng), droppedAttributesCount: 0 },
      scopeSpans: [...scopes].map(([name, list]) => ({
        scope: SCOPES[name]!,
        spans: list,
        schemaUrl: 'https://opentelemetry.io/schemas/1.28.0',
      })),
      schemaUrl: '',
    });
  }
  return { request: { resourceSpans }, spans, traceIds };
}
