/**
 * The one error the decoders throw. Whatever the input, `decode*` either returns a
 * request or throws an `OtlpDecodeError`; anything else escaping is a bug.
 *
 * The message names the problem and where it is: a byte offset and the message being
 * read for protobuf, a JSON path for OTLP/JSON. Callers (the OTLP receivers) answer it
 * with HTTP 400 / gRPC INVALID_ARGUMENT.
 */
export class OtlpDecodeError extends Error {
  override readonly name: string = 'OtlpDecodeError';
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

/**
 * A JSON number beyond 2^53 in a 64-bit integer field, met by a decoder told to refuse them
 * (`wideJsonNumbers: 'refuse'`): `JSON.parse` rounded it, so the value read would not be the
 * one sent. An `OtlpDecodeError`, so that a caller that does not parse again answers 400.
 */
export class WideJsonNumberError extends OtlpDecodeError {
  override readonly name: string = 'WideJsonNumberError';
}
