import { randomUUID } from 'node:crypto';
import { SpanKind, context, type AttributeValue, type Attributes } from '@opentelemetry/api';
import { internalError } from './log.ts';
import { PYFLARE } from './semconv.ts';
import { startSpan } from './trace.ts';

/**
 * Classic ML monitoring: one span per prediction carrying the model, the features, the prediction
 * and optionally an embedding, and a later span carrying the ground-truth label of an earlier
 * inference, joined on `pyflare.inference_id`. These feed drift and performance monitoring.
 */

export type FeatureValue =
  string | number | boolean | null | undefined | readonly number[] | readonly string[];

export interface Prediction {
  /** The model's name (`pyflare.model.id`), e.g. 'fraud-detector'. */
  modelId: string;
  modelVersion?: string;
  /** A unique id of this inference, for `logLabel()` later. Generated when absent. */
  inferenceId?: string;
  /** Input features by name. Numbers, strings, booleans or arrays of them; nested values as JSON. */
  features?: Record<string, FeatureValue | Record<string, unknown>>;
  /** The model's output: a class, a number, or anything JSON can hold. */
  prediction?: unknown;
  /** A confidence or probability for the prediction (`pyflare.prediction.score`). */
  score?: number;
  /** An embedding of the input (or of the model's hidden state), for embedding drift. */
  embedding?: readonly number[] | Float32Array | Float64Array;
  /** The ground truth, when already known at prediction time. */
  label?: unknown;
  /** More attributes for the span. */
  attributes?: Attributes;
  /** When the prediction was made (default: now). */
  timestamp?: Date | number;
}

/**
 * Records one prediction of a classic ML model and returns its inference id (the given one or a
 * new UUID). The span is a child of the active span, if any. Never throws.
 *
 * @example
 * ```ts
 * const inferenceId = logPrediction({
 *   modelId: 'churn-classifier',
 *   modelVersion: '2024-06-01',
 *   features: { tenure_months: 14, plan: 'pro', monthly_spend: 42.5 },
 *   prediction: 'churn',
 *   score: 0.83,
 * });
 * // days later, when the truth is known:
 * logLabel(inferenceId, 'stayed', { modelId: 'churn-classifier' });
 * ```
 */
export function logPrediction(p: Prediction): string {
  const inferenceId =
    typeof p?.inferenceId === 'string' && p.inferenceId !== '' ? p.inferenceId : safeUuid();
  try {
    const modelId = typeof p.modelId === 'string' && p.modelId !== '' ? p.modelId : 'unknown';
    const attributes: Attributes = {
      [PYFLARE.spanKind]: 'ml.inference',
      [PYFLARE.event]: 'prediction',
      [PYFLARE.modelId]: modelId,
      [PYFLARE.inferenceId]: inferenceId,
    };
    if (p.modelVersion !== undefined) attributes[PYFLARE.modelVersion] = String(p.modelVersion);
    if (p.features) {
      for (const [name, value] of Object.entries(p.features)) {
        const v = featureValue(value);
        if (v !== undefined) attributes[PYFLARE.featuresPrefix + name] = v;
      }
    }
    const prediction = scalar(p.prediction);
    if (prediction !== undefined) attributes[PYFLARE.prediction] = prediction;
    if (typeof p.score === 'number' && Number.isFinite(p.score)) {
      attributes[PYFLARE.predictionScore] = p.score;
    }
    const label = scalar(p.label);
    if (label !== undefined) attributes[PYFLARE.label] = label;
    if (p.embedding && p.embedding.length > 0) {
      attributes[PYFLARE.embedding] = Array.from(p.embedding, (x) => (Number.isFinite(x) ? x : 0));
    }
    if (p.attributes) Object.assign(attributes, p.attributes);
    const startTime = p.timestamp ?? Date.now();
    const span = startSpan(
      `predict ${modelId}`,
      { kind: SpanKind.INTERNAL, attributes, startTime },
      context.active(),
    );
    span.end(startTime);
  } catch (error) {
    internalError('logPrediction', error);
  }
  return inferenceId;
}

/**
 * Records the ground truth of an earlier prediction, by its inference id. The label may arrive
 * any time later, from another process. Never throws.
 *
 * @example
 * ```ts
 * for (const row of await db.query('SELECT inference_id, outcome FROM chargebacks')) {
 *   logLabel(row.inference_id, row.outcome === 'fraud' ? 'fraud' : 'legit', { modelId: 'fraud' });
 * }
 * ```
 */
export function logLabel(
  inferenceId: string,
  label: unknown,
  options: { modelId?: string; attributes?: Attributes; timestamp?: Date | number } = {},
): void {
  try {
    if (typeof inferenceId !== 'string' || inferenceId === '') {
      internalError('logLabel', new Error('logLabel needs the inference id of the prediction'));
      return;
    }
    const value = scalar(label);
    const attributes: Attributes = {
      [PYFLARE.event]: 'label',
      [PYFLARE.inferenceId]: inferenceId,
      ...(value !== undefined ? { [PYFLARE.label]: value } : {}),
      ...(options.modelId ? { [PYFLARE.modelId]: options.modelId } : {}),
      ...options.attributes,
    };
    const startTime = options.timestamp ?? Date.now();
    const span = startSpan(
      options.modelId ? `label ${options.modelId}` : 'label',
      { kind: SpanKind.INTERNAL, attributes, startTime },
      context.active(),
    );
    span.end(startTime);
  } catch (error) {
    internalError('logLabel', error);
  }
}

/** A prediction or label as an attribute value: scalars as they are, anything else as JSON. */
function scalar(v: unknown): AttributeValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function featureValue(v: unknown): AttributeValue | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) return v as number[];
    if (v.every((x) => typeof x === 'string')) return v as string[];
  }
  return scalar(v);
}

function safeUuid(): string {
  try {
    return randomUUID();
  } catch {
    return `inf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  }
}
