import type { BatchWriter } from '../transport/batch-writer.ts';
import { durableTraceIds } from './durable-trace-ids.ts';
import type { LiveTraces } from './live-traces.ts';

/**
 * The span writer, telling `live` of each trace whose rows became durable (the writer's
 * promise settles only then). The payload is scanned only while someone listens, on a later
 * turn of the event loop, so it never delays or fails the ingest request's answer.
 */
export function tapDurableSpans(writer: BatchWriter, live: LiveTraces): BatchWriter {
  return {
    ...writer,
    get pendingRows() {
      return writer.pendingRows;
    },
    flush: () => writer.flush(),
    close: () => writer.close(),
    async write(payload: Buffer, rows: number): Promise<void> {
      await writer.write(payload, rows);
      if (!live.wants()) return;
      setImmediate(() => {
        for (const [projectId, ids] of durableTraceIds(payload)) live.offer(projectId, ids);
      });
    },
  };
}
