/**
 * The one error type of the server and its catalog. Every failure that reaches a client
 * carries a stable code from this table; exactly one place per protocol turns it into a
 * response (RFC 9457 problem+json on the API, google.rpc.Status on OTLP/HTTP, a gRPC
 * status on OTLP/gRPC).
 */

export const ERRORS = {
  BAD_REQUEST: { status: 400, title: 'Bad request', grpc: 3 },
  INVALID_QUERY: { status: 400, title: 'Invalid query', grpc: 3 },
  MALFORMED_PAYLOAD: { status: 400, title: 'Malformed payload', grpc: 3 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type', grpc: 3 },
  UNSUPPORTED_ENCODING: { status: 415, title: 'Unsupported content encoding', grpc: 3 },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large', grpc: 8 },
  TRACE_TOO_LARGE: { status: 413, title: 'Trace too large for this view', grpc: 8 },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated', grpc: 16 },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid email or password', grpc: 16 },
  FORBIDDEN: { status: 403, title: 'Forbidden', grpc: 7 },
  CSRF: { status: 403, title: 'Missing or wrong CSRF token', grpc: 7 },
  NOT_FOUND: { status: 404, title: 'Not found', grpc: 5 },
  CONFLICT: { status: 409, title: 'Conflict', grpc: 6 },
  RATE_LIMITED: { status: 429, title: 'Too many requests', grpc: 8 },
  OVERLOADED: { status: 429, title: 'Ingest queue full', grpc: 8 },
  SHUTTING_DOWN: { status: 503, title: 'Shutting down', grpc: 14 },
  STORAGE_UNAVAILABLE: { status: 503, title: 'Storage unavailable', grpc: 14 },
  INGEST_UNAVAILABLE: { status: 503, title: 'Ingest unavailable', grpc: 14 },
  STORAGE_ERROR: { status: 500, title: 'Storage error', grpc: 13 },
  INVALID_CONFIG: { status: 500, title: 'Invalid configuration', grpc: 13 },
  INTERNAL: { status: 500, title: 'Internal error', grpc: 13 },
} as const satisfies Record<string, { status: number; title: string; grpc: number }>;

export type ErrorCode = keyof typeof ERRORS;

export interface PyflareErrorOptions {
  cause?: unknown;
  /** Seconds a client should wait before retrying (sent as Retry-After). */
  retryAfter?: number;
  /** Extra members for the problem document (e.g. the position of a bad query token). */
  details?: Record<string, unknown>;
}

export class PyflareError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly grpcCode: number;
  readonly retryAfter: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: PyflareErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PyflareError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.grpcCode = ERRORS[code].grpc;
    this.retryAfter = options.retryAfter;
    this.details = options.details;
  }
}

export function isPyflareError(e: unknown): e is PyflareError {
  return e instanceof PyflareError;
}

/** A 503 the client is told to retry: expected under load or at shutdown, not a fault. */
export function isRetryableUnavailable(e: PyflareError): boolean {
  return (
    e.code === 'SHUTTING_DOWN' ||
    e.code === 'STORAGE_UNAVAILABLE' ||
    e.code === 'INGEST_UNAVAILABLE'
  );
}

/** RFC 9457 problem document for an error. Internal errors never leak their message. */
export function toProblem(e: PyflareError, instance?: string): Record<string, unknown> {
  const detail =
    e.status >= 500 && !isRetryableUnavailable(e)
      ? 'an internal error occurred; see the server log'
      : e.message;
  return {
    type: `https://pyflare.dev/errors/${e.code.toLowerCase().replaceAll('_', '-')}`,
    title: ERRORS[e.code].title,
    status: e.status,
    code: e.code,
    detail,
    ...(instance ? { instance } : {}),
    ...(e.details ?? {}),
  };
}
