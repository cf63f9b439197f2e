import { MAX_QUERY_LENGTH } from '@pyflare/query';
import { z } from 'zod';

/** Largest client message; larger closes the connection with 1008. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Messages a client may send per second; more closes the connection with 1008. */
export const MAX_MESSAGES_PER_SECOND = 100;
/** Open connections per user or API key, and in all; more are refused at the upgrade (429). */
export const MAX_CONNECTIONS_PER_PRINCIPAL = 16;
export const MAX_CONNECTIONS = 2000;
/** Subscriptions one connection may hold. */
export const MAX_SUBSCRIPTIONS = 32;

/** Channels that exist; others answer an UNKNOWN_CHANNEL error (alerts, drift, health: later). */
export const CHANNELS = ['traces'] as const;

const id = z.string().min(1).max(64);

export const clientMessage = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('subscribe'),
      id,
      channel: z.string().min(1).max(64),
      filter: z
        .object({ q: z.string().max(MAX_QUERY_LENGTH).optional() })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ type: z.literal('unsubscribe'), id }).strict(),
  z.object({ type: z.literal('ping') }).strict(),
]);

export type ClientMessage = z.infer<typeof clientMessage>;

/** Codes of `error` frames. */
export type WsErrorCode =
  | 'BAD_MESSAGE'
  | 'UNKNOWN_TYPE'
  | 'UNKNOWN_CHANNEL'
  | 'INVALID_QUERY'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_SUBSCRIPTION'
  | 'TOO_MANY_SUBSCRIPTIONS';

export type ServerMessage =
  | { type: 'subscribed'; id: string }
  | { type: 'event'; id: string; channel: 'traces'; data: unknown }
  | { type: 'error'; id?: string; code: WsErrorCode; message: string }
  | { type: 'pong' };

/** The close code for policy violations (too big, too many messages, credentials gone). */
export const POLICY_VIOLATION = 1008;
