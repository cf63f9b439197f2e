import { context, createContextKey, type Context } from '@opentelemetry/api';
import { GENERAL, PYFLARE } from './semconv.ts';

/**
 * Who and what a piece of work is for: the user, the session (a conversation) and tags. Held in
 * the OpenTelemetry context, so they follow `await`s and callbacks, and written onto every span
 * started inside (`user.id`, `session.id`, `pyflare.tags`).
 */

const USER = createContextKey('pyflare.user');
const SESSION = createContextKey('pyflare.session');
const TAGS = createContextKey('pyflare.tags');

/**
 * Runs `fn` with `userId` as the user of every span started inside it (`user.id`).
 *
 * @example
 * ```ts
 * app.post('/chat', (req, res) =>
 *   withUser(req.user.id, () => withSession(req.body.conversationId, () => answer(req, res))),
 * );
 * ```
 */
export function withUser<T>(userId: string, fn: () => T): T {
  if (typeof userId !== 'string' || userId === '') return fn();
  return context.with(context.active().setValue(USER, userId), fn);
}

/**
 * Runs `fn` with `sessionId` (a conversation, a chat thread) on every span started inside it
 * (`session.id`).
 *
 * @example
 * ```ts
 * await withSession(thread.id, () => agent.reply(message));
 * ```
 */
export function withSession<T>(sessionId: string, fn: () => T): T {
  if (typeof sessionId !== 'string' || sessionId === '') return fn();
  return context.with(context.active().setValue(SESSION, sessionId), fn);
}

/**
 * Runs `fn` with `tags` added to those already in effect (`pyflare.tags`, searchable in the UI).
 *
 * @example
 * ```ts
 * await withTags(['beta', 'checkout'], () => recommend(cart));
 * ```
 */
export function withTags<T>(tags: readonly string[], fn: () => T): T {
  const clean = Array.isArray(tags)
    ? tags.filter((t): t is string => typeof t === 'string' && t !== '')
    : [];
  if (clean.length === 0) return fn();
  const ctx = context.active();
  const current = ctx.getValue(TAGS) as string[] | undefined;
  const merged = current ? [...new Set([...current, ...clean])] : [...new Set(clean)];
  return context.with(ctx.setValue(TAGS, merged), fn);
}

/** The user, session and tags in effect in `ctx` (the active context by default). */
export function currentContextValues(ctx: Context = context.active()): {
  userId?: string;
  sessionId?: string;
  tags?: string[];
} {
  return {
    userId: ctx.getValue(USER) as string | undefined,
    sessionId: ctx.getValue(SESSION) as string | undefined,
    tags: ctx.getValue(TAGS) as string[] | undefined,
  };
}

/** Writes the context's user, session and tags onto a span as it starts. */
export function applyContextAttributes(
  span: { setAttribute(key: string, value: string | string[]): unknown },
  ctx: Context,
): void {
  const user = ctx.getValue(USER);
  if (user !== undefined) span.setAttribute(GENERAL.userId, user as string);
  const session = ctx.getValue(SESSION);
  if (session !== undefined) span.setAttribute(GENERAL.sessionId, session as string);
  const tags = ctx.getValue(TAGS);
  if (tags !== undefined) span.setAttribute(PYFLARE.tags, tags as string[]);
}
