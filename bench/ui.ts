/**
 * UI phase: the built web UI in Debian Chromium against a PyFlare server (its own process,
 * fresh data directory) holding generated data sent over OTLP: ~1,200 small traces and one
 * trace each of 10,000 and 100,000 spans. Measured inside the browser with performance.now()
 * and animation frames, each beside a baseline from the same run:
 *
 * - first load of the app (cold cache, until the first trace row is painted) vs. loading a
 *   bare API response as a page (network, HTTP and navigation floor);
 * - rendering 1,000 trace rows (response received → rows painted) vs. 10 rows;
 * - opening a 10,000- and a 100,000-span trace (navigation → waterfall interactive) vs. a
 *   3-span trace, with the fetch and model-build parts;
 * - scrolling the fully expanded 100,000-span waterfall and expanding/collapsing it (frame
 *   times) vs. idle frames on the same page.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { childInput, childMain, sendToParent, startChild } from './lib/child.ts';
import type { BenchOptions } from './lib/options.ts';
import { quantile } from './lib/stats.ts';
import { bigTrace, send, smallTraces } from './lib/ui-data.ts';
import {
  clickToPaint,
  frameTimes,
  mainThreadTime,
  loadEventEnd,
  navigateToMark,
  PAINT_PROBE,
  paintTime,
  responseEnd,
  rowCountShows,
  staticScrollPage,
} from './lib/ui-page.ts';
import type { ServerInput, ServerReady } from './server.ts';

export interface UiInput {
  options: BenchOptions;
  nowMs: number;
}

export interface UiMeasure {
  name: string;
  /** Median over the runs, ms. */
  ms: number;
  targetMs?: number;
  baseline?: { name: string; ms: number };
  detail?: string;
}

export interface UiResult {
  measures: UiMeasure[];
  smallTraces: number;
  bigTraces: number[];
}

const PASSWORD = 'bench-password-0123456789';
const median = (xs: number[]) => quantile(xs, 0.5);
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

async function waitForTrace(
  api: string,
  key: string,
  traceId: string,
  spans: number,
): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const res = await fetch(`${api}/api/v1/traces?traceId=${traceId}&from=2000-01-01T00:00:00Z`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await res.json()) as { traces?: { spanCount: number }[] };
    if ((body.traces?.[0]?.spanCount ?? 0) >= spans) return;
    if (Date.now() > deadline) throw new Error(`trace ${traceId} did not reach ${spans} spans`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function signedInState(
  browser: Browser,
  api: string,
): Promise<Awaited<ReturnType<BrowserContext['storageState']>>> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${api}/login`);
  await page.getByLabel('Email').fill('admin@localhost');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  const state = await ctx.storageState();
  await ctx.close();
  return state;
}

childMain(async () => {
  const { options } = childInput<UiInput>();
  const runs = options.quick ? 3 : 5;
  const ensure = fileURLToPath(new URL('../packages/ui/scripts/ensure-built.mjs', import.meta.url));
  if (spawnSync(process.execPath, [ensure, '--strict'], { stdio: 'inherit' }).status !== 0)
    throw new Error('UI build failed');

  const dataDir = mkdtempSync(join(tmpdir(), 'pyflare-bench-ui-'));
  const apiKey = `pf_bench_${randomBytes(16).toString('hex')}`;
  const server = startChild('server.ts', {
    dataDir,
    apiKey,
    // BENCH_UI_DIR: serve another build (e.g. an older commit's) to compare two UIs.
    flags: {
      adminPassword: PASSWORD,
      ...(process.env.BENCH_UI_DIR ? { uiDir: process.env.BENCH_UI_DIR } : {}),
    },
  } satisfies ServerInput);
  let browser: Browser | undefined;
  try {
    const { ports } = await server.next<ServerReady>('ready');
    const api = `http://127.0.0.1:${ports.api}`;
    const otlp = `http://127.0.0.1:${ports.otlpHttp}`;

    const now = Date.now();
    const small = 1200;
    console.log(
      `  ui: sending ${small} small traces and traces of 10,000 and 100,000 spans over OTLP/HTTP...`,
    );
    for (const body of smallTraces(small, now, 30 * 60_000)) await send(otlp, apiKey, body);
    const tiny = bigTrace(3, now - 5000);
    const t10k = bigTrace(10_000, now - 4000);
    const t100k = bigTrace(100_000, now - 3000);
    for (const t of [tiny, t10k, t100k])
      for (const body of t.requests) await send(otlp, apiKey, body);
    await waitForTrace(api, apiKey, t100k.traceId, 100_000);
    await waitForTrace(api, apiKey, t10k.traceId, 10_000);

    browser = await chromium.launch({
      executablePath: process.env.PYFLARE_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ARGS,
    });
    const state = await signedInState(browser, api);
    const measures: UiMeasure[] = [];
    const cold = async (fn: (page: Page) => Promise<number>): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        const ctx = await browser!.newContext({
          storageState: state,
          viewport: { width: 1440, height: 900 },
        });
        await ctx.addInitScript(PAINT_PROBE);
        const page = await ctx.newPage();
        out.push(await fn(page));
        await ctx.close();
      }
      return out;
    };

    // 1. First load (cold cache) vs. a bare API response as a page.
    console.log('  ui: first load...');
    const bare = await cold(async (page) => {
      await page.goto(`${api}/api/v1/ready`, { waitUntil: 'load' });
      return loadEventEnd(page);
    });
    let shell: number[] = [];
    const first = await cold(async (page) => {
      await page.goto(`${api}/traces`);
      const row = await paintTime(page, 'row');
      shell.push(await paintTime(page, 'shell'));
      return row;
    });
    measures.push({
      name: 'first load: app shell painted (cold cache)',
      ms: median(shell),
      baseline: { name: 'bare API response as a page', ms: median(bare) },
    });
    measures.push({
      name: 'first load: first trace rows painted',
      ms: median(first),
      targetMs: 1000,
      baseline: { name: 'bare API response as a page', ms: median(bare) },
    });
    shell = [];

    // 2. Rendering N rows: the list's first page asked with limit=N; response end → rows painted.
    const rows = async (n: number) =>
      cold(async (page) => {
        await page.route(/\/api\/v1\/traces\?/, (route) => {
          const url = new URL(route.request().url());
          if (url.searchParams.get('limit') === '100') url.searchParams.set('limit', String(n));
          return route.continue({ url: url.toString() });
        });
        await page.goto(`${api}/traces`);
        const painted = await paintTime(page, 'row');
        await rowCountShows(page, n);
        return painted - (await responseEnd(page, '/api/v1/traces?'));
      });
    console.log('  ui: rendering 1,000 rows...');
    const r10 = await rows(10);
    const r1000 = await rows(1000);
    measures.push({
      name: 'render 1,000 trace rows (response → painted)',
      ms: median(r1000),
      targetMs: 300,
      baseline: { name: 'render 10 rows, same path', ms: median(r10) },
    });

    // 3. Opening traces: navigation start → waterfall interactive (assets cached).
    const ctx = await browser.newContext({
      storageState: state,
      viewport: { width: 1440, height: 900 },
    });
    await ctx.addInitScript(PAINT_PROBE);
    const page = await ctx.newPage();
    await page.goto(`${api}/traces`);
    await paintTime(page, 'row');
    // From the list page (app loaded, the trace's data not yet), as a click on its row does.
    const open = async (traceId: string) => {
      const total: number[] = [];
      const parts: string[] = [];
      for (let i = 0; i < runs; i++) {
        await page.goto(`${api}/traces`);
        await paintTime(page, 'row');
        const nav = await navigateToMark(
          page,
          `/traces/${traceId}`,
          'pyflare:waterfall-interactive',
          ['pyflare:trace-route', 'pyflare:waterfall-fetch'],
        );
        total.push(nav.ms);
        await page.getByTestId('span-row').first().waitFor();
        const d = page.getByTestId('trace-detail');
        const fetchMs = Number(await d.getAttribute('data-fetch-ms'));
        const buildMs = Number(await d.getAttribute('data-build-ms'));
        const fetchAt = nav.steps['pyflare:waterfall-fetch']!;
        parts.push(
          `route rendered at ${nav.steps['pyflare:trace-route']!.toFixed(0)} ms, fetch ${fetchAt.toFixed(0)}–${(fetchAt + fetchMs).toFixed(0)} ms ` +
            `(${await d.getAttribute('data-source')} route), model ${buildMs.toFixed(0)} ms, rows on screen ${(nav.ms - fetchAt - fetchMs - buildMs).toFixed(0)} ms after`,
        );
      }
      return { ms: median(total), detail: parts[parts.length - 1]! };
    };
    console.log('  ui: opening traces...');
    const o3 = await open(tiny.traceId);
    const o10k = await open(t10k.traceId);
    const o100k = await open(t100k.traceId);
    const base3 = { name: 'open a 3-span trace', ms: o3.ms };
    console.log(`  ui: open a 3-span trace ${o3.ms.toFixed(1)} ms: ${o3.detail}`);
    measures.push({
      name: 'open 10,000-span trace (click → interactive)',
      ms: o10k.ms,
      targetMs: 500,
      baseline: base3,
      detail: o10k.detail,
    });
    measures.push({
      name: 'open 100,000-span trace (click → interactive)',
      ms: o100k.ms,
      targetMs: 2000,
      baseline: base3,
      detail: o100k.detail,
    });

    // 4. The 100,000-span waterfall: expand all, collapse all, scroll.
    console.log('  ui: frames in the 100,000-span waterfall...');
    const idle = await frameTimes(page, '[role=tree]', 120, 0);
    const idleMs = median(idle);
    const baseIdle = { name: 'idle frame on the same page', ms: idleMs };
    const expand: number[] = [];
    const collapse: number[] = [];
    for (let i = 0; i < runs; i++) {
      collapse.push(await clickToPaint(page, 'Collapse all'));
      expand.push(await clickToPaint(page, 'Expand all'));
    }
    const rowsInDom = await page.getByTestId('span-row').count();
    const rowCount = await page.getByRole('tree').getAttribute('aria-rowcount');
    measures.push({
      name: 'expand all (→ 100,000 rows), click → painted',
      ms: median(expand),
      targetMs: 100,
      baseline: baseIdle,
    });
    measures.push({
      name: 'collapse all, click → painted',
      ms: median(collapse),
      targetMs: 100,
      baseline: baseIdle,
    });
    const measured = await mainThreadTime(page, () => frameTimes(page, '[role=tree]', 240, 520));
    const scroll = measured.result;
    const perFrame = (k: string) => ((measured.ms[k] ?? 0) / scroll.length).toFixed(1);
    const plain = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await plain.setContent(staticScrollPage(100_000, 26));
    const plainScroll = await frameTimes(plain, '#s', 240, 520);
    await plain.close();
    const dropped = scroll.filter((t) => t > idleMs * 1.5).length;
    measures.push({
      name: `scroll ${rowCount} rows: frame time p50`,
      ms: median(scroll),
      targetMs: 16.7,
      baseline: { name: 'scroll a static page, same height, no script', ms: median(plainScroll) },
      detail:
        `${rowsInDom} rows in the DOM; main thread per frame: tasks ${perFrame('TaskDuration')} ms, script ${perFrame('ScriptDuration')} ms, ` +
        `layout ${perFrame('LayoutDuration')} ms, style ${perFrame('RecalcStyleDuration')} ms; idle frames p50 ${idleMs.toFixed(1)} ms`,
    });
    measures.push({
      name: 'scroll: frame time p95',
      ms: quantile(scroll, 0.95),
      targetMs: 25,
      baseline: { name: 'static page scroll p95', ms: quantile(plainScroll, 0.95) },
      detail: `${dropped} of ${scroll.length} frames over 1.5× idle, max ${Math.max(...scroll).toFixed(1)} ms`,
    });
    await ctx.close();
    await sendToParent('result', {
      measures,
      smallTraces: small,
      bigTraces: [10_000, 100_000],
    } satisfies UiResult);
  } finally {
    await browser?.close();
    server.send('close');
    await server.next('closed').catch(() => undefined);
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
