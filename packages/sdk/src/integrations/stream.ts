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
  const original = s.iterator;
  let finished = false;
  const once = (f: () => void) => {
    if (finished) return;
    finished = true;
    try {
      f();
    } catch (error) {
      internalError('stream observer', error);
    }
  };
  s.iterator = function (this: unknown) {
    const it = original.call(this);
    // One `then` per event, no async function: each event costs the application a single
    // extra microtask.
    const onResult = (r: IteratorResult<E>): IteratorResult<E> => {
      if (r.done) once(() => observer.onEnd());
      else {
        try {
          observer.onEvent(r.value);
        } catch (error) {
          internalError('stream observer', error);
        }
      }
      return r;
    };
    const onError = (error: unknown): never => {
      once(() => observer.onError(error));
      throw error;
    };
    return {
      next(...args: [] | [undefined]) {
        return it.next(...args).then(onResult, onError);
      },
      async return(value?: unknown) {
        once(() => observer.onCancel());
        return it.return ? it.return(value) : { done: true as const, value: value as E };
      },
      async throw(error?: unknown) {
        once(() => observer.onError(error));
        if (it.throw) return it.throw(error);
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    } as AsyncIterator<E> & AsyncIterable<E>;
  };
  return true;
}
