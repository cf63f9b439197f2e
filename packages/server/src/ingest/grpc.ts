import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ServerUnaryCall,
  type ServiceDefinition,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { encodeExportResponse, type SignalType } from '@pyflare/otlp';
import type { Principal } from '../auth/scopes.ts';
import { PyflareError, isPyflareError } from '../errors.ts';
import type { SelfMetrics } from '../observability/self-metrics.ts';
import type { IngestService } from './service.ts';

const SERVICES: Record<SignalType, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

const identity = (b: Buffer): Buffer => b;

/** A unary Export method that hands us the raw message bytes for our own decoder. */
function exportMethod(path: string): ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

export interface OtlpGrpcOptions {
  ingest: IngestService;
  metrics: SelfMetrics;
  resolvePrincipal: (headers: {
    authorization?: string;
    'x-api-key'?: string;
  }) => Principal | undefined;
  /** Largest message accepted, after decompression. */
  maxMessageBytes: number;
  onError: (error: unknown) => void;
}

/**
 * OTLP/gRPC receiver (:4317): TraceService, MetricsService and LogsService Export.
 * grpc-js decompresses gzip messages itself; credentials come from the `authorization`
 * (Bearer) or `x-api-key` metadata.
 */
export function createOtlpGrpcServer(options: OtlpGrpcOptions): Server {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': 4 * 1024 * 1024,
  });

  for (const [signal, path] of Object.entries(SERVICES) as [SignalType, string][]) {
    server.addService(exportMethod(path), {
      Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        handle(signal, call)
          .then((response) => {
            options.metrics.requests.inc({ transport: 'grpc', signal, outcome: 'ok' });
            callback(null, response);
          })
          .catch((error: unknown) => {
            const e = isPyflareError(error)
              ? error
              : new PyflareError('INTERNAL', 'internal error', { cause: error });
            if (e.code === 'INTERNAL' || e.code === 'STORAGE_ERROR') options.onError(error);
            options.metrics.requests.inc({
              transport: 'grpc',
              signal,
              outcome: e.code.toLowerCase(),
            });
            const trailer = new Metadata();
            if (e.retryAfter !== undefined) trailer.set('retry-after', String(e.retryAfter));
            callback({
              code: toGrpcStatus(e),
              details: e.status >= 500 && e.code === 'INTERNAL' ? 'internal error' : e.message,
              metadata: trailer,
            });
          });
      },
    });
  }

  async function handle(
    signal: SignalType,
    call: ServerUnaryCall<Buffer, Buffer>,
  ): Promise<Buffer> {
    const md = call.metadata;
    const authorization = md.get('authorization')[0];
    const apiKey = md.get('x-api-key')[0];
    const principal = options.ingest.authorize(
      options.resolvePrincipal({
        authorization: typeof authorization === 'string' ? authorization : undefined,
        'x-api-key': typeof apiKey === 'string' ? apiKey : undefined,
      }),
    );
    options.ingest.checkCapacity();
    const partial = await options.ingest.ingest(signal, 'protobuf', call.request, principal);
    return Buffer.from(encodeExportResponse(partial, signal));
  }

  return server;
}

function toGrpcStatus(e: PyflareError): status {
  switch (e.code) {
    case 'OVERLOADED':
    case 'RATE_LIMITED':
      return status.RESOURCE_EXHAUSTED;
    case 'SHUTTING_DOWN':
    case 'STORAGE_UNAVAILABLE':
      return status.UNAVAILABLE;
    default:
      return e.grpcCode as status;
  }
}

export function bindGrpc(server: Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
}
