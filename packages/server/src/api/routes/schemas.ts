/**
 * Response schemas of the read API (OpenAPI is generated from them). Each mirrors a domain
 * type of storage/queries; the `satisfies` checks keep the two in step.
 */
import { z } from 'zod';
import type { Span, SpanSummary } from '../../storage/queries/span-row.ts';
import type { TraceSummary } from '../../storage/queries/trace-summary.ts';

const ns = z.string().regex(/^\d+$/).describe('Nanoseconds since the Unix epoch, exact');
const attributes = z
  .record(z.string(), z.unknown())
  .describe('Attributes with their types kept: strings, numbers, booleans, arrays');

export const nextCursorSchema = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null on the last page');

export const traceSummarySchema = z.object({
  traceId: z.string(),
  rootName: z.string().describe("The root span's name, or the earliest span's name if no root"),
  rootService: z.string().describe("The root span's service ('' while no root has arrived)"),
  services: z.array(z.string()),
  spanCount: z.number().int(),
  errorCount: z.number().int(),
  hasError: z.boolean(),
  startTimeUnixNano: ns,
  endTimeUnixNano: ns,
  durationNs: z.number().int(),
  models: z.array(z.string()),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  totalTokens: z.number().int(),
  users: z.array(z.string()),
  sessions: z.array(z.string()),
}) satisfies z.ZodType<TraceSummary>;

const spanSummaryShape = {
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().describe("'' for a root span"),
  name: z.string(),
  kind: z.string().describe('unspecified, internal, server, client, producer or consumer'),
  serviceName: z.string(),
  environment: z.string(),
  startTimeUnixNano: ns,
  endTimeUnixNano: ns,
  durationNs: z.number().int(),
  status: z.object({
    code: z.string().describe('unset, ok or error'),
    message: z.string(),
  }),
  attributes,
  operation: z.string().describe("Canonical operation (llm, chat, tool, ...) or ''"),
  provider: z.string(),
  requestModel: z.string(),
  responseModel: z.string(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedTokens: z.number().int(),
  totalTokens: z.number().int(),
  userId: z.string(),
  sessionId: z.string(),
  tags: z.array(z.string()),
};

export const spanSummarySchema = z.object(spanSummaryShape) satisfies z.ZodType<SpanSummary>;

const chatMessage = z.looseObject({
  role: z.string(),
  content: z.string(),
  name: z.string().optional(),
  toolCalls: z
    .array(z.object({ id: z.string().optional(), name: z.string(), arguments: z.string() }))
    .optional(),
  toolCallId: z.string().optional(),
});

const retrievalDocument = z.looseObject({
  id: z.string().optional(),
  content: z.string().optional(),
  score: z.number().optional(),
  metadata: z.unknown().optional(),
});

export const spanSchema = z.object({
  ...spanSummaryShape,
  traceState: z.string(),
  flags: z.number().int(),
  events: z.array(
    z.object({
      timeUnixNano: ns,
      name: z.string(),
      attributes,
      droppedAttributesCount: z.number().int(),
    }),
  ),
  links: z.array(
    z.object({
      traceId: z.string(),
      spanId: z.string(),
      traceState: z.string(),
      attributes,
      droppedAttributesCount: z.number().int(),
      flags: z.number().int(),
    }),
  ),
  resource: attributes.describe('Resource attributes, types kept'),
  scope: z.object({ name: z.string(), version: z.string() }),
  inputText: z.string().describe('Prompt as plain text'),
  outputText: z.string().describe('Completion as plain text'),
  inputMessages: z.array(chatMessage).nullable(),
  outputMessages: z.array(chatMessage).nullable(),
  retrievalDocuments: z.array(retrievalDocument).nullable(),
  inferenceId: z.string(),
  mlFeatures: z.record(z.string(), z.unknown()).nullable(),
  mlPrediction: z.string(),
  mlLabel: z.string(),
  embeddingDimensions: z.number().int().describe('Length of the stored embedding (0: none)'),
  dropped: z.object({
    attributes: z.number().int(),
    events: z.number().int(),
    links: z.number().int(),
  }),
}) satisfies z.ZodType<Span>;
