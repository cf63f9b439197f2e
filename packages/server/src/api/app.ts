import Fastify, { type FastifyBaseLogger } from 'fastify';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  hasZodFastifySchemaValidationErrors,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AccountService } from '../auth/accounts.ts';
import { createLoginLimiter, type LoginLimiter } from '../auth/login-limiter.ts';
import type { AuthService } from '../auth/service.ts';
import { PyflareError, toProblem } from '../errors.ts';
import { toPyflareError } from '../ingest/http.ts';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { Database } from '../storage/database.ts';
import { registerAdminRoutes } from './admin/routes.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { authenticate, checkAccess } from './authenticate.ts';
import { CSRF_HEADER, PROJECT_HEADER } from './cookies.ts';
import { registerOverviewRoutes } from './overview/routes.ts';
import { registerSavedQueryRoutes } from './saved-queries/routes.ts';
import { registerStaticRoutes } from './static.ts';
import { registerUserRoutes } from './users/routes.ts';
import { registerSystemRoutes } from './system.ts';
import { registerDataRoutes } from './routes/register.ts';
import type { ApiApp } from './types.ts';
import './context.ts';

export interface ApiOptions {
  db: Database;
  auth: AuthService;
  accounts: AccountService;
  metrics: SelfMetrics;
  logger: FastifyBaseLogger;
  /** Auth disabled (loopback only): every caller is the local admin. */
  authDisabled: boolean;
  isReady: () => boolean;
  version: string;
  corsOrigins: string[];
  rateLimitPerMinute: number;
  /** The built web UI; default packages/ui/dist. */
  uiDir?: string;
  /** Trust X-Forwarded-For / X-Forwarded-Proto (behind a reverse proxy). */
  trustProxy?: boolean;
  /** Failed logins; a fresh limiter (10 per 15 min) by default. */
  loginLimiter?: LoginLimiter;
  /** Routes added by other modules (the WebSocket), registered after the API's own. */
  extraRoutes?: (app: ApiApp) => Promise<void> | void;
}

/** The REST API (:8080): /api/v1, problem+json errors, generated OpenAPI, auth on every route. */
export async function createApiServer(options: ApiOptions): Promise<ApiApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Query strings like attr=a&attr=b arrive as arrays.
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', undefined);

  await app.register(cors, {
    origin: options.corsOrigins.length > 0 ? options.corsOrigins : false,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'x-api-key', 'content-type', CSRF_HEADER, PROJECT_HEADER],
  });
  await app.register(cookie);
  // Before the auth hook: its own onRequest hook marks upgrade requests, so that a refused
  // upgrade (401/403 from the auth hook) still gets its socket closed after the answer.
  // Larger frames than maxPayload close with 1009; /api/v1/ws refuses > 64 KiB with 1008.
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
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
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'pyflare_session',
            description:
              'A browser session (POST /api/v1/auth/login); state-changing requests also need the x-csrf-token header',
          },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  // Every route but the public ones: who is calling, then what the route asks of them.
  // Hooks run before the body is read, so an unauthenticated caller's body is never parsed.
  const authDeps = {
    auth: options.auth,
    accounts: options.accounts,
    authDisabled: options.authDisabled,
  };
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    if (config.public === true || request.routeOptions.url === undefined) return;
    const principal = await authenticate(request, reply, authDeps);
    if (!principal) {
      throw new PyflareError(
        'UNAUTHENTICATED',
        'log in, or send an API key (Authorization: Bearer <key> or x-api-key)',
      );
    }
    checkAccess(principal, config);
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
  registerAuthRoutes(app, {
    db: options.db,
    auth: options.auth,
    accounts: options.accounts,
    limiter: options.loginLimiter ?? createLoginLimiter(),
  });
  registerAdminRoutes(app, { auth: options.auth, accounts: options.accounts });
  registerUserRoutes(app, { accounts: options.accounts });
  registerSavedQueryRoutes(app, { db: options.db });
  registerOverviewRoutes(app, { db: options.db });
  registerDataRoutes(app, { db: options.db });
  await options.extraRoutes?.(app);
  await registerStaticRoutes(app, options.uiDir);
  return app;
}
