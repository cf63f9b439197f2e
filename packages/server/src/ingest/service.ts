import {
  decodeLogsRequest,
  decodeLogsRequestJson,
  decodeMetricsRequest,
  decodeMetricsRequestJson,
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
import type { RowTable } from '../storage/columns.ts';
import type { RowEncoder } from '../storage/compact-rows.ts';
import { createIngestEncoder } from '../storage/row-binary.ts';
import type { Admission } from '../transport/admission.ts';
import type { BatchWriter } from '../transport/batch-writer.ts';
import {
  MalformedRequestError,
  decodeJsonBody,
  decodeTraces,
  malformedError,
  type DecodedTraces,
  type PayloadFormat,
} from './decode-job.ts';
import type { DecodePool } from './decode-pool.ts';

export type { PayloadFormat };

export interface IngestDeps {
  auth: AuthService;
  admission: Admission;
  writers: Record<SignalType, BatchWriter>;
  metrics: SelfMetrics;
  now?: () => number;
  /** Decode workers for trace requests; without, they decode on the event loop. */
  decodePool?: DecodePool;
  /** Requests smaller than this decode on the event loop even with a pool (default 64 KiB). */
  workerMinBytes?: number;
}

/** Below this a request costs the event loop less than a round trip to a worker would. */
const WORKER_MIN_BYTES = 64 * 1024;

/** Metrics and logs; trace requests go through decode-job.ts. */
type RowSignal = Exclude<SignalType, 'traces'>;

const TABLES: Record<RowSignal, RowTable> = { metrics: 'metrics', logs: 'logs' };

const decoders = {
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
    signal: RowSignal,
    request: unknown,
    principal: Principal,
    out: RowEncoder,
  ): Rejected {
    const ctx = contextOf(principal);
    if (signal === 'metrics') {
      return normalizeMetricsInto(request as Parameters<typeof normalizeMetricsInto>[0], ctx, out);
    }
    return normalizeLogsInto(request as Parameters<typeof normalizeLogsInto>[0], ctx, out);
  }

  /** Metrics and logs: decode, then normalize straight into the encoder. */
  function decode(signal: RowSignal, format: PayloadFormat, body: Uint8Array): unknown {
    try {
      if (format === 'protobuf') return decoders[signal].protobuf(body);
      return decodeJsonBody<unknown>(body, decoders[signal].json);
    } catch (e) {
      throw malformedError(format, e);
    }
  }

  /**
   * Decode → normalize → serialize. Trace requests of `workerMinBytes` and more go to a decode
   * worker when there is a pool; the rest run here, trace requests through the same function.
   */
  function serialize(
    signal: SignalType,
    format: PayloadFormat,
    body: Uint8Array,
    principal: Principal,
  ): Promise<DecodedTraces> | DecodedTraces {
    if (signal === 'traces') {
      if (pool && body.byteLength >= workerMinBytes) {
        return pool.decode(body, contextOf(principal), format);
      }
      return decodeTraces(body, contextOf(principal), format);
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

    /** `body` is the request's bytes as received (decompressed): protobuf or JSON text. */
    async ingest(
      signal: SignalType,
      format: PayloadFormat,
      body: Uint8Array,
      principal: Principal,
    ): Promise<PartialSuccess> {
      let decoded: DecodedTraces;
      try {
        decoded = await serialize(signal, format, body, principal);
      } catch (e) {
        if (e instanceof MalformedRequestError) {
          throw new PyflareError('MALFORMED_PAYLOAD', e.message, { cause: e });
        }
        throw e;
      }
      const { rejected, errors, payload, rows } = decoded;
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
