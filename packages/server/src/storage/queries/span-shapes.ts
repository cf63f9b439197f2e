/** Schemas of the JSON columns of `spans` (see storage/rows.ts), as the API returns them. */
import { z } from 'zod';

const attributes = z.record(z.string(), z.unknown());

export const spanEventSchema = z.object({
  timeUnixNano: z.union([z.string(), z.number()]).transform(String),
  name: z.string(),
  attributes: attributes.default({}),
  droppedAttributesCount: z.number().default(0),
});

export const spanLinkSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  traceState: z.string().default(''),
  attributes: attributes.default({}),
  droppedAttributesCount: z.number().default(0),
  flags: z.number().default(0),
});

export const chatMessageSchema = z.looseObject({
  role: z.string(),
  content: z.string(),
  name: z.string().optional(),
  toolCalls: z
    .array(z.object({ id: z.string().optional(), name: z.string(), arguments: z.string() }))
    .optional(),
  toolCallId: z.string().optional(),
});

export const retrievalDocumentSchema = z.looseObject({
  id: z.string().optional(),
  content: z.string().optional(),
  score: z.number().optional(),
  metadata: z.unknown().optional(),
});

export type SpanEvent = z.output<typeof spanEventSchema>;
export type SpanLink = z.output<typeof spanLinkSchema>;
export type ChatMessageOut = z.output<typeof chatMessageSchema>;
export type RetrievalDocumentOut = z.output<typeof retrievalDocumentSchema>;
