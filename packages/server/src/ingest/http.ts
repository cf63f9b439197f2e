import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import cors from '@fastify/cors';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  encodeExportResponse,
  encodeStatus,
  exportResponseToJson,
  type SignalType,
} from '@pyflare/otlp';
import type { Principal } from '../auth/scopes.ts';
import { PyflareError, isPyflareError, isRetryableUnavailable } from '../errors.ts';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { IngestService, PayloadFormat } from './service.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export interface OtlpHttpOptions {
  ingest: IngestService;
  metrics: SelfMetrics;
  resolvePrincipal: (headers: FastifyRequest['headers']) => Principal | undefined;
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  /** Origins a browser may send from (`*`: any); empty: no CORS headers, preflights get 404. */
  corsOrigins?: string[];
  logger: FastifyInstance['log'];
}

const PATHS: Record<string, SignalType> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

function formatOf(request: FastifyRequest): PayloadFormat {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' ? 'json' : 'protobuf';
}

/**
 * OTLP/HTTP receiver (:4318): POST /v1/{traces,metrics,logs}, protobuf or JSON, optionally
 * gzip- or deflate-compressed. Responses use the request's encoding, as the OTLP
 * specification asks: an Export*ServiceResponse on success (with partial_success when
 * some items were rejected), a google.rpc.Status on failure.
 */
export async function createOtlpHttpServer(options: OtlpHttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.maxBodyBytes,
    // One log line per OTLP request would drown the log; failures are logged below.
    logController: new LogController({ disableRequestLogging: true }),
  });

  // Browser exporters (the OTel web SDK) send JSON or protobuf with an Authorization header (and
  // any headers the app configures, which the preflight's are echoed for), so every export is
  // preceded by a preflight. Keys travel in headers, never cookies: no credentials mode, and
  // `*` is safe to allow. Retry-After is exposed for 429 / 503 answers. Registered (awaited)
  // before the auth hook, so refusals (401, 429) carry the headers and the page can read them.
  const origins = options.corsOrigins ?? [];
  if (origins.length > 0) {
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['POST'],
      exposedHeaders: ['retry-after'],
      maxAge: 600,
    });
  }

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/x-protobuf', 'application/protobuf', 'application/json'],
    { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
    (_req, body, done) => done(null, body),
  );

  app.addHook('onRequest', async (request) => {
    const signal = PATHS[request.url.split('?')[0]!];
    if (request.method !== 'POST' || !signal) return;
    // Cheap refusals first: no credentials, or no room, and the body is never read.
    options.ingest.authorize(options.resolvePrincipal(request.headers));
    options.ingest.checkCapacity();
  });

  app.setErrorHandler((error, request, reply) => {
    const signal = PATHS[request.url.split('?')[0]!] ?? 'traces';
    const e = toPyflareError(error);
    options.metrics.requests.inc({ transport: 'http', signal, outcome: e.code.toLowerCase() });
    if (e.status >= 500 && !isRetryableUnavailable(e)) {
      request.log.error({ err: error }, 'OTLP/HTTP request failed');
    }
    return sendStatus(reply, formatOf(request), e);
  });

  for (const [path, signal] of Object.entries(PATHS)) {
    app.post(path, async (request, reply) => {
      const format = formatOf(request);
      const principal = options.ingest.authorize(options.resolvePrincipal(request.headers));
      const raw = await decompress(
        request.body as Buffer,
        request.headers['content-encoding'],
        options.maxDecompressedBytes,
      );
      // JSON is parsed by the ingest service (on a decode worker for large trace requests).
      const partial = await options.ingest.ingest(signal, format, raw, principal);
      options.metrics.requests.inc({ transport: 'http', signal, outcome: 'ok' });
      if (format === 'json') {
        return reply.type('application/json').send(exportResponseToJson(partial, signal));
      }
      return reply
        .type('application/x-protobuf')
        .send(Buffer.from(encodeExportResponse(partial, signal)));
    });
  }

  app.setNotFoundHandler((request, reply) =>
    sendStatus(
      reply,
      formatOf(request),
      new PyflareError('NOT_FOUND', `no OTLP endpoint at ${request.method} ${request.url}`),
    ),
  );

  return app;
}

function sendStatus(reply: FastifyReply, format: PayloadFormat, e: PyflareError): FastifyReply {
  reply.status(e.status);
  if (e.retryAfter !== undefined) reply.header('retry-after', String(e.retryAfter));
  const message = e.status >= 500 && e.code === 'STORAGE_ERROR' ? 'internal error' : e.message;
  if (format === 'json') {
    return reply.type('application/json').send({ code: e.grpcCode, message });
  }
  return reply.type('application/x-protobuf').send(Buffer.from(encodeStatus(e.grpcCode, message)));
}

async function decompress(
  body: Buffer | undefined,
  encodingHeader: string | string[] | undefined,
  maxBytes: number,
): Promise<Buffer> {
  const data = body ?? Buffer.alloc(0);
  const encoding = (Array.isArray(encodingHeader) ? encodingHeader[0] : encodingHeader)
    ?.trim()
    .toLowerCase();
  if (!encoding || encoding === 'identity') return data;
  const inflater =
    encoding === 'gzip' ? gunzipAsync : encoding === 'deflate' ? inflateAsync : undefined;
  if (!inflater) {
    throw new PyflareError(
      'UNSUPPORTED_ENCODING',
      `unsupported Content-Encoding '${encoding}' (use gzip, deflate or identity)`,
    );
  }
  try {
    return await inflater(data, { maxOutputLength: maxBytes });
  } catch (cause) {
    if (
      cause instanceof RangeError ||
      (cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
    ) {
      throw new PyflareError('PAYLOAD_TOO_LARGE', `decompressed body exceeds ${maxBytes} bytes`, {
        cause,
      });
    }
    throw new PyflareError(
      'MALFORMED_PAYLOAD',
      `invalid ${encoding} body: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

/** Maps fastify's own errors (body limit, media type) into the catalog. */
export function toPyflareError(error: unknown): PyflareError {
  if (isPyflareError(error)) return error;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PyflareError('PAYLOAD_TOO_LARGE', message, { cause: error });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PyflareError(
        'UNSUPPORTED_MEDIA_TYPE',
        'unsupported Content-Type (use application/x-protobuf or application/json)',
        { cause: error },
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new PyflareError('BAD_REQUEST', message, { cause: error });
    default: {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 400) return new PyflareError('BAD_REQUEST', message, { cause: error });
      if (status === 404) return new PyflareError('NOT_FOUND', message, { cause: error });
      if (status === 413) return new PyflareError('PAYLOAD_TOO_LARGE', message, { cause: error });
      if (status === 415)
        return new PyflareError('UNSUPPORTED_MEDIA_TYPE', message, { cause: error });
      return new PyflareError('INTERNAL', message, { cause: error });
    }
  }
}
