/**
 * Readers for the JSON text columns (typed attributes, events, links, messages, ...). A
 * column that is empty or not what it should be reads as the fallback rather than failing
 * the whole request: the row's other columns are still worth showing.
 */
import type { z } from 'zod';

export function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object column (typed attributes), or `fallback` (the text-valued map). */
export function jsonObject(
  text: string,
  fallback: Record<string, unknown> = {},
): Record<string, unknown> {
  const value = parseJson(text);
  return isPlainObject(value) ? value : fallback;
}

/** A JSON column checked against `schema`, or null when empty or malformed. */
export function jsonOf<T>(text: string, schema: z.ZodType<T>): T | null {
  const value = parseJson(text);
  if (value === undefined) return null;
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}
