/**
 * The web UI end to end: a real PyFlare server (in-process, real chDB, real OTLP/HTTP),
 * the built UI it serves, and Debian Chromium. One server and one browser for the file;
 * tests run in order and build on each other's data.
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  startTestServer,
  WAIT_MS,
  type TestServer,
} from '../../server/test/helpers/running-server.ts';
import { formatTime, nsToMs } from '../src/lib/format.ts';
import { launchBrowser, screenshot } from './helpers/browser.ts';
import { ensureUiBuilt } from './helpers/build.ts';
import {
  genAiTrace,
  sendTrace,
  wideTrace,
  XSS,
  buildTrace,
  type BuiltTrace,
} from './helpers/otlp.ts';

const PASSWORD = 'correct-horse-battery-staple';
let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const traces: Record<string, BuiltTrace> = {};

async function signIn(p: Page, email: string, password: string): Promise<void> {
  await p.goto(`${server.apiUrl}/`);
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  await p.getByRole('navigation', { name: 'Main' }).waitFor();
}

async function newPage(
  viewport = { width: 1440, height: 900 },
): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport, colorScheme: 'light' });
  const p = await ctx.newPage();
  p.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { ctx, page: p };
}

const rowCount = (p: Page) => p.getByTestId('trace-row').count();
/**
 * Polls until the value matches; the UI updates asynchronously (fetch, render), slowly when the
 * machine is loaded.
 */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: WAIT_MS });

beforeAll(async () => {
  await ensureUiBuilt();
  server = await startTestServer({ adminPassword: PASSWORD });
  browser = await launchBrowser();
  ({ ctx: context, page } = await newPage());

  traces.chat = genAiTrace({ user: 'alice', chatMs: 420 });
  traces.slow = genAiTrace({ user: 'bob', chatMs: 1400, withTool: false });
  traces.billing = buildTrace(
    [
      { spanId: 'r', name: 'POST /invoice', service: 'billing', at: 0, ms: 80, kind: 2 },
      {
        spanId: 'db',
        parent: 'r',
        name: 'INSERT invoices',
        service: 'billing',
        at: 5,
        ms: 60,
        error: true,
      },
    ],
    { env: 'staging' },
  );
  traces.wide = wideTrace(3000);
  for (const t of Object.values(traces)) await sendTrace(server.otlpHttpUrl, server.adminKey, t);
  await eventually(async () => {
    const res = await server.api(
      `/api/v1/traces?limit=50&from=${new Date(Date.now() - 3_600_000).toISOString()}`,
    );
    const body = (await res.json()) as { traces: { traceId: string; spanCount: number }[] };
    const wide = body.traces.find((t) => t.traceId === traces.wide!.traceId);
    return body.traces.length >= 4 && wide?.spanCount === 3000 ? true : undefined;
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('web UI in Chromium', () => {
  it('redirects to sign-in, refuses a wrong password, signs in', async () => {
    await page.goto(`${server.apiUrl}/traces`);
    await page.getByRole('heading', { name: 'Sign in to PyFlare' }).waitFor();
    await screenshot(page, 'login');
    await page.getByLabel('Email').fill('admin@localhost');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Back where the user was going.
    await page.getByTestId('trace-list').waitFor();
    expect(new URL(page.url()).pathname).toBe('/traces');
  });

  it('lists traces sent over OTLP', async () => {
    await poll(() => rowCount(page)).toBeGreaterThanOrEqual(4);
    // The facet counts are of spans, which is said, since they exceed the number of traces.
    expect(await page.getByTestId('facet-sample').textContent()).toMatch(/^Span counts/);
    const ids = await page
      .getByTestId('trace-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')));
    for (const t of Object.values(traces)) expect(ids).toContain(t.traceId);
    await poll(() => page.getByTestId('facet-service').textContent()).toContain('billing');
    await screenshot(page, 'traces');
  });

  it('narrows the list with the query language, and the URL reproduces the view', async () => {
    const box = page.getByTestId('query-input');
    await box.fill('service:billing');
    await box.press('Enter');
    await poll(() => rowCount(page)).toBe(1);
    expect(await page.getByTestId('trace-row').getAttribute('data-trace-id')).toBe(
      traces.billing!.traceId,
    );
    expect(new URL(page.url()).searchParams.get('q')).toBe('service:billing');
    // A syntax error is explained, positioned, and does not run.
    await box.fill('modle:gpt-4o');
    await poll(() => page.locator('#query-error').textContent()).toContain("did you mean 'model'");
    // The same URL in a fresh page gives the same list.
    const { ctx, page: other } = await newPage();
    await other.context().addCookies(await context.cookies());
    await other.goto(page.url());
    await poll(() => rowCount(other)).toBe(1);
    await ctx.close();
  });

  it('saves a query on the server and runs it from the menu', async () => {
    await page.goto(`${server.apiUrl}/traces?q=${encodeURIComponent('status:error')}`);
    await poll(() => rowCount(page)).toBe(1);
    await page.getByRole('button', { name: 'Saved queries' }).click();
    await page.getByRole('button', { name: 'Save current query…' }).click();
    await page.getByLabel('Name').fill('Failing requests');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('dialog', { name: 'Save query' }).waitFor({ state: 'hidden' });
    const savedList = () =>
      page.evaluate(async () => {
        const body = (await (await fetch('/api/v1/saved-queries')).json()) as {
          savedQueries: { name: string; query: string }[];
        };
        return body.savedQueries.map((q) => [q.name, q.query]);
      });
    await poll(savedList).toEqual([['Failing requests', 'status:error']]);
    await page.goto(`${server.apiUrl}/traces`);
    await poll(() => rowCount(page)).toBeGreaterThanOrEqual(4);
    await page.getByRole('button', { name: 'Saved queries' }).click();
    await page.getByRole('button', { name: /^Failing requests/ }).click();
    await poll(() => rowCount(page)).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('status:error');
  });

  it('narrows the list with facets', async () => {
    await page.goto(`${server.apiUrl}/traces`);
    await poll(() => rowCount(page)).toBeGreaterThanOrEqual(4);
    await page.getByRole('checkbox', { name: 'User bob' }).click();
    await poll(() => rowCount(page)).toBe(1);
    expect(await page.getByTestId('trace-row').getAttribute('data-trace-id')).toBe(
      traces.slow!.traceId,
    );
    expect(new URL(page.url()).searchParams.get('q')).toBe('user:bob');
    await page.getByRole('checkbox', { name: 'User bob' }).click();
    await poll(() => rowCount(page)).toBeGreaterThanOrEqual(4);
    await page.getByRole('checkbox', { name: 'Status error' }).click();
    await poll(() => rowCount(page)).toBe(1);
    expect(await page.getByTestId('trace-row').getAttribute('data-trace-id')).toBe(
      traces.billing!.traceId,
    );
  });

  it('opens a trace from anywhere on its row, but not from its checkbox or a text selection', async () => {
    await page.goto(`${server.apiUrl}/traces?q=${encodeURIComponent('user:alice')}`);
    await poll(() => rowCount(page)).toBe(1);
    const row = page.getByTestId('trace-row');
    const traceId = await row.getAttribute('data-trace-id');
    // The checkbox selects; the page stays.
    await row.getByRole('checkbox').click();
    expect(await row.getByRole('checkbox').isChecked()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/traces');
    await row.getByRole('checkbox').click();
    // Selecting the text of a cell (a drag) copies, it does not navigate.
    const services = row.getByRole('cell').nth(3);
    const box = (await services.boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).not.toBe('');
    expect(new URL(page.url()).pathname).toBe('/traces');
    await page.evaluate(() => window.getSelection()?.removeAllRanges());
    // A plain click on a cell that is not the link opens the trace.
    await row.getByRole('cell').nth(4).click();
    await page.getByTestId('waterfall').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/traces/${traceId}`);
  });

  it('opens a trace: waterfall, chat transcript, and span content rendered as text', async () => {
    await page.goto(`${server.apiUrl}/traces?q=${encodeURIComponent('user:alice')}`);
    await poll(() => rowCount(page)).toBe(1);
    await page.getByTestId('trace-row').getByRole('link').click();
    await page.getByTestId('waterfall').waitFor();
    await poll(() => page.getByTestId('span-row').count()).toBe(5);
    const names = await page
      .getByTestId('span-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
    expect(names[0]).toMatch(/^POST \/chat gateway/);
    expect(await page.getByTestId('trace-summary').textContent()).toMatch(/Spans\s*5(?!\d)/);
    await page.getByRole('treeitem', { name: /^chat gpt-4o/ }).click();
    const detail = page.getByTestId('span-detail');
    const transcript = detail.getByTestId('chat-transcript');
    await transcript.waitFor();
    const roles = await transcript
      .locator('li[data-role]')
      .evaluateAll((li) => li.map((l) => l.getAttribute('data-role')));
    expect(roles).toEqual(['system', 'user', 'assistant']);
    await poll(() => transcript.textContent()).toContain('get_weather');
    // The hostile prompt is visible as characters, and no element or script came of it.
    expect(await transcript.textContent()).toContain(XSS);
    expect(await detail.locator('img').count()).toBe(0);
    await detail.getByText('Render markdown (sanitized)').click();
    // The sanitizer's code loads on first use; then the content is rendered markdown.
    await transcript.locator('.md').first().waitFor();
    expect(await detail.locator('img').count()).toBe(0);
    // Raw HTML inside markdown is shown as its characters too.
    await poll(() => transcript.textContent()).toContain(XSS);
    expect(await transcript.textContent()).toContain('What is the weather in Paris?');
    expect(dialogs).toEqual([]);
    await screenshot(page, 'trace-detail');
    // Typed attributes and raw JSON.
    await detail.getByRole('tab', { name: /Attributes/ }).click();
    expect(await detail.getByRole('table', { name: 'Attributes' }).textContent()).toContain(
      'gen_ai.request.temperature',
    );
    // Collapse and expand.
    await page.getByRole('button', { name: 'Collapse invoke_agent weather' }).click();
    await poll(() => page.getByTestId('span-row').count()).toBe(2);
    await page.getByRole('button', { name: 'Expand invoke_agent weather' }).click();
    await poll(() => page.getByTestId('span-row').count()).toBe(5);
    // Search within the trace highlights and counts.
    await page.getByLabel('Search in trace').fill('retrieve');
    await page.getByLabel('Search in trace').press('Enter');
    await poll(() => page.getByTestId('find-count').textContent()).toBe('1 of 1');
    // By content (the prompt) and by attribute, which the server searches.
    await page.getByLabel('Search in trace').fill('weather in paris');
    await page.getByLabel('Search in trace').press('Enter');
    await poll(() => page.getByTestId('find-count').textContent()).toBe('1 of 1');
    expect(await page.getByRole('treeitem', { selected: true }).getAttribute('aria-label')).toMatch(
      /^chat gpt-4o/,
    );
    await page.getByLabel('Search in trace').fill('attr.http.route:/chat');
    await page.getByLabel('Search in trace').press('Enter');
    await poll(() =>
      page.getByRole('treeitem', { selected: true }).getAttribute('aria-label'),
    ).toMatch(/^POST \/chat/);
    // Flame graph.
    await page.getByRole('radio', { name: 'Flame graph' }).click();
    await page.getByTestId('flame-graph').waitFor();
    await screenshot(page, 'flame-graph');
  });

  it("names a span's content by what it is: a tool's arguments and result, an embedding's input", async () => {
    const t = buildTrace([
      { spanId: 'r', name: 'POST /ask', service: 'content-svc', at: 0, ms: 90, kind: 2 },
      {
        spanId: 'tool',
        parent: 'r',
        name: 'execute_tool lookup_order',
        service: 'content-svc',
        at: 5,
        ms: 20,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'lookup_order',
          'gen_ai.tool.call.arguments': '{"order":"A-17"}',
          'gen_ai.tool.call.result': '{"status":"shipped"}',
        },
      },
      {
        spanId: 'emb',
        parent: 'r',
        name: 'embeddings text-embedding-3-small',
        service: 'content-svc',
        at: 30,
        ms: 15,
        kind: 3,
        attributes: {
          'gen_ai.operation.name': 'embeddings',
          'gen_ai.request.model': 'text-embedding-3-small',
          'gen_ai.prompt': 'where is my order',
        },
      },
      {
        spanId: 'ret',
        parent: 'r',
        name: 'retrieve orders-kb',
        service: 'content-svc',
        at: 50,
        ms: 10,
        attributes: {
          'gen_ai.operation.name': 'retrieval',
          'gen_ai.retrieval.query.text': 'where is my order',
          'gen_ai.retrieval.documents': JSON.stringify([
            { id: 'kb-1', content: 'Orders ship within two days.', score: 0.91 },
          ]),
        },
      },
    ]);
    await sendTrace(server.otlpHttpUrl, server.adminKey, t);
    await page.goto(`${server.apiUrl}/traces/${t.traceId}`);
    await poll(() => page.getByTestId('span-row').count()).toBe(4);
    const detail = page.getByTestId('span-detail');
    const headings = () => detail.getByTestId('prompt-completion').locator('h3').allTextContents();

    await page.getByRole('treeitem', { name: /^execute_tool lookup_order/ }).click();
    await detail.getByRole('tab', { name: 'Arguments & result' }).click();
    expect((await headings()).map((h) => h.toLowerCase())).toEqual(['arguments', 'result']);
    expect(await detail.getByTestId('prompt-completion').textContent()).toContain('shipped');
    // JSON arguments are indented, one key per line.
    expect(await detail.getByTestId('prompt-completion').innerText()).toContain(
      '{\n  "order": "A-17"\n}',
    );
    await screenshot(page, 'span-tool-content');

    await page.getByRole('treeitem', { name: /^embeddings text-embedding-3-small/ }).click();
    await detail.getByRole('tab', { name: 'Input' }).click();
    // An embedding's output is vectors: no empty "completion" beside its input.
    expect((await headings()).map((h) => h.toLowerCase())).toEqual(['input']);
    expect(await detail.getByTestId('prompt-completion').textContent()).toContain(
      'where is my order',
    );

    // A retrieval opens on its documents; its query is the next tab.
    await page.getByRole('treeitem', { name: /^retrieve orders-kb/ }).click();
    const tabs = detail.getByRole('tab');
    await poll(async () => (await tabs.allTextContents()).slice(0, 2)).toEqual([
      'Documents1',
      'Query',
    ]);
    expect(await detail.getByRole('tab', { selected: true }).textContent()).toContain('Documents');
    expect(await detail.textContent()).toContain('Orders ship within two days.');
    await detail.getByRole('tab', { name: 'Query' }).click();
    expect((await headings()).map((h) => h.toLowerCase())).toEqual(['query']);
  });

  it('keeps only visible rows of a 3,000-span trace in the DOM', async () => {
    await page.goto(`${server.apiUrl}/traces/${traces.wide!.traceId}`);
    await page.getByTestId('waterfall').waitFor();
    const tree = page.getByRole('tree', { name: 'Span waterfall' });
    await poll(() => tree.getAttribute('aria-rowcount')).toBe('3000');
    const inDom = await page.getByTestId('span-row').count();
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(120);
    await tree.evaluate((el) => (el.scrollTop = 40_000));
    await poll(() => page.getByTestId('span-row').first().getAttribute('data-span-id')).not.toBe(
      traces.wide!.spanIds[0],
    );
  });

  it('says so when a page’s code cannot be loaded, and a reload recovers', async () => {
    const { ctx, page: p } = await newPage();
    await signIn(p, 'admin@localhost', PASSWORD);
    // The compare page's chunk fails as it would after a redeploy removed it.
    await p.route('**/assets/ComparePage-*.js', (r) => r.fulfill({ status: 404, body: '' }));
    await p.evaluate((path) => {
      history.pushState({}, '', path);
      dispatchEvent(new PopStateEvent('popstate'));
    }, `/compare?a=${traces.chat!.traceId}&b=${traces.slow!.traceId}`);
    await p.getByText('This page could not be loaded').waitFor();
    await p.unroute('**/assets/ComparePage-*.js');
    await p.getByRole('button', { name: 'Reload' }).click();
    await p.getByTestId('diff-rows').waitFor();
    await ctx.close();
  });

  it('compares two traces', async () => {
    // Without ids the page says how to pick them, and points at the list.
    await page.goto(`${server.apiUrl}/compare`);
    const hint = page.getByTestId('compare-hint');
    await hint.waitFor();
    expect(await hint.getByRole('link', { name: 'trace list' }).getAttribute('href')).toBe(
      '/traces',
    );
    await page.goto(`${server.apiUrl}/compare?a=${traces.chat!.traceId}&b=${traces.slow!.traceId}`);
    await page.getByTestId('diff-rows').waitFor();
    await poll(() => page.getByTestId('diff-row').count()).toBe(5);
    const statuses = await page
      .getByTestId('diff-row')
      .evaluateAll((r) => r.map((x) => x.getAttribute('data-status')));
    expect(statuses.filter((s) => s === 'removed')).toHaveLength(1);
    expect(await page.getByTestId('diff-counts').textContent()).toContain('1 removed');
    expect(await page.getByTestId('diff-counts').textContent()).toMatch(/[1-9] slower/);
    await page.getByTestId('diff-row').filter({ hasText: 'chat gpt-4o' }).click();
    await page.getByTestId('attribute-diff').waitFor();
    await screenshot(page, 'compare');
  });

  it('header live indicator: connecting then live after a password sign-in, off with a key', async () => {
    const { ctx, page: p } = await newPage();
    await signIn(p, 'admin@localhost', PASSWORD);
    // A page with no live subscription of its own (the home page has one, which connects at once).
    await p.goto(`${server.apiUrl}/traces`);
    await p.getByRole('navigation', { name: 'Main' }).waitFor();
    const indicator = p.getByTestId('connection-indicator');
    // Read at once: the socket waits a moment after the page comes up, and that moment is not offline.
    expect(await indicator.textContent()).toMatch(/^(Connecting|Live)$/);
    await poll(() => indicator.getAttribute('data-status')).toBe('open');
    expect(await indicator.textContent()).toBe('Live');
    await ctx.close();

    const { ctx: keyCtx, page: k } = await newPage();
    const sockets: string[] = [];
    k.on('websocket', (ws) => sockets.push(ws.url()));
    await k.goto(`${server.apiUrl}/`);
    await k.getByRole('button', { name: 'Sign in with an API key instead' }).click();
    await k.getByLabel('API key').fill(server.adminKey);
    await k.getByRole('button', { name: 'Sign in', exact: true }).click();
    await k.getByRole('navigation', { name: 'Main' }).waitFor();
    const keyIndicator = k.getByTestId('connection-indicator');
    expect(await keyIndicator.getAttribute('data-status')).toBe('key-auth');
    expect(await keyIndicator.textContent()).toBe('Live off');
    expect(await keyIndicator.getAttribute('title')).toBe('Live updates need a password sign-in');
    // The trace list's Live button says why it is off, rather than "streaming" nothing.
    await k.goto(`${server.apiUrl}/traces?live=1`);
    await k.getByTestId('live-bar').waitFor();
    expect(await k.getByTestId('live-bar').textContent()).toContain(
      'Live updates need a password sign-in',
    );
    expect(await k.getByRole('button', { name: 'Live', exact: true }).isDisabled()).toBe(true);
    // …and the way out of a mode it cannot be in.
    await k.getByTestId('live-bar').getByRole('button', { name: 'Close' }).click();
    await poll(() => k.getByTestId('live-bar').count()).toBe(0);
    expect(new URL(k.url()).searchParams.has('live')).toBe(false);
    // The home page subscribes too: no socket is attempted at all (it would be refused, then
    // retried for ever). Past the indicator's connect delay, there is still none.
    await k.goto(`${server.apiUrl}/`);
    await k.getByRole('navigation', { name: 'Main' }).waitFor();
    await k.waitForTimeout(2500);
    expect(sockets).toEqual([]);
    await keyCtx.close();
  });

  it('an unknown address says so and links back', async () => {
    await page.goto(`${server.apiUrl}/no/such/page`);
    await page.getByText('Page not found').waitFor();
    expect(await page.getByText('Nothing lives at').textContent()).toContain('/no/such/page');
    await page.getByRole('main').getByRole('link', { name: 'Traces' }).click();
    await page.getByTestId('trace-list').waitFor();
  });

  it('streams a new trace into the open list over the WebSocket', async () => {
    await page.goto(`${server.apiUrl}/traces?live=1&q=${encodeURIComponent('service:live-svc')}`);
    await page.getByTestId('live-bar').waitFor();
    await poll(() => page.getByTestId('connection-indicator').getAttribute('data-status')).toBe(
      'open',
    );
    expect(await rowCount(page)).toBe(0);
    // Another service's trace does not match the filter; this one does.
    await sendTrace(
      server.otlpHttpUrl,
      server.adminKey,
      buildTrace([{ name: 'GET /other', service: 'other-svc', at: 0, ms: 5 }]),
    );
    const live = buildTrace([
      { name: 'GET /live', service: 'live-svc', at: 0, ms: 12, error: true },
    ]);
    await sendTrace(server.otlpHttpUrl, server.adminKey, live);
    await poll(() => page.getByTestId('trace-row').getAttribute('data-trace-id')).toBe(
      live.traceId,
    );
    expect(await rowCount(page)).toBe(1);
    expect(await page.getByTestId('live-bar').textContent()).toContain('1 received');
    // Paused: new traces wait behind the Resume button.
    await page.getByRole('button', { name: 'Pause' }).click();
    const next = buildTrace([{ name: 'GET /live2', service: 'live-svc', at: 0, ms: 3 }]);
    await sendTrace(server.otlpHttpUrl, server.adminKey, next);
    await poll(() => page.getByRole('button', { name: /Resume/ }).textContent()).toContain('1 new');
    expect(await rowCount(page)).toBe(1);
    await page.getByRole('button', { name: /Resume/ }).click();
    await poll(() => rowCount(page)).toBe(2);
    await screenshot(page, 'traces-live');
  });

  it('moves between the settings sections by their tabs, the current one marked', async () => {
    await page.goto(`${server.apiUrl}/settings`);
    const nav = page.getByRole('navigation', { name: 'Settings sections' });
    await poll(async () => new URL(page.url()).pathname).toBe('/settings/project');
    await poll(() => nav.getByRole('link', { name: 'Project' }).getAttribute('aria-current')).toBe(
      'page',
    );
    await nav.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('table', { name: 'Users' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/users');
    expect(await nav.getByRole('link', { name: 'Users' }).getAttribute('aria-current')).toBe(
      'page',
    );
    await nav.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('table', { name: 'API keys' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/settings/keys');
    // An unknown section lands on the project's settings, not on a blank page.
    await page.goto(`${server.apiUrl}/settings/nope`);
    await poll(async () => new URL(page.url()).pathname).toBe('/settings/project');
  });

  it('creates an API key (shown once) and revokes it', async () => {
    await page.goto(`${server.apiUrl}/settings/keys`);
    await page.getByRole('table', { name: 'API keys' }).waitFor();
    const before = await page.getByTestId('key-row').count();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByLabel('Name').fill('ui-test-key');
    await page.getByRole('checkbox', { name: /read/ }).check();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = (await page.getByTestId('new-key-secret').textContent()) ?? '';
    expect(secret).toMatch(/^pf_/);
    // The key works against the API.
    const res = await server.api('/api/v1/traces?limit=1', { key: secret });
    expect(res.status).toBe(200);
    await page.getByRole('button', { name: 'Done' }).click();
    await poll(() => page.getByTestId('key-row').count()).toBe(before + 1);
    await screenshot(page, 'settings-keys');
    await page.getByRole('button', { name: 'Revoke ui-test-key' }).click();
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await poll(() => page.getByTestId('key-row').count()).toBe(before);
    await eventually(async () =>
      (await server.api('/api/v1/traces?limit=1', { key: secret })).status === 401
        ? true
        : undefined,
    );
  });

  it('shows a viewer a read-only UI, and the server refuses them too', async () => {
    const created = await server.api('/api/v1/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'viewer@example.com',
        name: 'Vera Viewer',
        password: PASSWORD,
        role: 'viewer',
      }),
    });
    expect(created.status).toBe(201);
    const { ctx, page: v } = await newPage();
    await signIn(v, 'viewer@example.com', PASSWORD);
    await v.goto(`${server.apiUrl}/settings/keys`);
    await v.getByRole('table', { name: 'API keys' }).or(v.getByRole('alert')).first().waitFor();
    expect(await v.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    expect(await v.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    const status = await v.evaluate(async () => {
      const csrf =
        document.cookie
          .split('; ')
          .find((c) => c.startsWith('pyflare_csrf='))
          ?.slice(13) ?? '';
      const r = await fetch('/api/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ name: 'nope', scopes: ['read'] }),
      });
      return r.status;
    });
    expect(status).toBe(403);
    await v.goto(`${server.apiUrl}/settings/project`);
    await v.getByText('Only admins can see and change project settings').waitFor();
    expect(await v.getByRole('button', { name: 'Save changes' }).count()).toBe(0);
    // Sign out from the user menu.
    await v.getByRole('button', { name: 'User menu' }).click();
    await v.getByRole('menuitem', { name: 'Sign out' }).click();
    await v.getByRole('heading', { name: 'Sign in to PyFlare' }).waitFor();
    const me = await v.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
    expect(me).toBe(401);
    await ctx.close();
  });

  it('keeps the theme across reloads', async () => {
    await page.goto(`${server.apiUrl}/`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForTimeout(300);
    await screenshot(page, 'home-dark');
    await page.goto(
      `${server.apiUrl}/traces/${traces.chat!.traceId}?span=${traces.chat!.spanIds[3]}`,
    );
    await page.getByTestId('chat-transcript').waitFor();
    await screenshot(page, 'trace-detail-dark');
    await page.getByTestId('theme-toggle').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  });

  it('works on a phone-sized screen', async () => {
    const { ctx, page: m } = await newPage({ width: 390, height: 844 });
    await m.context().addCookies(await context.cookies());
    await m.goto(`${server.apiUrl}/traces`);
    await m.getByTestId('trace-list').waitFor();
    await screenshot(m, 'phone-traces');
    await m.getByRole('button', { name: 'Open menu' }).click();
    await screenshot(m, 'phone-menu');
    await m.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await m.getByTestId('stat-requests').waitFor();
    await screenshot(m, 'phone-home');
    await m.goto(`${server.apiUrl}/traces/${traces.chat!.traceId}?span=${traces.chat!.spanIds[3]}`);
    await m.getByTestId('chat-transcript').waitFor();
    await screenshot(m, 'phone-span');
    await m.getByRole('button', { name: 'Close span detail' }).click();
    await m.getByTestId('waterfall').waitFor();
    await screenshot(m, 'phone-trace');
    await ctx.close();
  });

  it('keeps the time ruler legible as the timeline narrows', async () => {
    const { ctx, page: p } = await newPage({ width: 1440, height: 900 });
    await p.context().addCookies(await context.cookies());
    await p.goto(`${server.apiUrl}/traces/${traces.chat!.traceId}`);
    await p.getByTestId('waterfall').waitFor();
    // Labels that are not a clear gap (12 px) apart read as one string ("200 ms400 ms").
    const overlaps = () =>
      p.getByTestId('ruler').evaluate((ruler) => {
        const boxes = [...ruler.children].map((c) => c.getBoundingClientRect());
        let n = 0;
        for (let i = 1; i < boxes.length; i++) {
          const text = ruler.children[i - 1]!.firstChild as Text;
          const range = document.createRange();
          range.selectNodeContents(text);
          if (range.getBoundingClientRect().right + 12 > boxes[i]!.left) n++;
        }
        return { labels: boxes.length, overlaps: n, width: ruler.clientWidth };
      });
    const wide = await overlaps();
    expect(wide.labels).toBeGreaterThanOrEqual(4);
    expect(wide.overlaps).toBe(0);
    // A laptop-sized window with the span detail beside the waterfall leaves the timeline
    // ~200 px: fewer labels, still apart.
    await p.setViewportSize({ width: 1024, height: 900 });
    await p.goto(`${server.apiUrl}/traces/${traces.chat!.traceId}?span=${traces.chat!.spanIds[3]}`);
    await p.getByTestId('span-detail').waitFor();
    const narrow = await overlaps();
    expect(narrow.width).toBeLessThan(300);
    expect(narrow.labels).toBeGreaterThanOrEqual(2);
    expect(narrow.overlaps).toBe(0);
    await ctx.close();
  });

  it('shows a trace of one instant span as 0 ns long, with a ruler that repeats no label', async () => {
    // What `logLabel()` sends: a single span that starts and ends at the same nanosecond.
    const instant = buildTrace([
      { spanId: 'l', name: 'label fraud-detector', service: 'risk-scoring', at: 0, ms: 0 },
    ]);
    await sendTrace(server.otlpHttpUrl, server.adminKey, instant);
    await eventually(async () =>
      (await server.api(`/api/v1/traces/${instant.traceId}`)).ok ? true : undefined,
    );
    await page.goto(`${server.apiUrl}/traces/${instant.traceId}`);
    await page.getByTestId('waterfall').waitFor();
    // The summary said "Duration 1 ns" (the timeline's least width), the list 0 ns.
    expect(await page.getByTestId('trace-summary').textContent()).toMatch(/Duration\s*0 ns/);
    const labels = await page
      .getByTestId('ruler')
      .evaluate((ruler) => [...ruler.children].map((c) => c.textContent));
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('opens the command palette and jumps to a trace by id', async () => {
    await page.goto(`${server.apiUrl}/`);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.keyboard.press('Control+K');
    await page.getByLabel('Command', { exact: true }).fill(traces.billing!.traceId);
    await page.keyboard.press('Enter');
    await page.getByTestId('waterfall').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/traces/${traces.billing!.traceId}`);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('applies the density and time zone preferences to lists, the waterfall and times', async () => {
    // A browser in New York: local time differs from the chosen zone.
    const ctx = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      colorScheme: 'light',
      timezoneId: 'America/New_York',
    });
    await ctx.addCookies(await context.cookies());
    const p = await ctx.newPage();
    const id = traces.billing!.traceId;
    const res = await server.api(`/api/v1/traces?traceId=${id}&from=2000-01-01T00:00:00Z`);
    const startMs = nsToMs(
      ((await res.json()) as { traces: { startTimeUnixNano: string }[] }).traces[0]!
        .startTimeUnixNano,
    );
    const listRow = async () => {
      await p.goto(`${server.apiUrl}/traces?q=service:billing`);
      await poll(() => rowCount(p)).toBe(1);
      const row = p.getByTestId('trace-row');
      return {
        time: await row.getByRole('cell').nth(1).textContent(),
        box: await row.boundingBox(),
      };
    };
    const waterfall = async () => {
      await p.getByTestId('trace-row').getByRole('link').click();
      await p.getByTestId('waterfall').waitFor();
      return {
        started: await p.getByTestId('trace-summary').textContent(),
        box: await p.getByTestId('span-row').first().boundingBox(),
      };
    };

    // Defaults: comfortable rows, the browser's local time.
    let list = await listRow();
    expect(list.time).toBe(formatTime(startMs, { timeZone: 'America/New_York' }).slice(5));
    expect(list.box?.height).toBe(36);
    let trace = await waterfall();
    expect(trace.box?.height).toBe(26);

    // Chosen on the settings page, stored on the server.
    await p.goto(`${server.apiUrl}/settings/preferences`);
    const isSave = (r: Response) =>
      r.url().endsWith('/auth/me/preferences') && r.request().method() === 'PUT';
    const saved = () => p.waitForResponse(isSave);
    // Two changes in a row, the second made before the first is answered: both are kept.
    const bothSaved = new Promise<void>((resolve) => {
      let answered = 0;
      const onResponse = (r: Response) => {
        if (isSave(r) && ++answered === 2) {
          p.off('response', onResponse);
          resolve();
        }
      };
      p.on('response', onResponse);
    });
    await p.getByLabel('Time zone').selectOption('Asia/Tokyo');
    await p.getByLabel('Density').selectOption('compact');
    await bothSaved;
    // The page applies the saved preference once its answer is handled, a moment after it
    // arrives: wait for it rather than read it at once.
    await poll(() => p.evaluate(() => document.documentElement.dataset.density)).toBe('compact');

    // Applied after a reload too (the session's preferences come with /auth/me).
    await p.reload();
    list = await listRow();
    const tokyo = formatTime(startMs, { timeZone: 'Asia/Tokyo' });
    expect(list.time).toBe(tokyo.slice(5));
    expect(list.box?.height).toBe(28);
    await screenshot(p, 'prefs-compact-traces');
    trace = await waterfall();
    expect(trace.box?.height).toBe(20);
    expect(trace.started).toContain(tokyo.slice(0, 19));
    await p.getByRole('treeitem', { name: /^INSERT invoices/ }).click();
    await poll(() => p.getByTestId('span-detail').textContent()).toContain(tokyo.slice(11, 16));
    await screenshot(p, 'prefs-compact-trace');

    // Back to comfortable rows for anything after this test.
    await p.goto(`${server.apiUrl}/settings/preferences`);
    const done = saved();
    await p.getByLabel('Density').selectOption('comfortable');
    await done;
    await ctx.close();
  });
});
