/**
 * A file in the data directory that says the last stop was graceful and left the derived
 * indexes complete, so the next start can skip their repair (the check of `trace_durations`
 * reads every trace: 0.3-0.5 s at 1M traces, and it grows with them).
 *
 * The file is written after storage has closed, and taken (removed, with the directory synced)
 * at start-up before anything is inserted. While a server runs there is no file, so a crash at
 * any point leaves none, and the next start repairs. The mark also holds the number of span
 * rows at the stop: a start that finds another number (something wrote spans in between, such
 * as an older PyFlare that knows no mark) repairs too.
 */
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const CLEAN_SHUTDOWN_FILE = 'clean-shutdown.json';

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const cleanShutdown = z.object({
  stoppedAt: z.string(),
  version: z.string(),
  /** Rows in `spans` at the stop. */
  spanRows: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
export type CleanShutdown = z.infer<typeof cleanShutdown>;

/**
 * The mark of the last stop when it was clean, else undefined; removes the file either way.
 * Throws when it cannot be removed: a start that kept it would let a later crash pass for a
 * clean stop.
 */
export function takeCleanShutdown(dataDir: string): CleanShutdown | undefined {
  const path = join(dataDir, CLEAN_SHUTDOWN_FILE);
  let mark: CleanShutdown | undefined;
  try {
    const parsed = cleanShutdown.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    mark = parsed.success ? parsed.data : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable or torn: not a clean stop, and the file must still go.
    mark = undefined;
  }
  rmSync(path, { force: true });
  syncDirectory(dataDir);
  return mark;
}

/** Records a clean stop: call once storage is closed and every derived row is written. */
export function markCleanShutdown(dataDir: string, version: string, spanRows: number): void {
  const path = join(dataDir, CLEAN_SHUTDOWN_FILE);
  const mark: CleanShutdown = { stoppedAt: new Date().toISOString(), version, spanRows };
  const fd = openSync(path, 'w', 0o600);
  try {
    writeFileSync(fd, `${JSON.stringify(mark)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  syncDirectory(dataDir);
}
