import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicPrompt, messages, type PromptCache } from './fake-anthropic.ts';
import { chatCompletion, embeddings, responses } from './fake-openai.ts';
import { sha } from './fake-text.ts';

/**
 * A local fake LLM provider speaking the OpenAI (`/v1/chat/completions`, `/v1/embeddings`,
 * `/v1/responses`) and Anthropic (`/v1/messages`) HTTP APIs, SSE streaming included, so the real
 * `openai`, `@anthropic-ai/sdk`, LangChain and Vercel AI SDK clients run against it unchanged.
 * Deterministic answers, realistic usage numbers, and faults on demand:
 *
 * - model `fake-error-<status>` (e.g. `fake-error-429`) always fails with that status;
 * - `[[fault:<status>]]` in the last user message fails every attempt, `[[fault:<status>x<N>]]`
 *   only the first N attempts of that exact request (so a client's retries succeed);
 *   `[[fault:timeout]]` never answers (the client's timeout fires);
 * - `[[latency:<ms>]]` delays the answer;
 * - the `faults` option decides programmatically (the demo's error rates).
 */

export interface FakeProviderOptions {
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Delay before answering, ms (default 0). */
  latencyMs?: number | (() => number);
  /** Delay between streamed events, ms (default 0). */
  tokenDelayMs?: number;
  /** Picks a fault for a request (checked after the in-band directives). */
  faults?: (request: FakeRequest) => Fault | undefined;
}

export type Fault = { status: number; message?: string } | { timeout: true };

export interface FakeRequest {
  path: string;
  model: string;
  stream: boolean;
  /** The client's retry count (`x-stainless-retry-count`), 0 on a first attempt. */
  retryCount: number;
  /** Last user message as text, for directives and logs. */
  prompt: string;
  status?: number;
  body: Record<string, unknown>;
}

export interface FakeProvider {
  url: string;
  /** For `new OpenAI({ baseURL })`. */
  openaiBaseUrl: string;
  /** For `new Anthropic({ baseURL })`. */
  anthropicBaseUrl: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** The response helpers the API handlers answer with. */
export interface Reply {
  json(status: number, body: unknown): void;
  error(status: number, type: string, message: string): void;
  anthropicError(status: number, type: string, message: string): void;
  sse(events: { event?: string; data: unknown }[], done?: string): void;
}

const ANTHROPIC_ERRORS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};
const OPENAI_ERRORS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_api_key',
  403: 'permission_denied',
  404: 'not_found',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'service_unavailable',
};

const MAX_BODY = 8 * 1024 * 1024;

/**
 * Starts the fake provider on a loopback port.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * import { startFakeProvider } from '@pyflare/sdk/fake-provider';
 *
 * const fake = await startFakeProvider();
 * const openai = new OpenAI({ apiKey: 'fake', baseURL: fake.openaiBaseUrl });
 * const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
 * await fake.close();
 * ```
 */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  const attempts = new Map<string, number>();
  const cache: PromptCache = new Set();
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (ms <= 0) return resolve();
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
      } else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    if (req.method === 'GET' && (path === '' || path === '/health')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'fake' }],
      });
      return;
    }
    const raw = await readBody(req);
    if (raw === undefined) {
      sendJson(res, 413, {
        error: { message: 'request too large', type: 'invalid_request_error' },
      });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = raw.length === 0 ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const isAnthropic = path === '/v1/messages';
    const reply = makeReply(res, options.tokenDelayMs ?? 0, wait, held);
    const request: FakeRequest = {
      path,
      model: String(body.model ?? ''),
      stream: body.stream === true,
      retryCount: Number(req.headers['x-stainless-retry-count'] ?? 0) || 0,
      prompt: isAnthropic ? anthropicPrompt(body) : lastUserText(body),
      body,
    };
    requests.push(request);
    res.on('finish', () => (request.status = res.statusCode));

    const key = sha(`${path}\u0000${raw}`);
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const fault = directiveFault(request, attempt) ?? options.faults?.(request);
    const latency =
      typeof options.latencyMs === 'function' ? options.latencyMs() : (options.latencyMs ?? 0);
    await wait(latency + directiveLatency(request.prompt));
    if (fault && 'timeout' in fault) {
      held.add(res);
      res.on('close', () => held.delete(res));
      return; // never answered: the client's timeout fires
    }
    if (fault) {
      const message = fault.message ?? `fake provider: injected HTTP ${fault.status}`;
      if (fault.status === 429) res.setHeader('retry-after-ms', '20');
      if (isAnthropic)
        reply.anthropicError(fault.status, ANTHROPIC_ERRORS[fault.status] ?? 'api_error', message);
      else reply.error(fault.status, OPENAI_ERRORS[fault.status] ?? 'server_error', message);
      return;
    }
    if (req.method !== 'POST') {
      reply.error(405, 'invalid_request_error', `${req.method} ${path} is not supported`);
      return;
    }
    switch (path) {
      case '/v1/chat/completions':
        return chatCompletion(body, reply);
      case '/v1/embeddings':
        return embeddings(body, reply);
      case '/v1/responses':
        return responses(body, reply);
      case '/v1/messages':
        return messages(body, reply, cache);
      default:
        reply.error(404, 'not_found', `no route ${path}`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const r of held) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function makeReply(
  res: ServerResponse,
  tokenDelayMs: number,
  wait: (ms: number) => Promise<void>,
  held: Set<ServerResponse>,
): Reply {
  return {
    json: (status, body) => sendJson(res, status, body),
    error: (status, type, message) =>
      sendJson(res, status, { error: { message, type, param: null, code: type } }),
    anthropicError: (status, type, message) =>
      sendJson(res, status, { type: 'error', error: { type, message } }),
    sse(events, done) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': `req_${Date.now().toString(36)}`,
      });
      held.add(res);
      res.on('close', () => held.delete(res));
      void (async () => {
        for (const e of events) {
          if (res.destroyed) return;
          res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`);
          await wait(tokenDelayMs);
        }
        if (done !== undefined) res.write(`data: ${done}\n\n`);
        res.end();
      })();
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-request-id': `req_${Date.now().toString(36)}`,
  });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function lastUserText(body: Record<string, unknown>): string {
  const msgs = Array.isArray(body.messages)
    ? (body.messages as { role?: string; content?: unknown }[])
    : [];
  const user = [...msgs].reverse().find((m) => m.role === 'user');
  if (user)
    return typeof user.content === 'string' ? user.content : JSON.stringify(user.content ?? '');
  if (typeof body.input === 'string') return body.input;
  return body.input === undefined ? '' : JSON.stringify(body.input);
}

function directiveFault(request: FakeRequest, attempt: number): Fault | undefined {
  const byModel = /^fake-error-(\d{3})$/.exec(request.model);
  if (byModel) return { status: Number(byModel[1]) };
  if (request.model === 'fake-timeout') return { timeout: true };
  const m = /\[\[fault:(\d{3}|timeout)(?:x(\d+))?\]\]/.exec(request.prompt);
  if (!m) return undefined;
  if (m[2] !== undefined && attempt > Number(m[2])) return undefined;
  return m[1] === 'timeout' ? { timeout: true } : { status: Number(m[1]) };
}

function directiveLatency(prompt: string): number {
  const m = /\[\[latency:(\d{1,6})\]\]/.exec(prompt);
  return m ? Number(m[1]) : 0;
}
