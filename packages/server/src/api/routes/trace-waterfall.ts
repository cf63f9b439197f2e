import { z } from 'zod';
import { PyflareError } from '../../errors.ts';
import { getSpan, getTraceWaterfall } from '../../storage/queries/trace-waterfall.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { spanSchema } from './schemas.ts';

const spanIdParam = z
  .string()
  .regex(/^[0-9a-fA-F]{16}$/, 'a span id is 16 hexadecimal characters')
  .transform((s) => s.toLowerCase());

const column = (description: string) => z.array(z.number().int()).describe(description);

const waterfallSchema = z.object({
  traceId: z.string(),
  spanCount: z.number().int(),
  startTimeUnixNano: z.string().describe('Start of the earliest span, ns since the epoch'),
  durationNs: z.number().int().describe('From the earliest start to the latest end'),
  strings: z.array(z.string()).describe('Interned strings; the columns below index into it'),
  spans: z.object({
    spanId: z.array(z.string()),
    parent: column('Index of the parent span in these arrays; -1 for roots and orphans'),
    name: column('Index into strings'),
    service: column('Index into strings'),
    kind: column('Index into strings: the SpanKind name'),
    operation: column('Index into strings: the canonical operation (llm, tool, …)'),
    model: column('Index into strings: the response model, else the request model'),
    startNs: column('Start relative to startTimeUnixNano, ns'),
    durationNs: column('ns'),
    error: column('1 when the status is error'),
    tokens: column('Total tokens'),
  }),
});

/**
 * The compact waterfall of a trace and single spans of it, for the UI's trace view: a
 * 100,000-span trace in a few MB. The response is a few large arrays of numbers, so it is
 * serialized with JSON.stringify directly; the schema still documents it in OpenAPI.
 */
export function registerWaterfallRoutes(
  app: ApiApp,
  deps: ApiDeps,
  traceIdParam: z.ZodType<string>,
): void {
  app.get(
    '/api/v1/traces/:traceId/waterfall',
    {
      config: { scope: 'read' },
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        summary: 'Get a trace as a compact waterfall',
        description:
          'Every span of the trace (at most 200,000) in columnar form: ids, parent indexes, interned names, services, kinds, operations and models, start offsets, durations, error flags and tokens. Details of one span come from /traces/{traceId}/spans/{spanId}.',
        tags: ['traces'],
        params: z.object({ traceId: traceIdParam }).strict(),
        response: { 200: waterfallSchema },
      },
    },
    async (request) => {
      const { traceId } = request.params;
      const waterfall = await getTraceWaterfall(deps.db, request.principal!.projectId, traceId);
      if (waterfall === undefined) {
        throw new PyflareError('NOT_FOUND', `trace ${traceId} not found`);
      }
      return waterfall;
    },
  );

  app.get(
    '/api/v1/traces/:traceId/spans/:spanId',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Get one span of a trace',
        description:
          'The span with everything stored about it, in the shape of trace detail items.',
        tags: ['traces'],
        params: z.object({ traceId: traceIdParam, spanId: spanIdParam }).strict(),
        response: { 200: spanSchema },
      },
    },
    async (request) => {
      const { traceId, spanId } = request.params;
      const span = await getSpan(deps.db, request.principal!.projectId, traceId, spanId);
      if (span === undefined) {
        throw new PyflareError('NOT_FOUND', `span ${spanId} of trace ${traceId} not found`);
      }
      return span;
    },
  );
}
