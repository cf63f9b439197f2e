import type {
  AnyValue,
  Attributes,
  ExportTraceServiceRequest,
  Span,
  SpanEvent,
} from '@pyflare/otlp';
import type { SpanRow } from '../../storage/rows.ts';
import type { NormalizeContext } from '../context.ts';
import { normalizeTraces } from '../normalize-spans.ts';

/** Builders for tests and the timing script: decoded OTLP shapes with sensible defaults. */

export const NOW_MS = Date.UTC(2025, 5, 1, 12, 0, 0);
export const NOW_NS = BigInt(NOW_MS) * 1_000_000n;

export function ctx(overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return { projectId: 'p1', retentionDays: 30, captureContent: true, nowMs: NOW_MS, ...overrides };
}

/** A null-prototype attribute map, like the decoders produce. */
export function attrs(entries: Record<string, AnyValue> = {}): Attributes {
  const out = Object.create(null) as Attributes;
  for (const key of Object.keys(entries)) out[key] = entries[key]!;
  return out;
}

export function event(name: string, entries: Record<string, AnyValue> = {}): SpanEvent {
  return {
    timeUnixNano: NOW_NS - 500n,
    name,
    attributes: attrs(entries),
    droppedAttributesCount: 0,
  };
}

let counter = 1;

export function span(overrides: Partial<Span> = {}): Span {
  const n = counter++;
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: n.toString(16).padStart(16, '0'),
    traceState: '',
    parentSpanId: '',
    flags: 0,
    name: 'span',
    kind: 1,
    startTimeUnixNano: NOW_NS - 1_000_000n,
    endTimeUnixNano: NOW_NS,
    attributes: attrs(),
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: '' },
    ...overrides,
  };
}

export function traces(
  spans: Span[],
  resource: Record<string, AnyValue> = { 'service.name': 'checkout' },
  scopeName = 'test-scope',
): ExportTraceServiceRequest {
  return {
    resourceSpans: [
      {
        resource: { attributes: attrs(resource), droppedAttributesCount: 0 },
        scopeSpans: [
          {
            scope: {
              name: scopeName,
              version: '1.0.0',
              attributes: attrs(),
              droppedAttributesCount: 0,
            },
            spans,
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}

/** Normalizes one span with these attributes (and events) and returns its row. */
export function rowOf(
  entries: Record<string, AnyValue>,
  options: { events?: SpanEvent[]; captureContent?: boolean; name?: string } = {},
): SpanRow {
  const out = normalizeTraces(
    traces([
      span({
        name: options.name ?? 'span',
        attributes: attrs(entries),
        events: options.events ?? [],
      }),
    ]),
    ctx({ captureContent: options.captureContent ?? true }),
  );
  if (out.rows.length !== 1) throw new Error(`span rejected: ${out.errors.join('; ')}`);
  return out.rows[0]!;
}

/** A row's JSON content column parsed ('' → undefined). */
export function parsed(column: string): unknown {
  return column === '' ? undefined : JSON.parse(column);
}
