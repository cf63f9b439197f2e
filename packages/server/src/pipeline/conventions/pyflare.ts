import type { AnyValue, Attributes } from '@pyflare/otlp';
import { OPERATIONS, type Operation } from '../../storage/rows.ts';
import { toPlain, type JsonValue } from '../attributes.ts';
import { MAX_KEY_CHARS, clip } from '../limits.ts';
import { Bucket, PREFIX, type SpanView } from './keys.ts';
import { isRecord, parseJson, tagList, text } from './values.ts';

/**
 * PyFlare's own attributes (`pyflare.*`), written by @pyflare/sdk and the Python SDK for
 * what the GenAI conventions do not cover: classic ML inference and training.
 */

const KNOWN: ReadonlySet<string> = new Set(OPERATIONS);

/** `pyflare.span.kind`: one of the canonical operations, verbatim. */
export function operation(a: Attributes): Operation | undefined {
  const kind = a['pyflare.span.kind'];
  return typeof kind === 'string' && KNOWN.has(kind) ? (kind as Operation) : undefined;
}

export function modelId(a: Attributes): string | undefined {
  return text(a['pyflare.model.id']);
}

/** `pyflare.tags`: an array of strings or a comma-separated string. */
export function tags(a: Attributes): string[] | undefined {
  return tagList(a['pyflare.tags']);
}

export function inferenceId(a: Attributes): string | undefined {
  return text(a['pyflare.inference_id']);
}

export function prediction(a: Attributes): string | undefined {
  return text(a['pyflare.prediction']);
}

export function label(a: Attributes): string | undefined {
  return text(a['pyflare.label']);
}

/**
 * `pyflare.features.<name>` attributes as one JSON object (name → typed value), or a whole
 * `pyflare.features` kvlist / JSON object when sent that way.
 */
export function features(view: SpanView): string | undefined {
  const keys = view.buckets[Bucket.features];
  if (keys) {
    const out = Object.create(null) as { [name: string]: JsonValue };
    for (const key of keys) {
      const name = clip(key.slice(PREFIX.features.length), MAX_KEY_CHARS);
      if (name !== '') out[name] = toPlain(view.attrs[key] as AnyValue);
    }
    return JSON.stringify(out);
  }
  const whole = view.attrs['pyflare.features'];
  const parsed = typeof whole === 'string' ? parseJson(whole) : whole;
  // re-serialized, so that strings inside are cut and well formed like everywhere else
  return isRecord(parsed) ? JSON.stringify(toPlain(parsed as AnyValue)) : undefined;
}

export function embedding(a: Attributes): AnyValue | undefined {
  return a['pyflare.embedding'];
}
