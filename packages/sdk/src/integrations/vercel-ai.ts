import type { AttributeValue, Tracer } from '@opentelemetry/api';
import { currentContextValues } from '../context.ts';
import { currentSettings } from '../sdk.ts';

/**
 * The Vercel AI SDK records its own OpenTelemetry spans (`experimental_telemetry`), which the
 * PyFlare server reads (`ai.*` attributes). This helper builds that setting: telemetry on, the
 * SDK's tracer (so it works even when another provider is global), and the user, session and
 * tags in effect (`withUser` / `withSession` / `withTags`) as telemetry metadata.
 */

export interface VercelTelemetryOptions {
  /** Names the call (`ai.telemetry.functionId`, and the span names' suffix). */
  functionId?: string;
  /** More metadata (`ai.telemetry.metadata.<key>`). */
  metadata?: Record<string, string | number | boolean | string[]>;
  /** Record prompts and inputs (default: the SDK's captureContent). */
  recordInputs?: boolean;
  /** Record responses and outputs (default: the SDK's captureContent). */
  recordOutputs?: boolean;
}

/** The shape of the AI SDK's `experimental_telemetry` setting. */
export interface VercelTelemetrySettings {
  isEnabled: boolean;
  functionId?: string;
  metadata?: Record<string, AttributeValue>;
  recordInputs?: boolean;
  recordOutputs?: boolean;
  tracer?: Tracer;
}

/**
 * `experimental_telemetry` for the AI SDK's `generateText`, `streamText`, `generateObject`,
 * `embed`... with PyFlare's tracer and context.
 *
 * @example
 * ```ts
 * import { generateText } from 'ai';
 * import { openai } from '@ai-sdk/openai';
 * import { init, withUser } from '@pyflare/sdk';
 * import { vercelTelemetry } from '@pyflare/sdk/vercel-ai';
 *
 * init({ serviceName: 'web', captureContent: true });
 * const { text } = await withUser('u-42', () =>
 *   generateText({
 *     model: openai('gpt-4o-mini'),
 *     prompt: 'Write a haiku about tracing.',
 *     experimental_telemetry: vercelTelemetry({ functionId: 'haiku' }),
 *   }),
 * );
 * ```
 */
export function vercelTelemetry(options: VercelTelemetryOptions = {}): VercelTelemetrySettings {
  const { userId, sessionId, tags } = currentContextValues();
  const metadata: Record<string, AttributeValue> = {
    ...(userId ? { userId } : {}),
    ...(sessionId ? { sessionId } : {}),
    ...(tags && tags.length > 0 ? { tags } : {}),
    ...options.metadata,
  };
  const s = currentSettings();
  const settings: VercelTelemetrySettings = {
    isEnabled: true,
    tracer: s.tracer,
    metadata,
    recordInputs: options.recordInputs ?? s.captureContent,
    recordOutputs: options.recordOutputs ?? s.captureContent,
  };
  if (options.functionId) settings.functionId = options.functionId;
  return settings;
}
