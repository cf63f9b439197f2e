import { describe, expect, it } from 'vitest';
import { jsonTrace, postJson } from '../helpers/otlp-json.ts';
import { startTestServer } from '../helpers/running-server.ts';

describe('auth disabled', () => {
  it('treats every local caller as admin of the default project', async () => {
    const local = await startTestServer({ auth: 'disabled' });
    try {
      const { body, traceId } = jsonTrace(2);
      expect((await postJson(local.otlpHttpUrl, body, null)).status).toBe(200);
      expect((await local.api(`/api/v1/traces/${traceId}`, { key: null })).status).toBe(200);
    } finally {
      await local.stop();
    }
  });
});
