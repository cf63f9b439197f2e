import { clip } from './limits.ts';

/**
 * Collects the reasons for rejected items: counts them all and keeps up to
 * `MAX_EXAMPLES` examples with distinct reasons, for the OTLP partial_success message.
 */

export const MAX_EXAMPLES = 5;

export interface Rejections {
  /** Records one rejected item; `where` locates it, e.g. "span 3 of scope 'x'". */
  add(where: string, reason: string): void;
  readonly count: number;
  readonly examples: string[];
}

export function createRejections(): Rejections {
  const reasons = new Set<string>();
  const examples: string[] = [];
  let count = 0;
  return {
    add(where, reason) {
      count++;
      if (examples.length < MAX_EXAMPLES && !reasons.has(reason)) {
        reasons.add(reason);
        examples.push(`${where}: ${reason}`);
      }
    },
    get count() {
      return count;
    },
    examples,
  };
}

/** A scope name quoted for a message, cut so a hostile name cannot bloat the response. */
export function quoteScope(name: string): string {
  return `'${clip(name, 64)}'`;
}
