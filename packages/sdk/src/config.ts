import type { Redactor } from './redact.ts';

/** What `init()` accepts. Every field is optional; see {@link resolveConfig} for the sources. */
export interface InitOptions {
  /**
   * Base URL of PyFlare's OTLP/HTTP receiver (`/v1/traces` is appended), or the full traces URL
   * when it already ends in `/v1/traces`. Default `http://127.0.0.1:4318` (`npm start`).
   */
  endpoint?: string;
  /** An ingest API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** `service.name` of every span. */
  serviceName?: string;
  serviceVersion?: string;
  /** `deployment.environment.name` (production, staging, dev...). */
  environment?: string;
  /** Share of traces kept, 0..1 (head sampling by trace id; children follow their parent). */
  sampleRate?: number;
  /** Record prompts, completions, tool arguments and results. Off unless asked for. */
  captureContent?: boolean;
  /** Rewrites (or drops, by returning undefined) every content string before it is recorded. */
  redact?: Redactor;
  /** Extra export headers. */
  headers?: Record<string, string>;
  /** Extra resource attributes. */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Longest one export request may take, ms. Default 10000. */
  exportTimeoutMillis?: number;
  /** Longest a span waits for its batch, ms. Default 1000. */
  scheduledDelayMillis?: number;
  /** Spans held in memory waiting for export; beyond, new spans are dropped and counted. */
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  /** Register as the global tracer provider and context manager (default true). */
  registerGlobal?: boolean;
  /** Longest content string recorded, in characters (longer ones are cut). Default 32768. */
  maxContentLength?: number;
  /** Where the SDK's own warnings go. Default: console.warn, at most one line per kind per minute. */
  logger?: (message: string) => void;
  /** Turn the SDK into a no-op (also `PYFLARE_DISABLED=true` / `OTEL_SDK_DISABLED=true`). */
  disabled?: boolean;
}

/** The settings `init()` runs with, after options, environment and defaults are merged. */
export interface ResolvedConfig {
  disabled: boolean;
  tracesUrl: string;
  headers: Record<string, string>;
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string | undefined;
  resourceAttributes: Record<string, string | number | boolean>;
  sampleRate: number;
  captureContent: boolean;
  exportTimeoutMillis: number;
  scheduledDelayMillis: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
  registerGlobal: boolean;
  maxContentLength: number;
  /** Problems found while reading the settings (each was replaced by its default). */
  warnings: string[];
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';
export const DEFAULT_MAX_CONTENT_LENGTH = 32_768;

type Env = Record<string, string | undefined>;

/**
 * Merges, in order of precedence: `options`, then `PYFLARE_*` variables, then the standard
 * `OTEL_*` ones, then defaults. Never throws: an invalid value is reported in `warnings` and
 * replaced by its default.
 *
 * | setting | PYFLARE_* | OTEL_* |
 * | --- | --- | --- |
 * | endpoint | PYFLARE_ENDPOINT | OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (full URL), OTEL_EXPORTER_OTLP_ENDPOINT (base) |
 * | apiKey | PYFLARE_API_KEY | OTEL_EXPORTER_OTLP_TRACES_HEADERS, OTEL_EXPORTER_OTLP_HEADERS |
 * | serviceName | PYFLARE_SERVICE_NAME | OTEL_SERVICE_NAME, `service.name` in OTEL_RESOURCE_ATTRIBUTES |
 * | environment | PYFLARE_ENVIRONMENT | `deployment.environment.name` in OTEL_RESOURCE_ATTRIBUTES |
 * | sampleRate | PYFLARE_SAMPLE_RATE | OTEL_TRACES_SAMPLER (+ _ARG): always_on, always_off, traceidratio, parentbased_* |
 * | captureContent | PYFLARE_CAPTURE_CONTENT | OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT |
 * | disabled | PYFLARE_DISABLED | OTEL_SDK_DISABLED |
 * | exportTimeoutMillis | | OTEL_EXPORTER_OTLP_TRACES_TIMEOUT, OTEL_EXPORTER_OTLP_TIMEOUT, OTEL_BSP_EXPORT_TIMEOUT |
 * | scheduledDelayMillis, maxQueueSize, maxExportBatchSize | | OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE |
 */
export function resolveConfig(options: InitOptions = {}, env: Env = process.env): ResolvedConfig {
  const warnings: string[] = [];
  const otelResource = parseKeyValues(
    env.OTEL_RESOURCE_ATTRIBUTES,
    'OTEL_RESOURCE_ATTRIBUTES',
    warnings,
  );
  const headers: Record<string, string> = {
    ...parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS', warnings),
    ...parseKeyValues(
      env.OTEL_EXPORTER_OTLP_TRACES_HEADERS,
      'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
      warnings,
    ),
    ...options.headers,
  };
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.PYFLARE_API_KEY);
  if (apiKey !== undefined) {
    for (const k of Object.keys(headers))
      if (k.toLowerCase() === 'authorization') delete headers[k];
    headers.authorization = `Bearer ${apiKey}`;
  }

  const resourceAttributes: Record<string, string | number | boolean> = { ...otelResource };
  delete resourceAttributes['service.name'];
  Object.assign(resourceAttributes, options.resourceAttributes);

  return {
    disabled:
      options.disabled ??
      bool(env.PYFLARE_DISABLED, 'PYFLARE_DISABLED', warnings) ??
      bool(env.OTEL_SDK_DISABLED, 'OTEL_SDK_DISABLED', warnings) ??
      false,
    tracesUrl: tracesUrl(options.endpoint, env, warnings),
    headers,
    serviceName:
      nonEmpty(options.serviceName) ??
      nonEmpty(env.PYFLARE_SERVICE_NAME) ??
      nonEmpty(env.OTEL_SERVICE_NAME) ??
      nonEmpty(otelResource['service.name']) ??
      defaultServiceName(),
    serviceVersion: nonEmpty(options.serviceVersion) ?? nonEmpty(otelResource['service.version']),
    environment:
      nonEmpty(options.environment) ??
      nonEmpty(env.PYFLARE_ENVIRONMENT) ??
      nonEmpty(otelResource['deployment.environment.name']) ??
      nonEmpty(otelResource['deployment.environment']),
    resourceAttributes,
    sampleRate: sampleRate(options.sampleRate, env, warnings),
    captureContent:
      options.captureContent ??
      bool(env.PYFLARE_CAPTURE_CONTENT, 'PYFLARE_CAPTURE_CONTENT', warnings) ??
      bool(
        env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
        'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
        warnings,
      ) ??
      false,
    exportTimeoutMillis: positive(
      'exportTimeoutMillis',
      options.exportTimeoutMillis,
      [
        ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT],
        ['OTEL_EXPORTER_OTLP_TIMEOUT', env.OTEL_EXPORTER_OTLP_TIMEOUT],
        ['OTEL_BSP_EXPORT_TIMEOUT', env.OTEL_BSP_EXPORT_TIMEOUT],
      ],
      10_000,
      warnings,
    ),
    scheduledDelayMillis: positive(
      'scheduledDelayMillis',
      options.scheduledDelayMillis,
      [['OTEL_BSP_SCHEDULE_DELAY', env.OTEL_BSP_SCHEDULE_DELAY]],
      1000,
      warnings,
    ),
    maxQueueSize: positive(
      'maxQueueSize',
      options.maxQueueSize,
      [['OTEL_BSP_MAX_QUEUE_SIZE', env.OTEL_BSP_MAX_QUEUE_SIZE]],
      8192,
      warnings,
    ),
    maxExportBatchSize: positive(
      'maxExportBatchSize',
      options.maxExportBatchSize,
      [['OTEL_BSP_MAX_EXPORT_BATCH_SIZE', env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE]],
      512,
      warnings,
    ),
    registerGlobal: options.registerGlobal ?? true,
    maxContentLength: positive(
      'maxContentLength',
      options.maxContentLength,
      [],
      DEFAULT_MAX_CONTENT_LENGTH,
      warnings,
    ),
    warnings,
  };
}

function tracesUrl(option: string | undefined, env: Env, warnings: string[]): string {
  const candidates: [string, string | undefined, boolean][] = [
    ['endpoint', option, false],
    ['PYFLARE_ENDPOINT', env.PYFLARE_ENDPOINT, false],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, true],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT, false],
  ];
  for (const [name, raw, full] of candidates) {
    const value = nonEmpty(raw);
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      warnings.push(`${name}: '${value}' is not a URL; ignored`);
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      warnings.push(`${name}: '${value}' must be http:// or https://; ignored`);
      continue;
    }
    // The OTel spec: the signal-specific variable is used as is, the base one gets /v1/traces.
    if (full || url.pathname.endsWith('/v1/traces')) return url.href;
    return url.href.replace(/\/+$/, '') + '/v1/traces';
  }
  return `${DEFAULT_ENDPOINT}/v1/traces`;
}

function sampleRate(option: number | undefined, env: Env, warnings: string[]): number {
  if (option !== undefined) {
    if (typeof option === 'number' && option >= 0 && option <= 1) return option;
    warnings.push(`sampleRate must be a number from 0 to 1, got ${String(option)}; using 1`);
    return 1;
  }
  const fromEnv = nonEmpty(env.PYFLARE_SAMPLE_RATE);
  if (fromEnv !== undefined) {
    const n = Number(fromEnv);
    if (n >= 0 && n <= 1) return n;
    warnings.push(`PYFLARE_SAMPLE_RATE must be from 0 to 1, got '${fromEnv}'; using 1`);
  }
  const sampler = nonEmpty(env.OTEL_TRACES_SAMPLER)?.toLowerCase();
  if (sampler === 'always_off' || sampler === 'parentbased_always_off') return 0;
  if (sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') {
    const arg = nonEmpty(env.OTEL_TRACES_SAMPLER_ARG);
    const n = arg === undefined ? 1 : Number(arg);
    if (n >= 0 && n <= 1) return n;
    warnings.push(`OTEL_TRACES_SAMPLER_ARG must be from 0 to 1, got '${arg}'; using 1`);
  }
  return 1;
}

function positive(
  name: string,
  option: number | undefined,
  vars: [string, string | undefined][],
  fallback: number,
  warnings: string[],
): number {
  if (option !== undefined) {
    if (Number.isFinite(option) && option > 0) return Math.floor(option);
    warnings.push(`${name} must be a positive number, got ${String(option)}; using ${fallback}`);
    return fallback;
  }
  for (const [varName, raw] of vars) {
    const value = nonEmpty(raw);
    if (value === undefined) continue;
    const n = Number(value);
    if (Number.isFinite(n) && n > 0) return Math.floor(n);
    warnings.push(`${varName} must be a positive number, got '${value}'; ignored`);
  }
  return fallback;
}

function bool(raw: string | undefined, name: string, warnings: string[]): boolean | undefined {
  const value = nonEmpty(raw)?.toLowerCase();
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  warnings.push(`${name} must be true or false, got '${raw}'; ignored`);
  return undefined;
}

/** `k1=v1,k2=v2` with percent-encoded values (the OTel format for headers and resources). */
export function parseKeyValues(
  raw: string | undefined,
  name: string,
  warnings: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const value = nonEmpty(raw);
  if (value === undefined) return out;
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      warnings.push(`${name}: '${pair.trim()}' is not key=value; ignored`);
      continue;
    }
    const key = pair.slice(0, eq).trim();
    try {
      out[key] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      out[key] = pair.slice(eq + 1).trim();
    }
  }
  return out;
}

function nonEmpty(v: string | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function defaultServiceName(): string {
  const entry = process.argv[1];
  if (entry === undefined) return 'unknown_service:node';
  const base = entry.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/\.(m|c)?[jt]s$/, '');
  return name === '' ? 'unknown_service:node' : `unknown_service:${name}`;
}
