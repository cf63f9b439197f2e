/** Exports of selected traces: CSV of summaries, JSON of full traces, OTLP/JSON. Pure. */
import type {
  AttributeValue,
  Attributes,
  Span,
  TraceDetail,
  TraceSummary,
} from '../../../lib/types.ts';
import { nsToMs } from '../../../lib/format.ts';

const csvCell = (v: unknown): string => {
  const s = Array.isArray(v) ? v.join(' ') : String(v ?? '');
  // Cells starting with = + - @ are prefixed so spreadsheets never run them as formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function summariesToCsv(rows: readonly TraceSummary[]): string {
  const header = [
    'traceId',
    'startTime',
    'rootService',
    'rootName',
    'services',
    'durationMs',
    'spanCount',
    'errorCount',
    'models',
    'inputTokens',
    'outputTokens',
    'totalTokens',
  ];
  const lines = rows.map((r) =>
    [
      r.traceId,
      new Date(nsToMs(r.startTimeUnixNano)).toISOString(),
      r.rootService,
      r.rootName,
      r.services,
      (r.durationNs / 1e6).toFixed(3),
      r.spanCount,
      r.errorCount,
      r.models,
      r.inputTokens,
      r.outputTokens,
      r.totalTokens,
    ]
      .map(csvCell)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

type OtlpAny =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAny[] } }
  | { kvlistValue: { values: { key: string; value: OtlpAny }[] } };

function anyValue(v: AttributeValue): OtlpAny {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (v === null) return { stringValue: '' };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  return {
    kvlistValue: {
      values: Object.entries(v).map(([key, value]) => ({ key, value: anyValue(value) })),
    },
  };
}

const kv = (attrs: Attributes) =>
  Object.entries(attrs ?? {}).map(([key, value]) => ({ key, value: anyValue(value) }));

const KIND: Record<string, number> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
const STATUS: Record<string, number> = { unset: 0, ok: 1, error: 2 };

/** Full traces as one OTLP/JSON `ExportTraceServiceRequest`, spans grouped by resource and scope. */
export function tracesToOtlpJson(traces: readonly TraceDetail[]): object {
  const resources = new Map<
    string,
    {
      resource: Attributes;
      scopes: Map<string, { scope: { name: string; version: string }; spans: Span[] }>;
    }
  >();
  for (const t of traces) {
    for (const span of t.spans) {
      const rkey = JSON.stringify(span.resource ?? {});
      let r = resources.get(rkey);
      if (!r) resources.set(rkey, (r = { resource: span.resource ?? {}, scopes: new Map() }));
      const scope = span.scope ?? { name: '', version: '' };
      const skey = `${scope.name}@${scope.version}`;
      let s = r.scopes.get(skey);
      if (!s) r.scopes.set(skey, (s = { scope, spans: [] }));
      s.spans.push(span);
    }
  }
  return {
    resourceSpans: [...resources.values()].map((r) => ({
      resource: { attributes: kv(r.resource) },
      scopeSpans: [...r.scopes.values()].map((s) => ({
        scope: s.scope,
        spans: s.spans.map((span) => ({
          traceId: span.traceId,
          spanId: span.spanId,
          ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
          ...(span.traceState ? { traceState: span.traceState } : {}),
          name: span.name,
          kind: KIND[span.kind] ?? 0,
          startTimeUnixNano: span.startTimeUnixNano,
          endTimeUnixNano: span.endTimeUnixNano,
          attributes: kv(span.attributes),
          events: (span.events ?? []).map((e) => ({
            timeUnixNano: e.timeUnixNano,
            name: e.name,
            attributes: kv(e.attributes),
          })),
          links: (span.links ?? []).map((l) => ({
            traceId: l.traceId,
            spanId: l.spanId,
            attributes: kv(l.attributes),
          })),
          status: {
            code: STATUS[span.status?.code ?? 'unset'] ?? 0,
            ...(span.status?.message ? { message: span.status.message } : {}),
          },
        })),
      })),
    })),
  };
}
