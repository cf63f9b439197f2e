import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { PyflareError } from '../errors.ts';

const MiB = 1024 * 1024;

/** One decode worker per core beyond the first (the engine and the event loop need one), 1–4. */
export function defaultIngestWorkers(): number {
  return Math.min(4, Math.max(1, availableParallelism() - 1));
}

/**
 * Every setting, with its default. Sources, later wins: defaults < pyflare.yaml <
 * environment (PYFLARE_*) < command-line flags. Parsed once at start-up; a bad value
 * fails fast with a message naming the variable.
 */
export const configSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    otlpHttpPort: z.coerce.number().int().min(0).max(65535).default(4318),
    otlpGrpcPort: z.coerce.number().int().min(0).max(65535).default(4317),
    dataDir: z.string().min(1).default('./pyflare-data'),
    /** Seeds the admin key on first start instead of generating one. */
    apiKey: z.string().min(16).optional(),
    auth: z.enum(['enabled', 'disabled']).default('enabled'),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Largest accepted request body, compressed as sent. */
    maxBodyBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .default(16 * MiB),
    /** Largest body after gzip decompression (guards against gzip bombs). */
    maxDecompressedBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .default(64 * MiB),
    /** Flush a batch when it holds this many rows... */
    batchMaxRows: z.coerce.number().int().min(1).default(50_000),
    /** ...or when its oldest row has waited this long. */
    batchMaxDelayMs: z.coerce.number().int().min(0).default(200),
    /**
     * Worker threads that decode OTLP trace requests (0: on the event loop). Default:
     * one per core beyond the first, at most four; at least one.
     */
    ingestWorkers: z.coerce
      .number()
      .int()
      .min(0)
      .max(64)
      .default(() => defaultIngestWorkers()),
    /** Bound on rows accepted but not yet durable; beyond it ingest answers 429. */
    queueMaxRows: z.coerce.number().int().min(1).default(500_000),
    /** Bound on serialized bytes accepted but not yet durable. */
    queueMaxBytes: z.coerce
      .number()
      .int()
      .min(MiB)
      .default(512 * MiB),
    /** Default retention for new projects, in days. */
    retentionDays: z.coerce.number().int().min(1).max(3650).default(30),
    /** Requests per minute per client on the API (0 disables the limit). */
    rateLimitPerMinute: z.coerce.number().int().min(0).default(1200),
    /** Allowed CORS origins, comma-separated; empty allows none. */
    corsOrigins: z.string().default(''),
    /** Origins allowed by CORS on the OTLP/HTTP receiver, comma-separated; `*`: any; empty: none. */
    otlpCorsOrigins: z.string().default(''),
    /** Password of the admin user created at first start (else one is generated). */
    adminPassword: z.string().min(12, 'at least 12 characters').max(1024).optional(),
    /** How long a browser session lasts without use (sliding), in seconds. */
    sessionTtlSeconds: z.coerce
      .number()
      .int()
      .min(1)
      .max(365 * 86_400)
      .default(7 * 86_400),
    /** Directory of the built web UI (index.html and assets); default packages/ui/dist. */
    uiDir: z.string().min(1).optional(),
    /** Behind a reverse proxy: take the client address and protocol from X-Forwarded-*. */
    trustProxy: z.union([z.boolean(), z.stringbool()]).default(false),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Environment variable for each setting. */
export const ENV_VARS: Record<keyof Config, string> = {
  host: 'PYFLARE_HOST',
  port: 'PYFLARE_PORT',
  otlpHttpPort: 'PYFLARE_OTLP_HTTP_PORT',
  otlpGrpcPort: 'PYFLARE_OTLP_GRPC_PORT',
  dataDir: 'PYFLARE_DATA_DIR',
  apiKey: 'PYFLARE_API_KEY',
  auth: 'PYFLARE_AUTH',
  logLevel: 'PYFLARE_LOG_LEVEL',
  maxBodyBytes: 'PYFLARE_MAX_BODY_BYTES',
  maxDecompressedBytes: 'PYFLARE_MAX_DECOMPRESSED_BYTES',
  batchMaxRows: 'PYFLARE_BATCH_MAX_ROWS',
  batchMaxDelayMs: 'PYFLARE_BATCH_MAX_DELAY_MS',
  ingestWorkers: 'PYFLARE_INGEST_WORKERS',
  queueMaxRows: 'PYFLARE_QUEUE_MAX_ROWS',
  queueMaxBytes: 'PYFLARE_QUEUE_MAX_BYTES',
  retentionDays: 'PYFLARE_RETENTION_DAYS',
  rateLimitPerMinute: 'PYFLARE_RATE_LIMIT_PER_MINUTE',
  corsOrigins: 'PYFLARE_CORS_ORIGINS',
  otlpCorsOrigins: 'PYFLARE_OTLP_CORS_ORIGINS',
  adminPassword: 'PYFLARE_ADMIN_PASSWORD',
  sessionTtlSeconds: 'PYFLARE_SESSION_TTL_SECONDS',
  uiDir: 'PYFLARE_UI_DIR',
  trustProxy: 'PYFLARE_TRUST_PROXY',
};

/** Descriptions for the README's configuration table and the CLI help. */
export const CONFIG_HELP: Record<keyof Config, string> = {
  host: 'Address to bind every listener to. Auth disabled requires loopback.',
  port: 'API and UI port.',
  otlpHttpPort: 'OTLP/HTTP port.',
  otlpGrpcPort: 'OTLP/gRPC port.',
  dataDir: 'Directory of the embedded chDB storage.',
  apiKey: 'On first start, seed this admin key instead of generating one.',
  auth: '`enabled` or `disabled` (local-only mode: every caller is admin, loopback only).',
  logLevel: 'pino log level.',
  maxBodyBytes: 'Largest request body accepted, as sent (compressed). Larger: 413.',
  maxDecompressedBytes: 'Largest body after gzip decompression. Larger: 413.',
  batchMaxRows: 'Rows per storage batch.',
  batchMaxDelayMs: 'Longest a row waits for its batch to fill, in ms.',
  ingestWorkers:
    'Threads decoding OTLP trace requests (64 KiB and larger) off the event loop; 0: on it.',
  queueMaxRows: 'Rows accepted but not yet durable; beyond this ingest answers 429.',
  queueMaxBytes: 'Bytes accepted but not yet durable; beyond this ingest answers 429.',
  retentionDays: 'Default retention (TTL) for new projects, in days.',
  rateLimitPerMinute: 'API requests per minute per client; 0 disables.',
  corsOrigins: 'Comma-separated origins allowed by CORS on the API (and WebSocket).',
  otlpCorsOrigins:
    'Comma-separated origins allowed by CORS on OTLP/HTTP (browser exporters); `*` allows any.',
  adminPassword:
    'On first start, the password of the admin user admin@localhost (else one is generated and printed once).',
  sessionTtlSeconds: 'Lifetime of a browser session since its last use, in seconds (7 days).',
  uiDir: 'Directory of the built web UI served at / (default packages/ui/dist).',
  trustProxy:
    '`true` behind a reverse proxy: client address (login rate limit) and https (Secure cookies) from X-Forwarded-For / -Proto.',
};

const yamlKeys: Record<string, keyof Config> = Object.fromEntries(
  (Object.keys(ENV_VARS) as (keyof Config)[]).flatMap((k) => [
    [k, k],
    [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), k],
  ]),
);

function readYaml(path: string): Partial<Record<keyof Config, unknown>> {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new PyflareError('INVALID_CONFIG', `cannot read ${path}: ${(cause as Error).message}`);
  }
  if (doc == null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new PyflareError('INVALID_CONFIG', `${path}: expected a mapping of settings`);
  }
  const out: Partial<Record<keyof Config, unknown>> = {};
  for (const [key, value] of Object.entries(doc)) {
    const name = yamlKeys[key];
    if (!name) throw new PyflareError('INVALID_CONFIG', `${path}: unknown setting '${key}'`);
    out[name] = value;
  }
  return out;
}

export interface LoadConfigOptions {
  /** Values from command-line flags (undefined entries are ignored). */
  flags?: Partial<Record<keyof Config, unknown>>;
  env?: NodeJS.ProcessEnv;
  /** Path of a YAML file; default ./pyflare.yaml when it exists. */
  configFile?: string;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicitFile = options.configFile ?? env.PYFLARE_CONFIG;
  const file = explicitFile ? resolve(cwd, explicitFile) : resolve(cwd, 'pyflare.yaml');
  if (explicitFile && !existsSync(file)) {
    throw new PyflareError('INVALID_CONFIG', `config file not found: ${file}`);
  }
  const merged: Record<string, unknown> = existsSync(file) ? readYaml(file) : {};
  for (const [key, variable] of Object.entries(ENV_VARS)) {
    const value = env[variable];
    if (value !== undefined && value !== '') merged[key] = value;
  }
  for (const [key, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path[0] as keyof Config | undefined;
    const where = key && key in ENV_VARS ? `${ENV_VARS[key]} (${key})` : String(key ?? 'config');
    throw new PyflareError('INVALID_CONFIG', `invalid ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  config.dataDir = resolve(cwd, config.dataDir);
  if (config.uiDir !== undefined) config.uiDir = resolve(cwd, config.uiDir);
  if (config.auth === 'disabled' && !isLoopback(config.host)) {
    throw new PyflareError(
      'INVALID_CONFIG',
      `PYFLARE_AUTH=disabled only binds to loopback; refusing host '${config.host}'`,
    );
  }
  return config;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
