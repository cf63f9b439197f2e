import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { SignalType } from '@pyflare/otlp';
import { createApiServer } from './api/app.ts';
import { AccountService } from './auth/accounts.ts';
import type { Principal } from './auth/scopes.ts';
import { AuthService, extractApiKey } from './auth/service.ts';
import type { Config } from './config/config.ts';
import { bindGrpc, createOtlpGrpcServer } from './ingest/grpc.ts';
import { createOtlpHttpServer } from './ingest/http.ts';
import { createDecodePool } from './ingest/decode-pool.ts';
import { createIngestService } from './ingest/service.ts';
import { createSelfMetrics } from './observability/self-metrics.ts';
import { openChdb } from './storage/chdb.ts';
import type { Database } from './storage/database.ts';
import { markCleanShutdown, takeCleanShutdown } from './storage/clean-shutdown.ts';
import { migrate } from './storage/migrate.ts';
import { createTraceDurationIndex, spanInsertHooks } from './storage/trace-durations.ts';
import { createAdmission } from './transport/admission.ts';
import { createBatchWriter, type BatchWriter, type InsertHooks } from './transport/batch-writer.ts';
import { VERSION } from './version.ts';
import { tapDurableSpans } from './ws/durable-tap.ts';
import { LiveTraces } from './ws/live-traces.ts';
import { registerWsRoutes } from './ws/routes.ts';

export interface RunningServer {
  /** Bound ports (useful when 0 was asked for). */
  ports: { api: number; otlpHttp: number; otlpGrpc: number };
  /** The admin key created at first start, when one was generated (shown once). */
  createdAdminKey: string | undefined;
  /** The first admin user, when created at this start: its email, and its password when generated (shown once). */
  createdAdminUser: { email: string; password: string | undefined } | undefined;
  /** Stop accepting, flush what was accepted, close storage. */
  close(): Promise<void>;
}

/** Rows in `spans` (from the parts' metadata: no scan). */
async function spanRows(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count() AS n FROM spans');
  return row?.n ?? 0;
}

export interface StartOptions {
  logger?: Logger;
}

/** Starts every role in one process: OTLP receivers, pipeline, storage, API. */
export async function startServer(
  config: Config,
  options: StartOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const db = openChdb(config.dataDir);
  let ready = false;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'schema migrated');

    const auth = new AuthService({ db, defaultRetentionDays: config.retentionDays });
    const boot = await auth.bootstrap(config.apiKey);
    auth.startRefresh((err) => logger.warn({ err }, 'could not refresh API keys'));
    const accounts = new AccountService({
      db,
      auth,
      sessionTtlMs: config.sessionTtlSeconds * 1000,
    });
    const firstAdmin = await accounts.bootstrap(config.adminPassword);
    accounts.startRefresh((err) => logger.warn({ err }, 'could not refresh users and sessions'));

    const metrics = createSelfMetrics();
    const admission = createAdmission({
      maxRows: config.queueMaxRows,
      maxBytes: config.queueMaxBytes,
      onChange: (rows, bytes) => {
        metrics.queueRows.set(rows);
        metrics.queueBytes.set(bytes);
      },
    });
    // Every trace gets a row with its whole bounds and tokens for the duration and token
    // sorts (migrations 0009, 0012); a crash between an insert and its index upkeep is
    // repaired here. After a clean stop (and no migration since) there is nothing to repair.
    const durations = createTraceDurationIndex(db);
    const mark = takeCleanShutdown(config.dataDir);
    const cleanStop =
      mark !== undefined &&
      applied.length === 0 &&
      mark.spanRows === (await spanRows(db).catch(() => -1));
    if (cleanStop) {
      logger.debug('duration index complete at the last stop; not checked');
    } else {
      const started = performance.now();
      await durations.repair();
      logger.info(
        { ms: Math.round(performance.now() - started) },
        'duration index checked and repaired',
      );
    }
    // Whether every span batch since start was stored and indexed: only then may the stop
    // record that the next start can skip the repair.
    let indexComplete = true;
    const spanHooks = spanInsertHooks(durations, (err) => {
      indexComplete = false;
      logger.warn({ err }, 'duration index upkeep failed; retried with the next batch');
    }) as InsertHooks<unknown>;
    const writer = (table: 'spans' | 'metrics' | 'logs') =>
      createBatchWriter({
        table,
        db,
        admission,
        maxRows: config.batchMaxRows,
        maxDelayMs: config.batchMaxDelayMs,
        onBatch: (t, rows, seconds) => {
          metrics.batchSeconds.observe({ table: t }, seconds);
          metrics.batchRows.observe({ table: t }, rows);
        },
        onError: (err) => {
          if (table === 'spans') indexComplete = false;
          logger.error({ err, table }, 'batch write failed');
        },
        hooks: table === 'spans' ? spanHooks : undefined,
      });
    // Live updates: traces whose spans became durable go to the WebSocket subscribers.
    const live = new LiveTraces({
      db,
      onError: (err) => logger.warn({ err }, 'live trace updates failed'),
    });
    const writers: Record<SignalType, BatchWriter> = {
      traces: tapDurableSpans(writer('spans'), live),
      metrics: writer('metrics'),
      logs: writer('logs'),
    };

    const resolvePrincipal = (headers: Record<string, unknown>): Principal | undefined => {
      if (config.auth === 'disabled') {
        return { projectId: auth.defaultProject().id, scopes: ['admin'], keyId: 'local' };
      }
      const key = extractApiKey(headers as Parameters<typeof extractApiKey>[0]);
      return key ? auth.authenticate(key) : undefined;
    };

    const decodePool =
      config.ingestWorkers > 0
        ? createDecodePool({
            size: config.ingestWorkers,
            onError: (err) => logger.error({ err }, 'ingest decode worker failed; replacing it'),
          })
        : undefined;
    const ingest = createIngestService({ auth, admission, writers, metrics, decodePool });
    const otlpHttp = await createOtlpHttpServer({
      ingest,
      metrics,
      resolvePrincipal,
      maxBodyBytes: config.maxBodyBytes,
      maxDecompressedBytes: config.maxDecompressedBytes,
      corsOrigins: originList(config.otlpCorsOrigins),
      logger: logger.child({ role: 'otlp-http' }),
    });
    const grpc = createOtlpGrpcServer({
      ingest,
      metrics,
      resolvePrincipal,
      maxMessageBytes: config.maxDecompressedBytes,
      onError: (err) => logger.error({ err }, 'OTLP/gRPC request failed'),
    });
    const corsOrigins = originList(config.corsOrigins);
    const api = await createApiServer({
      db,
      auth,
      accounts,
      metrics,
      logger: logger.child({ role: 'api' }),
      authDisabled: config.auth === 'disabled',
      isReady: () => ready,
      version: VERSION,
      corsOrigins,
      rateLimitPerMinute: config.rateLimitPerMinute,
      ...(config.uiDir !== undefined ? { uiDir: config.uiDir } : {}),
      trustProxy: config.trustProxy,
      extraRoutes: (app) => registerWsRoutes(app, { live, auth, accounts, corsOrigins }),
    });

    await api.listen({ host: config.host, port: config.port });
    await otlpHttp.listen({ host: config.host, port: config.otlpHttpPort });
    const grpcPort = await bindGrpc(grpc, config.host, config.otlpGrpcPort);
    const ports = {
      api: (api.server.address() as AddressInfo).port,
      otlpHttp: (otlpHttp.server.address() as AddressInfo).port,
      otlpGrpc: grpcPort,
    };
    ready = true;
    logger.info(
      { host: config.host, ...ports, dataDir: config.dataDir, auth: config.auth },
      'PyFlare is running',
    );

    let closing: Promise<void> | undefined;
    return {
      ports,
      createdAdminKey: boot?.key,
      createdAdminUser: firstAdmin
        ? { email: firstAdmin.user.email, password: firstAdmin.password }
        : undefined,
      close() {
        closing ??= (async () => {
          ready = false;
          auth.stop();
          accounts.stop();
          // Stop taking new connections; write what is queued now rather than at the next
          // tick, so in-flight requests get their acks; then refuse anything later.
          const listenersClosed = Promise.allSettled([
            otlpHttp.close(),
            api.close(),
            new Promise<void>((resolve) => grpc.tryShutdown(() => resolve())),
          ]);
          await Promise.all(Object.values(writers).map((w) => w.flush()));
          // Keep-alive connections would hold the listeners open: close each one as soon
          // as its last response is out, and every one after a grace period.
          const servers = [otlpHttp.server, api.server];
          const sweep = setInterval(() => servers.forEach((s) => s.closeIdleConnections()), 25);
          const force = setTimeout(() => servers.forEach((s) => s.closeAllConnections()), 10_000);
          await listenersClosed;
          clearInterval(sweep);
          clearTimeout(force);
          await Promise.all(Object.values(writers).map((w) => w.close()));
          await decodePool?.close();
          await live.close();
          // Unknown rows (a failed count) mean no mark: the next start repairs.
          const rows = indexComplete ? await spanRows(db).catch(() => undefined) : undefined;
          await db.close();
          if (rows !== undefined) markCleanShutdown(config.dataDir, VERSION, rows);
          logger.info('PyFlare stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** A comma-separated origins setting as a list, without blanks. */
function originList(setting: string): string[] {
  return setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
