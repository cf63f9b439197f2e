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

/**
 * An attribute map with its types: the text-valued map column, with the values that are not
 * strings taken from the typed JSON column (which holds only those; rows written before
 * that change hold every value there, which reads the same). Key order is the map's.
 */
export function typedAttributes(
  map: Record<string, string>,
  typedText: string,
): Record<string, unknown> {
  const typed = parseJson(typedText);
  if (!isPlainObject(typed)) return map;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(map)) out[key] = Object.hasOwn(typed, key) ? typed[key] : map[key];
  // A typed key missing from the map (not written by this server, but harmless): keep it.
  for (const key of Object.keys(typed)) if (!Object.hasOwn(out, key)) out[key] = typed[key];
  return out;
}

/** A JSON column checked against `schema`, or null when empty or malformed. */
export function jsonOf<T>(text: string, schema: z.ZodType<T>): T | null {
  const value = parseJson(text);
  if (value === undefined) return null;
  const result = schema.safeParse(value);
  return result.success ? result.data : null;
}
