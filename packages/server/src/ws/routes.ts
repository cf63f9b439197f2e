import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AccountService } from '../auth/accounts.ts';
import type { Principal } from '../auth/scopes.ts';
import type { AuthService } from '../auth/service.ts';
import { PyflareError } from '../errors.ts';
import { filterFromQuery } from '../api/routes/filter-params.ts';
import type { ApiApp } from '../api/types.ts';
import type { LiveTraces } from './live-traces.ts';
import {
  CHANNELS,
  clientMessage,
  MAX_CONNECTIONS,
  MAX_CONNECTIONS_PER_PRINCIPAL,
  MAX_MESSAGE_BYTES,
  MAX_MESSAGES_PER_SECOND,
  MAX_SUBSCRIPTIONS,
  POLICY_VIOLATION,
  type ServerMessage,
  type WsErrorCode,
} from './protocol.ts';

export interface WsDeps {
  live: LiveTraces;
  auth: AuthService;
  accounts: AccountService;
  corsOrigins: string[];
  /** How often a connection re-checks that its session or key still works. */
  recheckMs?: number;
}

/** Beyond this many bytes waiting to be sent, events to a slow client are skipped. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** A browser's session must come from the server's own origin or an allowed CORS origin. */
function originAllowed(request: FastifyRequest, corsOrigins: string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (corsOrigins.includes(origin)) return true;
  // request.host and request.protocol follow X-Forwarded-Host/-Proto when trustProxy is set.
  const host = request.host;
  return host !== '' && origin === `${request.protocol}://${host}`;
}

function stillValid(deps: WsDeps, principal: Principal): boolean {
  if (principal.sessionId !== undefined) return deps.accounts.isLive(principal.sessionId);
  if (principal.keyId === undefined || principal.keyId === 'local') return true;
  const key = deps.auth.keys().find((k) => k.id === principal.keyId);
  return key !== undefined && key.revokedAt === null;
}

/**
 * `GET /api/v1/ws`: live updates. Authenticated at the upgrade by the auth hook (session
 * cookie, with an Origin check, or an API key header with `read`); then JSON text frames,
 * see docs/architecture/ui-api.md.
 */
/** Needs @fastify/websocket registered on `app` (createApiServer does). */
export function registerWsRoutes(app: ApiApp, deps: WsDeps): void {
  const recheckMs = deps.recheckMs ?? 10_000;
  // Open connections per principal (user or key), so memory stays bounded.
  const open = new Map<string, number>();
  let total = 0;
  const who = (p: Principal) => (p.userId !== undefined ? `user:${p.userId}` : `key:${p.keyId}`);

  app.get(
    '/api/v1/ws',
    {
      websocket: true,
      config: { scope: 'read' },
      schema: { hide: true },
      preHandler: async (request) => {
        // A browser always sends Origin: a session must come from this origin, and so must a
        // browser when auth is disabled (else any web page could read the local server).
        const p = request.principal;
        const browserBound =
          p?.sessionId !== undefined ||
          (p?.keyId === 'local' && request.headers.origin !== undefined);
        if (browserBound && !originAllowed(request, deps.corsOrigins)) {
          throw new PyflareError(
            'FORBIDDEN',
            'a WebSocket from a browser must come from this server’s origin',
          );
        }
        const principal = request.principal!;
        if (
          total >= MAX_CONNECTIONS ||
          (open.get(who(principal)) ?? 0) >= MAX_CONNECTIONS_PER_PRINCIPAL
        ) {
          throw new PyflareError(
            'RATE_LIMITED',
            `too many open WebSockets (at most ${MAX_CONNECTIONS_PER_PRINCIPAL} per user or key)`,
            { retryAfter: 5 },
          );
        }
      },
    },
    (socket, request) => {
      const principal = request.principal!;
      const key = who(principal);
      open.set(key, (open.get(key) ?? 0) + 1);
      total++;
      socket.on('close', () => {
        total--;
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      });
      serveConnection(socket, principal, deps, recheckMs);
    },
  );
}

function serveConnection(
  socket: WebSocket,
  principal: Principal,
  deps: WsDeps,
  recheckMs: number,
): void {
  const subscriptions = new Map<string, () => void>();
  let windowStart = Date.now();
  let count = 0;

  const send = (message: ServerMessage) => {
    if (socket.readyState !== socket.OPEN) return;
    if (message.type === 'event' && socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
    socket.send(JSON.stringify(message));
  };
  const fail = (code: WsErrorCode, message: string, id?: string) =>
    send({ type: 'error', ...(id !== undefined ? { id } : {}), code, message });

  // Logout, a password change or a removed user end the session's sockets at once; expiry
  // and revoked keys are noticed within recheckMs.
  const recheck = setInterval(() => {
    if (!stillValid(deps, principal)) socket.close(POLICY_VIOLATION, 'credentials ended');
  }, recheckMs);
  recheck.unref();
  const stopListening =
    principal.sessionId === undefined
      ? () => undefined
      : deps.accounts.onSessionEnd((id) => {
          if (id === principal.sessionId) socket.close(POLICY_VIOLATION, 'session ended');
        });

  socket.on('close', () => {
    clearInterval(recheck);
    stopListening();
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  });

  socket.on('message', (data, isBinary) => {
    const bytes = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : (data as Buffer | ArrayBuffer).byteLength;
    if (bytes > MAX_MESSAGE_BYTES) {
      socket.close(POLICY_VIOLATION, `messages are limited to ${MAX_MESSAGE_BYTES} bytes`);
      return;
    }
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      count = 0;
    }
    if (++count > MAX_MESSAGES_PER_SECOND) {
      socket.close(POLICY_VIOLATION, `more than ${MAX_MESSAGES_PER_SECOND} messages per second`);
      return;
    }
    if (isBinary) return fail('BAD_MESSAGE', 'messages are JSON text frames');
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as ArrayBuffer).toString('utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return fail('BAD_MESSAGE', 'the message is not valid JSON');
    }
    const type = (raw as { type?: unknown } | null)?.type;
    const rawId = (raw as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' && rawId.length <= 64 ? rawId : undefined;
    if (type !== 'subscribe' && type !== 'unsubscribe' && type !== 'ping') {
      return fail(
        'UNKNOWN_TYPE',
        `unknown message type ${JSON.stringify(type)?.slice(0, 80) ?? 'undefined'} (use subscribe, unsubscribe or ping)`,
        id,
      );
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        'BAD_MESSAGE',
        `invalid ${type} message${issue?.path.length ? ` '${issue.path.join('.')}'` : ''}: ${issue?.message ?? 'invalid'}`,
        id,
      );
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ping':
        return send({ type: 'pong' });
      case 'unsubscribe': {
        const unsubscribe = subscriptions.get(message.id);
        if (!unsubscribe)
          return fail('UNKNOWN_SUBSCRIPTION', `no subscription '${message.id}'`, message.id);
        unsubscribe();
        subscriptions.delete(message.id);
        return;
      }
      case 'subscribe': {
        if (!(CHANNELS as readonly string[]).includes(message.channel)) {
          return fail(
            'UNKNOWN_CHANNEL',
            `unknown channel '${message.channel.slice(0, 64)}' (available: ${CHANNELS.join(', ')})`,
            message.id,
          );
        }
        if (subscriptions.has(message.id)) {
          return fail('DUPLICATE_ID', `subscription '${message.id}' exists`, message.id);
        }
        if (subscriptions.size >= MAX_SUBSCRIPTIONS) {
          return fail(
            'TOO_MANY_SUBSCRIPTIONS',
            `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection`,
            message.id,
          );
        }
        let filter;
        try {
          filter = filterFromQuery(message.filter?.q ?? '', Date.now());
        } catch (e) {
          return fail(
            'INVALID_QUERY',
            e instanceof Error ? e.message : 'invalid query',
            message.id,
          );
        }
        const subId = message.id;
        const unsubscribe = deps.live.subscribe({
          projectId: principal.projectId,
          filter,
          key: JSON.stringify(filter),
          send: (summary) => send({ type: 'event', id: subId, channel: 'traces', data: summary }),
        });
        if (!unsubscribe) {
          return fail('TOO_MANY_SUBSCRIPTIONS', 'the server holds its most subscriptions', subId);
        }
        subscriptions.set(subId, unsubscribe);
        return send({ type: 'subscribed', id: subId });
      }
    }
  });
}
