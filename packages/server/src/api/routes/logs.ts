import { z } from 'zod';
import { searchLogs } from '../../storage/queries/logs.ts';
import type { ApiApp, ApiDeps } from '../types.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { attributeParam, cursorParam, limitParam, listParam, timeParam } from './params.ts';
import { nextCursorSchema } from './schemas.ts';
import { traceIdParam } from './traces.ts';
import { assertOrdered, resolveWindow } from './window.ts';

/** OpenTelemetry severity names → the lowest severity number of each range. */
const SEVERITY_NAMES: Readonly<Record<string, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  warning: 13,
  error: 17,
  fatal: 21,
};

const severityParam = z
  .string()
  .transform((text, ctx) => {
    const named = SEVERITY_NAMES[text.toLowerCase()];
    const n = named ?? (/^\d{1,2}$/.test(text) ? Number(text) : NaN);
    if (!(n >= 1 && n <= 24)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a severity number 1-24 or trace|debug|info|warn|error|fatal, got '${text}'`,
      });
      return z.NEVER;
    }
    return n;
  })
  .describe('Minimum severity: a number 1-24 or trace, debug, info, warn, error, fatal');

const logsQuery = z
  .object({
    traceId: traceIdParam.optional().describe('Logs of this trace (any time, unless from/to)'),
    spanId: z
      .string()
      .regex(/^[0-9a-fA-F]{16}$/, 'a span id is 16 hexadecimal characters')
      .transform((s) => s.toLowerCase())
      .optional()
      .describe('Logs of this span (with traceId)'),
    from: timeParam('Start (default: 24 hours before `to` or now, unless traceId)').optional(),
    to: timeParam('End (default: open-ended)').optional(),
    service: listParam('Service name').optional(),
    minSeverity: severityParam.optional(),
    search: z.string().min(1).max(1000).optional().describe('Case-insensitive text in the body'),
    attr: attributeParam('Log attribute equality').optional(),
    limit: limitParam(100),
    cursor: cursorParam.optional(),
  })
  .strict();

const logCursor = z.object({
  l: z.literal('logs'),
  k: z.string().regex(/^\d{1,20}$/),
  h: z.string().regex(/^\d{1,20}$/),
});

const logSchema = z.object({
  timeUnixNano: z.string().describe('Nanoseconds since the Unix epoch, exact'),
  observedTimeUnixNano: z.string(),
  severityNumber: z.number().int(),
  severityText: z.string(),
  body: z.unknown().describe('The body with its type kept (string, number, object, ...)'),
  attributes: z.record(z.string(), z.unknown()),
  resource: z.record(z.string(), z.string()),
  traceId: z.string(),
  spanId: z.string(),
  serviceName: z.string(),
  scope: z.object({ name: z.string(), version: z.string() }),
  eventName: z.string(),
  flags: z.number().int(),
});

/** Log search, newest first. */
export function registerLogRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/api/v1/logs',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Search logs',
        description:
          'Logs of a trace (and span), or of a window by service, minimum severity, text and attributes; newest first.',
        tags: ['logs'],
        querystring: logsQuery,
        response: { 200: z.object({ logs: z.array(logSchema), nextCursor: nextCursorSchema }) },
      },
    },
    async (request) => {
      const q = request.query;
      assertOrdered(q);
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, logCursor);
      const byTraceOnly = q.traceId !== undefined && q.from === undefined && q.to === undefined;
      const page = await searchLogs(deps.db, {
        projectId: request.principal!.projectId,
        ...(q.traceId !== undefined ? { traceId: q.traceId } : {}),
        ...(q.spanId !== undefined ? { spanId: q.spanId } : {}),
        ...(byTraceOnly ? {} : { window: resolveWindow(q, Date.now()) }),
        services: q.service ?? [],
        ...(q.minSeverity !== undefined ? { minSeverity: q.minSeverity } : {}),
        ...(q.search !== undefined ? { text: q.search } : {}),
        attributes: q.attr ?? [],
        limit: q.limit,
        ...(after ? { after: { timeNs: after.k, tieBreak: after.h } } : {}),
      });
      return {
        logs: page.logs,
        nextCursor:
          page.next === null
            ? null
            : encodeCursor({ l: 'logs', k: page.next.timeNs, h: page.next.tieBreak }),
      };
    },
  );
}
