import type { Context } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type {
  ReadableSpan,
  Span,
  SpanExporter,
  SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { applyContextAttributes } from './context.ts';
import { count, describe, warnOnce } from './log.ts';

/**
 * The export side of the SDK, built so that PyFlare being down, slow or refusing never reaches
 * the application: spans leave the application's call path when they end (a push into a
 * bounded queue), and every failure after that is counted and logged, never raised.
 */

/** Spans ended and waiting in the batch processor's buffer (forwarded, not yet exported). */
export interface QueueGauge {
  queued: number;
}

/** Counts exported and dropped spans, and logs failures once a minute. */
export class CountingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly target: string,
    private readonly gauge: QueueGauge,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const n = spans.length;
    // The batch processor took these spans out of its buffer to call us.
    this.gauge.queued = Math.max(0, this.gauge.queued - n);
    let done = false;
    const finish = (result: ExportResult) => {
      if (done) return;
      done = true;
      if (result.code === ExportResultCode.SUCCESS) {
        count('exportedSpans', n);
      } else {
        count('droppedSpans', n);
        count('failedExports');
        warnOnce(
          'export',
          `could not export ${n} spans to ${this.target}: ${describe(result.error)} ` +
            `(dropped and counted; the application is not affected)`,
        );
      }
      try {
        resultCallback(result);
      } catch {
        // the processor's callback is not ours to fail
      }
    };
    try {
      this.inner.export(spans, finish);
    } catch (error) {
      finish({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown().catch(() => undefined);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.().catch(() => undefined) ?? Promise.resolve();
  }
}

/**
 * In front of the batch processor: writes the context's user, session and tags on each span as
 * it starts, bounds the spans waiting for export and counts what it turns away. The batch processor drops a full queue's spans too, but says so only through the
 * OTel diagnostic logger; this makes the drop visible in `stats()`.
 */
export class BoundedProcessor implements SpanProcessor {
  constructor(
    private readonly inner: SpanProcessor,
    private readonly gauge: QueueGauge,
    private readonly maxQueueSize: number,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    applyContextAttributes(span, parentContext);
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // Only sampled spans are queued by the batch processor.
    if ((span.spanContext().traceFlags & 1) === 0) return;
    if (this.gauge.queued >= this.maxQueueSize) {
      count('queueFullDrops');
      count('droppedSpans');
      warnOnce(
        'queue',
        `span queue full (${this.maxQueueSize} spans waiting for export): new spans are dropped ` +
          `and counted until PyFlare catches up`,
      );
      return;
    }
    this.gauge.queued++;
    this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
