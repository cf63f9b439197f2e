import type { Attributes } from '@pyflare/otlp';
import { text } from './values.ts';

/** General OTel semantic conventions (not GenAI-specific) that the canonical model reads. */

/** `user.id`, then the older `enduser.id`. */
export function userId(a: Attributes): string | undefined {
  return text(a['user.id']) ?? text(a['enduser.id']);
}

/** `session.id` (also OpenInference's session attribute). */
export function sessionId(a: Attributes): string | undefined {
  return text(a['session.id']);
}
