import {
  OtlpDecodeError,
  decodeLogsRequest,
  decodeLogsRequestJson,
  decodeMetricsRequest,
  decodeMetricsRequestJson,
  decodeTraceRequest,
  decodeTraceRequestJson,
  type PartialSuccess,
  type SignalType,
} from '@pyflare/otlp';
import type { AuthService } from '../auth/service.ts';
import { hasScope, type Principal } from '../auth/scopes.ts';
import { PyflareError } from '../errors.ts';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { Rejected } from '../pipeline/context.ts';
import { normalizeLogsInto } from '../pipeline/normalize-logs.ts';
import { normalizeMetricsInto } from '../pipeline/normalize-metrics.ts';
import { normalizeTracesInto } from '../pipeline/normalize-spans.ts';
import type { RowTable } from '../storage/columns.ts';
import type { RowEncoder } from '../storage/compact-rows.ts';
import { createIngestEncoder } from '../storage/row-binary.ts';
import type { Admission } from '../transport/admission.ts';
import type { BatchWriter } from '../transport/batch-writer.ts';

export type PayloadFormat = 'protobuf' | 'json';

export interface IngestDeps {
  auth: AuthService;
  admission: Admission;
  writers: Record<SignalType, BatchWriter>;
  metrics: SelfMetrics;
  now?: () => number;
}

const TABLES: Record<SignalType, RowTable> = { traces: 'spans', metrics: 'metrics', logs: 'logs' };

const decoders = {
  traces: { protobuf: decodeTraceRequest, json: decodeTraceRequestJson },
  metrics: { protobuf: decodeMetricsRequest, json: decodeMetricsRequestJson },
  logs: { protobuf: decodeLogsRequest, json: decodeLogsRequestJson },
} as const;

/**
 * The transport-independent ingest path shared by OTLP/HTTP and OTLP/gRPC:
 * authorize → decode → normalize → serialize → admit → write; resolves once durable.
 */
export function createIngestService(deps: IngestDeps) {
  const now = deps.now ?? Date.now;

  /** Normalizes straight into the encoder: each row is serialized as soon as it is built. */
  function normalize(
    signal: SignalType,
    request: unknown,
    principal: Principal,
    out: RowEncoder,
  ): Rejected {
    const project = deps.auth.project(principal.projectId);
    if (!project) throw new PyflareError('UNAUTHENTICATED', 'the key’s project no longer exists');
    const ctx = {
      projectId: project.id,
      retentionDays: project.retentionDays,
      captureContent: project.captureContent,
      nowMs: now(),
    };
    switch (signal) {
      case 'traces':
        return normalizeTracesInto(request as Parameters<typeof normalizeTracesInto>[0], ctx, out);
      case 'metrics':
        return normalizeMetricsInto(
          request as Parameters<typeof normalizeMetricsInto>[0],
          ctx,
          out,
        );
      default:
        return normalizeLogsInto(request as Parameters<typeof normalizeLogsInto>[0], ctx, out);
    }
  }

  function decode(signal: SignalType, format: PayloadFormat, body: Uint8Array | unknown): unknown {
    try {
      if (format === 'protobuf') return decoders[signal].protobuf(body as Uint8Array);
      return decoders[signal].json(body);
    } catch (e) {
      if (e instanceof OtlpDecodeError) {
        throw new PyflareError('MALFORMED_PAYLOAD', `malformed OTLP ${format}: ${e.message}`, {
          cause: e,
        });
      }
      throw e;
    }
  }

  return {
    /** Refuses early, before decoding, when the queue is already full. */
    checkCapacity(): void {
      if (deps.admission.full()) {
        throw new PyflareError('OVERLOADED', 'ingest queue is full; retry later', {
          retryAfter: 1,
        });
      }
    },

    authorize(principal: Principal | undefined): Principal {
      if (!principal) throw new PyflareError('UNAUTHENTICATED', 'missing or invalid API key');
      if (!hasScope(principal, 'ingest')) {
        throw new PyflareError('FORBIDDEN', 'this API key cannot ingest');
      }
      return principal;
    },

    async ingest(
      signal: SignalType,
      format: PayloadFormat,
      body: Uint8Array | unknown,
      principal: Principal,
    ): Promise<PartialSuccess> {
      const request = decode(signal, format, body);
      const encoder = createIngestEncoder(TABLES[signal]);
      let rejected: number;
      let errors: string[];
      let payload: Buffer;
      try {
        ({ rejected, errors } = normalize(signal, request, principal, encoder));
      } finally {
        payload = encoder.finish();
      }
      if (rejected > 0) deps.metrics.rejected.inc({ signal, reason: 'invalid' }, rejected);
      const partial: PartialSuccess = {
        rejected,
        errorMessage: rejected > 0 ? errors.join('; ') : '',
      };
      const rows = encoder.rows;
      if (rows === 0) return partial;
      deps.admission.acquire(rows, payload.length);
      await deps.writers[signal].write(payload, rows);
      deps.metrics.accepted.inc({ signal }, rows);
      return partial;
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
