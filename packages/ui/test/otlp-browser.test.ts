/**
 * A web page exporting spans to PyFlare's OTLP/HTTP receiver from another origin, in Debian
 * Chromium: what the OpenTelemetry web SDK's OTLP/HTTP exporter does (a JSON POST with an
 * Authorization header, so a CORS preflight first). The receiver allows the origins in
 * PYFLARE_OTLP_CORS_ORIGINS; a page from any other origin cannot send.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers/running-server.ts';
import { launchBrowser } from './helpers/browser.ts';

let allowedSite: Server;
let otherSite: Server;
let pyflare: TestServer;
let browser: Browser;

/** A site serving one empty page, on a loopback port of its own (so an origin of its own). */
async function site(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost, not 127.0.0.1: a different origin from the receiver's, as a real app's is.
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

let allowedOrigin: string;
let otherOrigin: string;

beforeAll(async () => {
  ({ server: allowedSite, origin: allowedOrigin } = await site());
  ({ server: otherSite, origin: otherOrigin } = await site());
  pyflare = await startTestServer({ otlpCorsOrigins: allowedOrigin });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await pyflare?.stop();
  allowedSite?.close();
  otherSite?.close();
});

/** What the page's exporter does: POST one span as OTLP/JSON; the status, or the error. */
function exportFrom(page: Page, traceId: string): Promise<{ status?: number; error?: string }> {
  return page.evaluate(
    async ({ url, key, traceId }) => {
      const now = BigInt(Date.now()) * 1_000_000n;
      const body = {
        resourceSpans: [
          {
            resource: {
              attributes: [{ key: 'service.name', value: { stringValue: 'web-app' } }],
            },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId,
                    spanId: '0123456789abcdef',
                    name: 'documentLoad',
                    kind: 1,
                    startTimeUnixNano: String(now),
                    endTimeUnixNano: String(now + 5_000_000n),
                  },
                ],
              },
            ],
          },
        ],
      };
      try {
        const res = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(body),
        });
        return { status: res.status, body: await res.text() };
      } catch (e) {
        return { error: String(e) };
      }
    },
    { url: pyflare.otlpHttpUrl, key: pyflare.adminKey, traceId },
  );
}

describe('OTLP/HTTP from a web page', () => {
  it('accepts spans from a page of an allowed origin', async () => {
    const page = await browser.newPage();
    await page.goto(`${allowedOrigin}/`);
    const traceId = 'a1'.repeat(16);
    expect(await exportFrom(page, traceId)).toMatchObject({ status: 200 });
    const res = await pyflare.api(`/api/v1/traces/${traceId}`);
    expect(res.status).toBe(200);
    const { spans } = (await res.json()) as { spans: { name: string; serviceName: string }[] };
    expect(spans).toMatchObject([{ name: 'documentLoad', serviceName: 'web-app' }]);
    await page.close();
  });

  it('refuses a page of another origin, and stores nothing from it', async () => {
    const page = await browser.newPage();
    await page.goto(`${otherOrigin}/`);
    const traceId = 'b2'.repeat(16);
    const result = await exportFrom(page, traceId);
    expect(result.status).toBeUndefined();
    expect(result.error).toMatch(/Failed to fetch/);
    expect((await pyflare.api(`/api/v1/traces/${traceId}`)).status).toBe(404);
    await page.close();
  });
});
