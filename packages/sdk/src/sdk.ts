import { hostname } from 'node:os';
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  AlwaysOnSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resolveConfig, type InitOptions, type ResolvedConfig } from './config.ts';
import { BoundedProcessor, CountingExporter, type QueueGauge } from './export.ts';
import { PooledIdGenerator } from './ids.ts';
import { internalError, setLogger, stats, warnOnce, type TelemetryStats } from './log.ts';
import type { Redactor } from './redact.ts';
import { GENERAL } from './semconv.ts';
import { LeanTracer } from './tracer.ts';
import { SDK_NAME, SDK_VERSION } from './version.ts';

/** What `init()` returns: the running SDK. */
export interface PyflareSdk {
  readonly config: ResolvedConfig;
  /**
   * The OpenTelemetry SDK tracer of the SDK's provider (pass it to libraries that take one).
   * PyFlare's own helpers record through a faster tracer of the same provider ({@link getTracer}).
   */
  readonly tracer: Tracer;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  stats(): TelemetryStats;
}

/** What the helpers and integrations read on every call. */
export interface Settings {
  tracer: Tracer;
  captureContent: boolean;
  redact: Redactor | undefined;
  maxContentLength: number;
  /** True when the SDK's provider applies user/session/tags itself (else the helpers do). */
  contextApplied: boolean;
}

interface State {
  sdk: PyflareSdk;
  provider: NodeTracerProvider | undefined;
  ownsGlobal: boolean;
  optionsKey: string;
}

let state: State | undefined;
let settings: Settings | undefined;
let exitHookInstalled = false;
/** Work that ends spans later (token counting of streams): flush() waits for it. */
const pendingWork = new Set<Promise<unknown>>();

/** Registers work that will end spans; `flush()` waits for it before exporting. */
export function trackPending(work: Promise<unknown>): void {
  pendingWork.add(work);
  const done = () => pendingWork.delete(work);
  work.then(done, done);
}

/** Settings for callers that run before (or without) `init()`: the global OTel tracer. */
function defaultSettings(): Settings {
  const config = resolveConfig({});
  return {
    tracer: trace.getTracer(SDK_NAME, SDK_VERSION),
    captureContent: config.captureContent,
    redact: undefined,
    maxContentLength: config.maxContentLength,
    contextApplied: false,
  };
}

/** The settings in effect. Cheap: read on every instrumented call. */
export function currentSettings(): Settings {
  return (settings ??= defaultSettings());
}

/** The tracer the SDK records with: its own provider's after `init()`, else the global one. */
export function getTracer(): Tracer {
  return currentSettings().tracer;
}

/** True once `init()` has set up the SDK's own export pipeline. */
export function isInitialized(): boolean {
  return state !== undefined && state.provider !== undefined;
}

/**
 * Sets up OpenTelemetry tracing to PyFlare: a Node tracer provider with a batch span processor
 * and the OTLP/HTTP protobuf exporter, registered globally (so the Vercel AI SDK and any other
 * OTel instrumentation export there too). Reads the `PYFLARE_*` and standard `OTEL_*`
 * variables (see {@link resolveConfig}). Safe to call twice: the second call returns the running
 * SDK. Never throws: a bad setting is logged and replaced by its default, and an export
 * failure later is logged and counted (`stats()`), never raised.
 *
 * @example
 * ```ts
 * import { init } from '@pyflare/sdk';
 *
 * const pyflare = init({
 *   endpoint: 'http://127.0.0.1:4318',
 *   apiKey: process.env.PYFLARE_API_KEY,
 *   serviceName: 'support-bot',
 *   environment: 'production',
 *   sampleRate: 0.25,
 *   captureContent: true,
 * });
 * process.on('SIGTERM', () => void pyflare.shutdown());
 * ```
 */
export function init(options: InitOptions & { exporter?: SpanExporter } = {}): PyflareSdk {
  try {
    return initUnsafe(options);
  } catch (error) {
    internalError('init', error);
    return noopSdk(resolveConfigSafe(options));
  }
}

function initUnsafe(options: InitOptions & { exporter?: SpanExporter }): PyflareSdk {
  const key = optionsKey(options);
  if (state) {
    if (state.optionsKey !== key) {
      warnOnce('init-twice', 'init() was called again with other options; keeping the first ones');
    }
    return state.sdk;
  }
  setLogger(options.logger);
  const config = resolveConfig(options);
  for (const w of config.warnings) warnOnce(`config:${w}`, w);

  if (config.disabled) {
    const sdk = noopSdk(config);
    state = { sdk, provider: undefined, ownsGlobal: false, optionsKey: key };
    settings = { ...defaultSettings(), captureContent: false };
    return sdk;
  }

  const resource = defaultResource().merge(
    resourceFromAttributes({
      [GENERAL.serviceName]: config.serviceName,
      ...(config.serviceVersion ? { [GENERAL.serviceVersion]: config.serviceVersion } : {}),
      ...(config.environment ? { [GENERAL.environment]: config.environment } : {}),
      'host.name': hostname(),
      'process.pid': process.pid,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
      'pyflare.sdk.name': SDK_NAME,
      'pyflare.sdk.version': SDK_VERSION,
      ...config.resourceAttributes,
    }),
  );

  const gauge: QueueGauge = { queued: 0 };
  const inner =
    options.exporter ??
    new OTLPTraceExporter({
      url: config.tracesUrl,
      headers: config.headers,
      timeoutMillis: config.exportTimeoutMillis,
    });
  const exporter = new CountingExporter(inner, config.tracesUrl, gauge);
  const batch = new BatchSpanProcessor(exporter, {
    // The bounded processor in front is the effective limit; this one never fills first.
    maxQueueSize: config.maxQueueSize * 2,
    maxExportBatchSize: Math.min(config.maxExportBatchSize, config.maxQueueSize),
    scheduledDelayMillis: config.scheduledDelayMillis,
    exportTimeoutMillis: config.exportTimeoutMillis,
  });
  // One processor in front of the batch processor (the provider calls each one per span start
  // and end): the context's user, session and tags at start, the bounded queue at end.
  const processors: SpanProcessor[] = [new BoundedProcessor(batch, gauge, config.maxQueueSize)];
  const root =
    config.sampleRate >= 1
      ? new AlwaysOnSampler()
      : new TraceIdRatioBasedSampler(config.sampleRate);
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root }),
    spanProcessors: processors,
    idGenerator: new PooledIdGenerator(),
  });

  let ownsGlobal = false;
  if (config.registerGlobal) ownsGlobal = registerGlobals(provider);

  const tracer = provider.getTracer(SDK_NAME, SDK_VERSION);
  // PyFlare's own spans (trace(), the integrations) go through the lean tracer: same provider
  // configuration and processors, less work per span (tracer.ts). The OTel tracer if this
  // OTel version has another shape.
  const own = LeanTracer.fromOtelTracer(tracer) ?? tracer;
  const sdk: PyflareSdk = {
    config,
    tracer,
    flush: () => flush(),
    shutdown: () => shutdown(),
    stats,
  };
  state = { sdk, provider, ownsGlobal, optionsKey: key };
  settings = {
    tracer: own,
    captureContent: config.captureContent,
    redact: options.redact,
    maxContentLength: config.maxContentLength,
    contextApplied: true,
  };
  installExitHook();
  return sdk;
}

/** Registers the provider, a context manager and a propagator, where none is set already. */
function registerGlobals(provider: NodeTracerProvider): boolean {
  // Without a context manager, spans would not nest across awaits: set one if none is.
  const manager = new AsyncLocalStorageContextManager();
  manager.enable();
  if (!context.setGlobalContextManager(manager)) manager.disable();
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const owns = trace.setGlobalTracerProvider(provider);
  if (!owns) {
    warnOnce(
      'global-provider',
      'another OpenTelemetry tracer provider is registered globally: PyFlare spans are exported ' +
        'by its own provider, and libraries that use the global one (Vercel AI SDK) need ' +
        '`tracer: pyflare.tracer`',
    );
  }
  return owns;
}

/**
 * Sends every finished span now. Resolves when done or after the export timeout; never rejects.
 *
 * @example
 * ```ts
 * await handler(event);
 * await flush(); // before a serverless function freezes
 * ```
 */
export async function flush(): Promise<void> {
  const provider = state?.provider;
  if (!provider) return;
  try {
    if (pendingWork.size > 0) {
      await withTimeout(Promise.allSettled([...pendingWork]), 10_000).catch(() => undefined);
    }
    await withTimeout(provider.forceFlush(), state!.sdk.config.exportTimeoutMillis + 1000);
  } catch (error) {
    warnOnce('flush', `flush did not complete: ${String(error)}`);
  }
}

/**
 * Flushes and stops the SDK. Later spans are not recorded until `init()` is called again.
 * Never rejects.
 *
 * @example
 * ```ts
 * process.on('SIGTERM', async () => {
 *   await shutdown();
 *   process.exit(0);
 * });
 * ```
 */
export async function shutdown(): Promise<void> {
  const current = state;
  if (!current) return;
  state = undefined;
  settings = undefined;
  if (current.ownsGlobal) {
    trace.disable();
  }
  if (!current.provider) return;
  try {
    if (pendingWork.size > 0) {
      await withTimeout(Promise.allSettled([...pendingWork]), 10_000).catch(() => undefined);
    }
    await withTimeout(current.provider.shutdown(), current.sdk.config.exportTimeoutMillis + 1000);
  } catch (error) {
    warnOnce('shutdown', `shutdown did not complete: ${String(error)}`);
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // When the event loop empties (a script's end), send what is left. Signals are the
  // application's to handle: it should call shutdown() from its own handlers.
  process.once('beforeExit', () => {
    void flush();
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function noopSdk(config: ResolvedConfig): PyflareSdk {
  return {
    config,
    tracer: trace.getTracer(SDK_NAME, SDK_VERSION),
    flush: () => Promise.resolve(),
    shutdown: () => shutdown(),
    stats,
  };
}

function resolveConfigSafe(options: InitOptions): ResolvedConfig {
  try {
    return resolveConfig(options);
  } catch {
    return resolveConfig({});
  }
}

function optionsKey(options: InitOptions & { exporter?: SpanExporter }): string {
  try {
    const { exporter, redact, logger, ...rest } = options;
    return JSON.stringify({
      ...rest,
      exporter: exporter !== undefined,
      redact: redact !== undefined,
      logger: logger !== undefined,
    });
  } catch {
    return String(Math.random());
  }
}
