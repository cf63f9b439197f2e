/**
 * The one error the decoders throw. Whatever the input, `decode*` either returns a
 * request or throws an `OtlpDecodeError`; anything else escaping is a bug.
 *
 * The message names the problem and where it is: a byte offset and the message being
 * read for protobuf, a JSON path for OTLP/JSON. Callers (the OTLP receivers) answer it
 * with HTTP 400 / gRPC INVALID_ARGUMENT.
 */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  /** Byte offset into the protobuf input where the problem was found. */
  readonly offset: number | undefined;
  /** JSON path (e.g. `resourceSpans[0].scopeSpans[1]`) of the offending OTLP/JSON value. */
  readonly path: string | undefined;

  constructor(
    message: string,
    where: { offset?: number; path?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.offset = where.offset;
    this.path = where.path;
  }
}
