import type { ExportLogsServiceRequest, LogRecord } from '@pyflare/otlp';
import type { LogRow } from '../storage/rows.ts';
import { flattenAttributes, toPlain } from './attributes.ts';
import {
  nsString,
  timeProblem,
  timeWindow,
  type NormalizeContext,
  type NormalizeResult,
  type Rejected,
  type RowSink,
} from './context.ts';
import { CONTENT_EVENTS, scanKeys } from './conventions/keys.ts';
import { SPAN_ID_HEX, TRACE_ID_HEX, isAbsentId, normalizeId } from './ids.ts';
import { MAX_CONTENT_CHARS, MAX_NAME_CHARS, clip, truncate } from './limits.ts';
import { createRejections, quoteScope } from './rejections.ts';
import { resourceInfo, type ResourceInfo } from './resource.ts';

/**
 * Decoded OTLP logs → rows of the `logs` table.
 *
 * - `time` is the record's time, else its observed time, else the server clock (OTel allows
 *   a record without time); `observed_time` is the observed time, else the server clock.
 * - trace / span ids may be absent ('' or all zero, stored as ''); other invalid ids reject
 *   the record.
 * - Without content capture, GenAI events sent as log records (`gen_ai.user.message`,
 *   `gen_ai.choice`, ... by `event_name` or the older `event.name` attribute) lose their
 *   body and content attributes, as their span-event twins do.
 */
export function normalizeLogs(
  req: ExportLogsServiceRequest,
  ctx: NormalizeContext,
): NormalizeResult<LogRow> {
  const rows: LogRow[] = [];
  return { rows, ...normalizeLogsInto(req, ctx, rows) };
}

/** `normalizeLogs`, each row handed to `sink` as soon as it is built. */
export function normalizeLogsInto(
  req: ExportLogsServiceRequest,
  ctx: NormalizeContext,
  sink: RowSink<LogRow>,
): Rejected {
  const rejections = createRejections();
  const window = timeWindow(ctx);
  for (const rl of req.resourceLogs) {
    let resource: ResourceInfo | undefined;
    for (const sl of rl.scopeLogs) {
      const scopeName = clip(sl.scope.name);
      const scopeVersion = clip(sl.scope.version);
      const records = sl.logRecords;
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const traceId = logId(r.traceId, TRACE_ID_HEX);
        const spanId = logId(r.spanId, SPAN_ID_HEX);
        const time =
          r.timeUnixNano > 0n
            ? r.timeUnixNano
            : r.observedTimeUnixNano > 0n
              ? r.observedTimeUnixNano
              : window.nowNs;
        const observed = r.observedTimeUnixNano > 0n ? r.observedTimeUnixNano : window.nowNs;
        const problem =
          traceId === undefined
            ? 'invalid trace_id (must be empty or 16 bytes)'
            : spanId === undefined
              ? 'invalid span_id (must be empty or 8 bytes)'
              : (timeProblem('time_unix_nano', time, window) ??
                (observed > window.newestNs
                  ? 'observed_time_unix_nano is more than 24 h ahead of the server clock'
                  : undefined));
        if (problem !== undefined) {
          rejections.add(`log record ${i} of scope ${quoteScope(sl.scope.name)}`, problem);
          continue;
        }
        resource ??= resourceInfo(rl.resource);
        const strip = !ctx.captureContent && isContentEvent(r);
        const skip = strip ? scanKeys(r.attributes, true).contentKeys : undefined;
        const flat = flattenAttributes(r.attributes, skip);
        const body = strip ? undefined : r.body;
        sink.push({
          project_id: ctx.projectId,
          time: nsString(time),
          observed_time: nsString(observed),
          severity_number:
            r.severityNumber >= 0 && r.severityNumber <= 255 ? r.severityNumber | 0 : 0,
          severity_text: clip(r.severityText, MAX_NAME_CHARS),
          body: bodyText(body),
          body_json: body === undefined ? '' : JSON.stringify(toPlain(body, MAX_CONTENT_CHARS)),
          trace_id: traceId!,
          span_id: spanId!,
          flags: r.flags >>> 0,
          event_name: clip(r.eventName, MAX_NAME_CHARS),
          service_name: resource.serviceName,
          scope_name: scopeName,
          scope_version: scopeVersion,
          resource_attributes: resource.map,
          attributes: flat.map,
          attributes_json: flat.json,
          retention_days: ctx.retentionDays,
          ingested_at: ctx.nowMs,
        });
      }
    }
  }
  return { rejected: rejections.count, errors: rejections.examples };
}

/** '' for an absent id (empty or all zero), the lowercase id when valid, else undefined. */
function logId(id: string, hexLength: number): string | undefined {
  if (isAbsentId(id, hexLength)) return '';
  return normalizeId(id, hexLength);
}

function isContentEvent(r: LogRecord): boolean {
  const name = r.eventName !== '' ? r.eventName : r.attributes['event.name'];
  return typeof name === 'string' && CONTENT_EVENTS.has(name);
}

/** Strings verbatim, other values as JSON, '' without a body; cut at MAX_CONTENT_CHARS. */
function bodyText(body: LogRecord['body']): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return truncate(body, MAX_CONTENT_CHARS);
  const plain = toPlain(body, MAX_CONTENT_CHARS);
  return truncate(typeof plain === 'string' ? plain : JSON.stringify(plain), MAX_CONTENT_CHARS);
}
