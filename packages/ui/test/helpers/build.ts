/** Builds the UI once before browser tests (several test processes may race: a lock directory). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/ensure-built.mjs', import.meta.url));
const lock = fileURLToPath(new URL('../../dist.lock', import.meta.url));

export async function ensureUiBuilt(): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 3 minutes is left over from a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for the UI build lock');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    const r = spawnSync(process.execPath, [script, '--quiet', '--strict'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('building the UI failed');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
