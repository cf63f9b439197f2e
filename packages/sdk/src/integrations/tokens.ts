import { internalError } from '../log.ts';

/**
 * Token counting for streams whose provider sent no usage (OpenAI without
 * `stream_options.include_usage`): the real BPE encodings through js-tiktoken, loaded on first
 * use (the rank tables are a few MB, so never at start-up). o200k_base for the GPT-4o / 4.1 / 5
 * and o-series families, cl100k_base for the rest.
 */

interface Encoder {
  encode(text: string): number[];
}

const encoders = new Map<string, Promise<Encoder | undefined>>();

function encodingFor(model: string): 'o200k_base' | 'cl100k_base' {
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o)/.test(model)
    ? 'o200k_base'
    : 'cl100k_base';
}

async function load(name: 'o200k_base' | 'cl100k_base'): Promise<Encoder | undefined> {
  try {
    const { Tiktoken } = await import('js-tiktoken/lite');
    const ranks =
      name === 'o200k_base'
        ? (await import('js-tiktoken/ranks/o200k_base')).default
        : (await import('js-tiktoken/ranks/cl100k_base')).default;
    return new Tiktoken(ranks);
  } catch (error) {
    internalError('token counting', error);
    return undefined;
  }
}

function encoder(model: string): Promise<Encoder | undefined> {
  const name = encodingFor(model);
  let e = encoders.get(name);
  if (!e) encoders.set(name, (e = load(name)));
  return e;
}

/** A rough count when no encoder is available: about four characters per token. */
export function approximateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.round(text.length / 4));
}

/** Tokens of `text` for `model`. */
export async function countTextTokens(model: string, text: string): Promise<number> {
  if (text === '') return 0;
  const enc = await encoder(model);
  return enc ? enc.encode(text).length : approximateTokens(text);
}

/**
 * Prompt tokens of a chat request, as OpenAI counts them: each message's content and name, plus
 * 3 per message and 3 to prime the reply.
 */
export async function countChatPromptTokens(
  model: string,
  messages: readonly { role?: string; content?: unknown; name?: string }[],
): Promise<number> {
  const enc = await encoder(model);
  const count = (s: string) => (enc ? enc.encode(s).length : approximateTokens(s));
  let n = 3;
  for (const m of messages) {
    n += 3;
    if (typeof m.role === 'string') n += count(m.role);
    if (typeof m.name === 'string') n += count(m.name) + 1;
    const c = m.content;
    if (typeof c === 'string') n += count(c);
    else if (Array.isArray(c)) {
      for (const part of c) {
        const text = (part as { text?: unknown })?.text;
        if (typeof text === 'string') n += count(text);
      }
    }
    const calls = (m as { tool_calls?: { function?: { name?: string; arguments?: string } }[] })
      .tool_calls;
    if (Array.isArray(calls)) {
      for (const tc of calls)
        n += count(`${tc.function?.name ?? ''}${tc.function?.arguments ?? ''}`);
    }
  }
  return n;
}
