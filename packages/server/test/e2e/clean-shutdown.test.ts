import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CLEAN_SHUTDOWN_FILE } from '../../src/storage/clean-shutdown.ts';
import { VERSION } from '../../src/version.ts';
import { jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { newAdminKey, newDataDir, startTestServer } from '../helpers/running-server.ts';

/**
 * The mark of a clean stop (storage/clean-shutdown.ts): written when the server stops
 * gracefully, taken when it starts, so only a start after a clean stop skips the check of the
 * duration index. Crashes (no mark) are covered by persistence.test.ts and duration-sort.test.ts.
 */

const REPAIRED = 'duration index checked and repaired';
const SKIPPED = 'duration index complete at the last stop; not checked';

function capture() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    messages: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
    clear: () => void (lines.length = 0),
  };
}

describe('clean stop mark', () => {
  it('lets the start after a clean stop skip the index check, and no other start', async () => {
    const dataDir = newDataDir();
    const adminKey = newAdminKey();
    const mark = join(dataDir, CLEAN_SHUTDOWN_FILE);
    const log = capture();

    const first = await startTestServer({}, { dataDir, adminKey, keepData: true, ...log });
    const { body, traceId } = jsonTrace(3);
    try {
      expect(log.messages()).toContain(REPAIRED);
      expect((await postJson(first.otlpHttpUrl, body, adminKey)).status).toBe(200);
    } finally {
      await first.stop();
    }
    const written = JSON.parse(readFileSync(mark, 'utf8')) as Record<string, unknown>;
    expect(written.version).toBe(VERSION);
    expect(Number.isNaN(Date.parse(String(written.stoppedAt)))).toBe(false);

    log.clear();
    const second = await startTestServer({}, { dataDir, adminKey, keepData: true, ...log });
    try {
      expect(log.messages()).toContain(SKIPPED);
      expect(log.messages()).not.toContain(REPAIRED);
      // Taken while the server runs: a crash now leaves no mark.
      expect(existsSync(mark)).toBe(false);
      const res = await second.api(`/api/v1/traces/${traceId}`);
      expect(res.status).toBe(200);
    } finally {
      await second.stop();
    }
    expect(existsSync(mark)).toBe(true);

    // A torn or foreign file is not a clean stop, and goes.
    writeFileSync(mark, '{"stoppedA');
    log.clear();
    const third = await startTestServer({}, { dataDir, adminKey, keepData: true, ...log });
    try {
      expect(log.messages()).toContain(REPAIRED);
      expect(existsSync(mark)).toBe(false);
    } finally {
      await third.stop();
    }
    writeFileSync(mark, '[]');
    log.clear();
    const fourth = await startTestServer({}, { dataDir, adminKey, ...log });
    try {
      expect(log.messages()).toContain(REPAIRED);
      expect(existsSync(mark)).toBe(false);
    } finally {
      await fourth.stop();
    }
  });
});
