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
import type { NormalizeContext, Rejected } from '../pipeline/context.ts';
import { normalizeLogsInto } from '../pipeline/normalize-logs.ts';
import { normalizeMetricsInto } from '../pipeline/normalize-metrics.ts';
import { normalizeTracesInto } from '../pipeline/normalize-spans.ts';
import type { RowTable } from '../storage/columns.ts';
import type { RowEncoder } from '../storage/compact-rows.ts';
import { createIngestEncoder } from '../storage/row-binary.ts';
import type { Admission } from '../transport/admission.ts';
import type { BatchWriter } from '../transport/batch-writer.ts';
import { MalformedRequestError, type DecodePool } from './decode-pool.ts';

export type PayloadFormat = 'protobuf' | 'json';

export interface IngestDeps {
  auth: AuthService;
  admission: Admission;
  writers: Record<SignalType, BatchWriter>;
  metrics: SelfMetrics;
  now?: () => number;
  /** Decode workers for OTLP/protobuf trace requests; without, they decode on the event loop. */
  decodePool?: DecodePool;
  /** Requests smaller than this decode on the event loop even with a pool (default 64 KiB). */
  workerMinBytes?: number;
}

/** Below this a request costs the event loop less than a round trip to a worker would. */
const WORKER_MIN_BYTES = 64 * 1024;

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

  const pool = deps.decodePool;
  const workerMinBytes = deps.workerMinBytes ?? WORKER_MIN_BYTES;

  function contextOf(principal: Principal): NormalizeContext {
    const project = deps.auth.project(principal.projectId);
    if (!project) throw new PyflareError('UNAUTHENTICATED', 'the key’s project no longer exists');
    return {
      projectId: project.id,
      retentionDays: project.retentionDays,
      captureContent: project.captureContent,
      nowMs: now(),
    };
  }

  /** Normalizes straight into the encoder: each row is serialized as soon as it is built. */
  function normalize(
    signal: SignalType,
    request: unknown,
    principal: Principal,
    out: RowEncoder,
  ): Rejected {
    const ctx = contextOf(principal);
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

  function malformed(format: PayloadFormat, e: Error): PyflareError {
    return new PyflareError('MALFORMED_PAYLOAD', `malformed OTLP ${format}: ${e.message}`, {
      cause: e,
    });
  }

  function decode(signal: SignalType, format: PayloadFormat, body: Uint8Array | unknown): unknown {
    try {
      if (format === 'protobuf') return decoders[signal].protobuf(body as Uint8Array);
      return decoders[signal].json(body);
    } catch (e) {
      if (e instanceof OtlpDecodeError) throw malformed(format, e);
      throw e;
    }
  }

  /** Decode → normalize → serialize, on a worker when the request is worth one. */
  async function serialize(
    signal: SignalType,
    format: PayloadFormat,
    body: Uint8Array | unknown,
    principal: Principal,
  ): Promise<Rejected & { payload: Buffer; rows: number }> {
    if (
      pool &&
      signal === 'traces' &&
      format === 'protobuf' &&
      (body as Uint8Array).byteLength >= workerMinBytes
    ) {
      try {
        return await pool.decode(body as Uint8Array, contextOf(principal));
      } catch (e) {
        if (e instanceof MalformedRequestError) throw malformed(format, e);
        throw e;
      }
    }
    const request = decode(signal, format, body);
    const encoder = createIngestEncoder(TABLES[signal]);
    let result: Rejected;
    let payload: Buffer;
    try {
      result = normalize(signal, request, principal, encoder);
    } finally {
      payload = encoder.finish();
    }
    return { ...result, payload, rows: encoder.rows };
  }

  return {
    /** Refuses early, before decoding, when the queue is already full. */
    checkCapacity(): void {
      if (deps.admission.full() || pool?.full()) {
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
      const { rejected, errors, payload, rows } = await serialize(signal, format, body, principal);
      if (rejected > 0) deps.metrics.rejected.inc({ signal, reason: 'invalid' }, rejected);
      const partial: PartialSuccess = {
        rejected,
        errorMessage: rejected > 0 ? errors.join('; ') : '',
      };
      if (rows === 0) return partial;
      deps.admission.acquire(rows, payload.length);
      await deps.writers[signal].write(payload, rows);
      deps.metrics.accepted.inc({ signal }, rows);
      return partial;
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
