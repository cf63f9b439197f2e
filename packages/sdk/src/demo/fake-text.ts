import { createHash } from 'node:crypto';

/**
 * Deterministic stand-ins for a model: answers composed from the prompt's own words, token
 * counts, tool arguments that satisfy a JSON schema, and embeddings in which texts that share
 * words are close (so retrieval over them behaves like retrieval).
 */

/** A 32-bit hash of `s` (FNV-1a). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 24);
}

/** A small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tokens the way the fake provider counts them: words and punctuation marks. */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}_'-]+|[^\s\p{L}\p{N}]/gu) ?? [];
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

const STOP = new Set(
  'the a an and or of to in on for with is are was were be this that what how why who when which can you your please me my i it its do does about from at by as into tell give show'.split(
    ' ',
  ),
);

/** The prompt's most telling words, in order of appearance. */
export function keywords(text: string, n = 4): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of text.match(/[\p{L}\p{N}][\p{L}\p{N}_-]{2,}/gu) ?? []) {
    const lower = w.toLowerCase();
    if (STOP.has(lower) || seen.has(lower)) continue;
    seen.add(lower);
    out.push(w);
    if (out.length >= n) break;
  }
  return out;
}

const OPENERS = [
  'Here is a short answer.',
  'Good question.',
  'Based on what you shared,',
  'In short:',
  'Sure.',
  'Let me summarize.',
];
const BODIES = [
  'The key point about {k0} is that it depends on {k1} more than on anything else.',
  '{K0} works best when {k1} is kept simple and measured over time.',
  'Most teams handle {k0} by starting small, checking {k1}, and iterating.',
  'For {k0}, the usual trade-off is between speed and {k1}.',
  'When {k0} and {k1} interact, look at the data before changing the setup.',
  'A common mistake with {k0} is ignoring {k1} until it becomes a problem.',
];
const CLOSERS = [
  'Let me know if you want more detail.',
  'I hope this helps.',
  'Happy to go deeper on any part of it.',
  'That should be enough to get started.',
];

/** A plausible answer to `prompt`, the same every time for the same prompt. */
export function fakeAnswer(prompt: string, toolResults: string[] = []): string {
  const r = rng(hash32(prompt));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const k = keywords(prompt);
  const k0 = k[0] ?? 'this';
  const k1 = k[1] ?? 'the context';
  const fill = (t: string) =>
    t
      .replaceAll('{k0}', k0)
      .replaceAll('{K0}', k0.charAt(0).toUpperCase() + k0.slice(1))
      .replaceAll('{k1}', k1);
  const parts: string[] = [];
  if (toolResults.length > 0) {
    parts.push(
      `According to the tool results (${toolResults.map((t) => t.slice(0, 80)).join('; ')}),`,
    );
    parts.push(fill(pick(BODIES)));
  } else {
    parts.push(pick(OPENERS), fill(pick(BODIES)));
    if (r() < 0.6) parts.push(fill(pick(BODIES)));
  }
  parts.push(pick(CLOSERS));
  return parts.join(' ');
}

/** The answer cut to `maxTokens` tokens (and whether it was cut). */
export function limitTokens(
  text: string,
  maxTokens: number | undefined,
): { text: string; cut: boolean } {
  if (maxTokens === undefined || maxTokens <= 0) return { text, cut: false };
  const pieces = chunksOf(text);
  if (countTokens(text) <= maxTokens) return { text, cut: false };
  let out = '';
  let n = 0;
  for (const p of pieces) {
    const t = countTokens(p);
    if (n + t > maxTokens) break;
    out += p;
    n += t;
  }
  return { text: out, cut: true };
}

/** Stream pieces: each word with its leading space, as providers stream. */
export function chunksOf(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  default?: unknown;
}

/**
 * Arguments for a tool, from its JSON schema, using the prompt's words for strings and its
 * identifiers (words with a digit: `E-5232`, `A17`) for parameters named like ids.
 */
export function toolArguments(schema: unknown, prompt: string): Record<string, unknown> {
  const s = (schema ?? {}) as JsonSchema;
  const words = [...capitalized(prompt), ...keywords(prompt, 8)];
  const ids = identifiers(prompt);
  const out: Record<string, unknown> = {};
  let i = 0;
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    out[name] = valueFor(name, prop, words, ids, i++);
  }
  return out;
}

function valueFor(
  name: string,
  prop: JsonSchema,
  words: string[],
  ids: string[],
  i: number,
): unknown {
  if (prop.default !== undefined) return prop.default;
  if (Array.isArray(prop.enum) && prop.enum.length > 0) return prop.enum[0];
  const type = Array.isArray(prop.type) ? prop.type[0] : prop.type;
  switch (type) {
    case 'number':
    case 'integer':
      return /limit|count|top|k$/i.test(name) ? 3 : 1 + (i % 5);
    case 'boolean':
      return true;
    case 'array':
      return [valueFor(name, prop.items ?? { type: 'string' }, words, ids, i)];
    case 'object':
      return toolArguments(prop, words.join(' '));
    default:
      if (ids.length > 0 && /(^|_)id$|[a-z]Id$/.test(name)) return ids[0];
      return words[i % Math.max(1, words.length)] ?? name;
  }
}

/** Words holding a digit (order numbers, ticket ids), in order of appearance. */
export function identifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}#][\p{L}\p{N}_-]*\d[\p{L}\p{N}_-]*/gu)) {
    const w = m[0].replace(/[-_]+$/, '');
    if (w.length >= 2 && !out.includes(w)) out.push(w);
  }
  return out;
}

/** Capitalized words not at a sentence start: names of places, people, products. */
function capitalized(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<=[^.!?]\s)([A-Z][\p{L}-]{2,})/gu)) {
    if (!out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

/**
 * An embedding of `text` in `dims` dimensions: the normalized sum of one pseudo-random vector per
 * word, so texts sharing words have a high cosine similarity.
 */
export function embed(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  const words = tokenize(text.toLowerCase()).filter((w) => !STOP.has(w) && /\p{L}/u.test(w));
  for (const w of words.length > 0 ? words : ['<empty>']) {
    const r = rng(hash32(w));
    for (let i = 0; i < dims; i++) v[i]! += r() * 2 - 1;
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

/** Little-endian float32 bytes, base64: the `encoding_format: 'base64'` form of OpenAI. */
export function embeddingBase64(v: readonly number[]): string {
  return Buffer.from(new Float32Array(v).buffer).toString('base64');
}
