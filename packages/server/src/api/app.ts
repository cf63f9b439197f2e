import Fastify, { type FastifyBaseLogger } from 'fastify';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  hasZodFastifySchemaValidationErrors,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AuthService } from '../auth/service.ts';
import { hasScope, type Principal } from '../auth/scopes.ts';
import { PyflareError, toProblem } from '../errors.ts';
import { toPyflareError } from '../ingest/http.ts';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { Database } from '../storage/database.ts';
import { registerAdminRoutes } from './admin/routes.ts';
import { registerSystemRoutes } from './system.ts';
import { registerDataRoutes } from './routes/register.ts';
import type { ApiApp } from './types.ts';
import './context.ts';

export interface ApiOptions {
  db: Database;
  auth: AuthService;
  metrics: SelfMetrics;
  logger: FastifyBaseLogger;
  resolvePrincipal: (
    headers: Record<string, string | string[] | undefined>,
  ) => Principal | undefined;
  isReady: () => boolean;
  version: string;
  corsOrigins: string[];
  rateLimitPerMinute: number;
}

/** The REST API (:8080): /api/v1, problem+json errors, generated OpenAPI, auth on every route. */
export async function createApiServer(options: ApiOptions): Promise<ApiApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: 1024 * 1024,
    // Query strings like attr=a&attr=b arrive as arrays.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', undefined);

  await app.register(cors, {
    origin: options.corsOrigins.length > 0 ? options.corsOrigins : false,
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'x-api-key', 'content-type'],
  });
  if (options.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      allowList: (request) => request.routeOptions.config.public === true,
      errorResponseBuilder: (_request, context) =>
        new PyflareError(
          'RATE_LIMITED',
          `rate limit of ${context.max} requests per minute exceeded`,
          {
            retryAfter: Math.ceil(context.ttl / 1000),
          },
        ),
    });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PyFlare API',
        version: options.version,
        description: 'Traces, spans, logs and metrics of AI/ML applications, ingested over OTLP.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A PyFlare API key' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (config.public === true || request.routeOptions.url === undefined) return;
    const principal = options.resolvePrincipal(request.headers);
    if (!principal) {
      throw new PyflareError(
        'UNAUTHENTICATED',
        'missing or invalid API key (Authorization: Bearer <key> or x-api-key)',
      );
    }
    const needed = config.scope ?? 'read';
    if (!hasScope(principal, needed)) {
      throw new PyflareError('FORBIDDEN', `this API key lacks the '${needed}' scope`);
    }
    request.principal = principal;
  });

  app.setErrorHandler((error, request, reply) => {
    let e: PyflareError;
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const where = issue?.instancePath
        ? issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
        : '';
      e = new PyflareError(
        'BAD_REQUEST',
        `invalid ${error.validationContext ?? 'request'}${where ? ` '${where}'` : ''}: ${issue?.message ?? 'invalid'}`,
      );
    } else {
      e = toPyflareError(error);
    }
    if (e.status >= 500) request.log.error({ err: error }, 'request failed');
    if (e.retryAfter !== undefined) reply.header('retry-after', String(e.retryAfter));
    return reply
      .status(e.status)
      .type('application/problem+json')
      .send(toProblem(e, request.url.split('?')[0]));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(
        toProblem(
          new PyflareError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
        ),
      ),
  );

  registerSystemRoutes(app, {
    db: options.db,
    metrics: options.metrics,
    isReady: options.isReady,
    version: options.version,
  });
  registerAdminRoutes(app, { auth: options.auth });
  registerDataRoutes(app, { db: options.db });
  return app;
}
