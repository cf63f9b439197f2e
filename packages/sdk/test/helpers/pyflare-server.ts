/**
 * A real PyFlare server in this process (chDB on a temporary directory, random loopback ports),
 * started the way the server's own end-to-end tests start it, and readers for its HTTP API.
 */
import {
  eventually,
  startTestServer,
  type TestServer,
} from '../../../server/test/helpers/running-server.ts';

import { flush, trace } from '../../src/index.ts';

export { eventually, startTestServer, type TestServer };

export interface ApiSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: string;
  serviceName: string;
  environment: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNs: number;
  status: { code: string; message: string };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: { name: string; timeUnixNano: string; attributes: Record<string, unknown> }[];
  scope: { name: string; version: string };
  operation: string;
  provider: string;
  requestModel: string;
  responseModel: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  totalTokens: number;
  userId: string;
  sessionId: string;
  tags: string[];
  inputText: string;
  outputText: string;
  inputMessages:
    | {
        role: string;
        content: string;
        toolCalls?: { id?: string; name: string; arguments: string }[];
        toolCallId?: string;
      }[]
    | null;
  outputMessages:
    | {
        role: string;
        content: string;
        toolCalls?: { id?: string; name: string; arguments: string }[];
      }[]
    | null;
  retrievalDocuments:
    { id?: string; content?: string; score?: number; metadata?: unknown }[] | null;
  inferenceId: string;
  mlFeatures: Record<string, unknown> | null;
  mlPrediction: string;
  mlLabel: string;
  embeddingDimensions: number;
}

/** Polls the trace until it has at least `minSpans` spans, then returns them. */
export async function fetchTrace(
  server: TestServer,
  traceId: string,
  minSpans = 1,
): Promise<ApiSpan[]> {
  return eventually(async () => {
    const res = await server.api(`/api/v1/traces/${traceId}`);
    if (res.status !== 200) return undefined;
    const body = (await res.json()) as { spans: ApiSpan[] };
    return body.spans.length >= minSpans ? body.spans : undefined;
  }, 15_000);
}

/** Span search (`GET /api/v1/spans?...`), polled until something matches. */
export async function findSpans(
  server: TestServer,
  query: string,
  minSpans = 1,
): Promise<Pick<ApiSpan, 'traceId' | 'spanId' | 'name'>[]> {
  return eventually(async () => {
    const res = await server.api(`/api/v1/spans?${query}`);
    if (res.status !== 200)
      throw new Error(`GET /api/v1/spans?${query}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { spans: ApiSpan[] };
    return body.spans.length >= minSpans ? body.spans : undefined;
  }, 15_000);
}

/** The one span named `name` (fails when there is none or several). */
export function byName(spans: readonly ApiSpan[], name: string): ApiSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one span '${name}', found ${found.length} among: ${spans.map((s) => s.name).join(', ')}`,
    );
  }
  return found[0]!;
}

/** Runs `fn` in a root span named 'test root', flushes, and returns its result and the stored trace. */
export async function tracedAndStored<T>(
  server: TestServer,
  fn: () => Promise<T>,
  minSpans = 2,
): Promise<{ result: T; spans: ApiSpan[]; root: ApiSpan }> {
  let traceId = '';
  const result = await trace('test root', (span) => {
    traceId = span.spanContext().traceId;
    return fn();
  });
  await flush();
  const spans = await fetchTrace(server, traceId, minSpans);
  return { result, spans, root: byName(spans, 'test root') };
}
