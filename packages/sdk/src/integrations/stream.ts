import { internalError } from '../log.ts';

/**
 * Observing a Stainless SDK stream (openai, @anthropic-ai/sdk) without replacing it: the
 * `Stream` object the application receives stays the same object (its `controller`, `tee()`,
 * `toReadableStream()` keep working); its `iterator` factory, which every one of those reads
 * through, is wrapped on the instance so each event is seen once as it passes.
 */

export interface StreamObserver<E> {
  onEvent(event: E): void;
  /** The stream ended normally. */
  onEnd(): void;
  /** Iteration failed (the error is passed on to the application unchanged). */
  onError(error: unknown): void;
  /** The application stopped early (`break`, `return()`, abort). */
  onCancel(): void;
}

/** Wraps `stream.iterator` in place. Returns false when `stream` is not such a stream. */
export function observeStream<E>(stream: unknown, observer: StreamObserver<E>): boolean {
  const s = stream as { iterator?: () => AsyncIterator<E> };
  if (!s || typeof s.iterator !== 'function') return false;
  const tap = new StreamTap(observer);
  const original = s.iterator;
  s.iterator = function (this: unknown) {
    return new ObservedIterator(original.call(this), tap);
  };
  return true;
}

/**
 * The observer of one stream and whether it has finished. Hot path (every chunk of every
 * stream): plain classes, no closures made per stream or per chunk; the two handlers of the
 * per-chunk `then` are made once per stream.
 */
class StreamTap<E> {
  private finished = false;
  readonly onResult: (r: IteratorResult<E>) => IteratorResult<E>;
  readonly onError: (error: unknown) => never;

  constructor(private readonly observer: StreamObserver<E>) {
    this.onResult = (r) => {
      if (r.done) this.finish(0, undefined);
      else {
        try {
          this.observer.onEvent(r.value);
        } catch (error) {
          internalError('stream observer', error);
        }
      }
      return r;
    };
    this.onError = (error) => {
      this.finish(1, error);
      throw error;
    };
  }

  /** Calls the observer's end (0), error (1) or cancel (2) handler, once per stream. */
  finish(how: 0 | 1 | 2, error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    try {
      if (how === 0) this.observer.onEnd();
      else if (how === 1) this.observer.onError(error);
      else this.observer.onCancel();
    } catch (e) {
      internalError('stream observer', e);
    }
  }
}

/**
 * The stream's own iterator, with each result seen once as it passes: one `then` per event, no
 * async function, so each event costs the application a single extra microtask.
 */
class ObservedIterator<E> implements AsyncIterableIterator<E> {
  constructor(
    private readonly it: AsyncIterator<E>,
    private readonly tap: StreamTap<E>,
  ) {}

  next(value?: unknown): Promise<IteratorResult<E>> {
    const tap = this.tap;
    // `for await` calls next() without an argument; passed on as given, with no rest array.
    const r = arguments.length === 0 ? this.it.next() : this.it.next(value as undefined);
    return r.then(tap.onResult, tap.onError);
  }

  async return(value?: unknown): Promise<IteratorResult<E>> {
    this.tap.finish(2, undefined);
    return this.it.return ? this.it.return(value) : { done: true as const, value: value as E };
  }

  async throw(error?: unknown): Promise<IteratorResult<E>> {
    this.tap.finish(1, error);
    if (this.it.throw) return this.it.throw(error);
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<E> {
    return this;
  }
}
