/**
 * @pyflare/sdk — OpenTelemetry setup, tracing helpers and ML logging for PyFlare.
 * Integrations: `@pyflare/sdk/openai`, `/anthropic`, `/langchain`, `/vercel-ai`.
 */
export { init, flush, shutdown, getTracer, isInitialized } from './sdk.ts';
export type { PyflareSdk } from './sdk.ts';
export { resolveConfig } from './config.ts';
export type { InitOptions, ResolvedConfig } from './config.ts';
export { trace } from './trace.ts';
export type { TraceOptions, SpanKindName } from './trace.ts';
export { traced } from './traced.ts';
export { withUser, withSession, withTags, currentContextValues } from './context.ts';
export { logPrediction, logLabel } from './ml.ts';
export type { Prediction, FeatureValue } from './ml.ts';
export { redactPii, chainRedactors } from './redact.ts';
export type { Redactor, RedactionContext } from './redact.ts';
export { stats } from './log.ts';
export type { TelemetryStats } from './log.ts';
export { GEN_AI, PYFLARE, GENERAL } from './semconv.ts';
export { SDK_NAME, SDK_VERSION } from './version.ts';
