import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openChdb } from '../../src/storage/chdb.ts';
import { CLEAN_SHUTDOWN_FILE } from '../../src/storage/clean-shutdown.ts';
import { VERSION } from '../../src/version.ts';
import { hexId, jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { insertRows, spanRow } from '../helpers/read-db.ts';
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
    expect(written.spanRows).toBe(3);
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

    // Spans written after the stop by something else (an older PyFlare that knows no mark, or
    // the crash simulation below): the mark no longer describes the data.
    const db = openChdb(dataDir);
    await insertRows(db, 'spans', [spanRow({ project_id: 'default', trace_id: hexId(16) })], {
      indexDurations: false,
    });
    await db.close();
    log.clear();
    const changed = await startTestServer({}, { dataDir, adminKey, keepData: true, ...log });
    try {
      expect(log.messages()).toContain(REPAIRED);
    } finally {
      await changed.stop();
    }
    expect(JSON.parse(readFileSync(mark, 'utf8'))).toMatchObject({ spanRows: 4 });

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
    writeFileSync(mark, '{"stoppedAt":"2026-01-01T00:00:00Z","version":"0.1.0"}');
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
