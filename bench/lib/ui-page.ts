/**
 * In-page measurements for the UI benchmark, run inside Chromium with performance.now():
 * when the first trace row was painted, frame times of a scroll, the cost of one click.
 * The page code is plain JavaScript text (the bench's TypeScript has no DOM library).
 */
import type { Page } from 'playwright-core';

/** Installed before any page script: records when the first element matching a selector is painted. */
export const PAINT_PROBE = `(() => {
  window.__paint = {};
  const watch = (name, selector) => {
    const mo = new MutationObserver(() => {
      if (window.__paint[name] !== undefined || !document.querySelector(selector)) return;
      window.__paint[name] = -1;
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__paint[name] = performance.now(); }));
    });
    mo.observe(document, { childList: true, subtree: true });
  };
  watch('shell', 'nav[aria-label="Main"]');
  watch('row', '[data-testid="trace-row"]');
  watch('span', '[data-testid="span-row"]');
})();`;

/** The little of the page's globals that the predicates read (no DOM library here). */
interface Probe {
  __paint?: Record<string, number>;
  document: { querySelector(s: string): { textContent: string | null } | null };
}

const call = <T>(page: Page, fn: string, arg: unknown): Promise<T> =>
  page.evaluate(`(${fn})(${JSON.stringify(arg)})`) as Promise<T>;

export async function paintTime(page: Page, name: string, timeoutMs = 60_000): Promise<number> {
  // Predicates are functions, not strings: the page's CSP forbids eval.
  await page.waitForFunction(
    (n) => ((globalThis as unknown as Probe).__paint?.[n] ?? -1) > 0,
    name,
    { timeout: timeoutMs },
  );
  return call<number>(page, '(n) => window.__paint[n]', name);
}

/** responseEnd of the first resource whose URL contains `part` (ms since navigation start). */
export function responseEnd(page: Page, part: string): Promise<number> {
  return call<number>(
    page,
    `(p) => { const e = performance.getEntriesByType('resource').find((r) => r.name.includes(p)); return e ? e.responseEnd : NaN; }`,
    part,
  );
}

/** The navigation's loadEventEnd (ms since navigation start). */
export function loadEventEnd(page: Page): Promise<number> {
  return call<number>(
    page,
    `() => performance.getEntriesByType('navigation')[0].loadEventEnd`,
    null,
  );
}

/** Frame-to-frame times over `frames` animation frames, scrolling `selector` by `step` px per frame (0: idle). */
export function frameTimes(
  page: Page,
  selector: string,
  frames: number,
  step: number,
): Promise<number[]> {
  return call<number[]>(
    page,
    `({ selector, frames, step }) => new Promise((resolve) => {
      const el = document.querySelector(selector);
      const out = [];
      let last = 0;
      let dir = 1;
      const tick = (t) => {
        if (last) out.push(t - last);
        last = t;
        if (step) {
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - step) dir = -1;
          if (el.scrollTop <= 0) dir = 1;
          el.scrollTop += dir * step;
        }
        if (out.length < frames) requestAnimationFrame(tick);
        else resolve(out);
      };
      requestAnimationFrame(tick);
    })`,
    { selector, frames, step },
  );
}

/** Time from a click on the button named `label` to the second frame after it (its work painted). */
export function clickToPaint(page: Page, label: string): Promise<number> {
  return call<number>(
    page,
    `(label) => new Promise((resolve) => {
      const button = document.querySelector('button[aria-label="' + label + '"]');
      const t0 = performance.now();
      button.click();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
    })`,
    label,
  );
}

export async function markTime(page: Page, mark: string, timeoutMs = 120_000): Promise<number> {
  await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, {
    timeout: timeoutMs,
  });
  return call<number>(page, '(m) => performance.getEntriesByName(m)[0].startTime', mark);
}

/**
 * Until the list counts at least `n` rows. At least, not exactly: a page that does not fill
 * the view makes the list load the next one at once, and the count can pass `n` between two
 * polls.
 */
export function rowCountShows(page: Page, n: number): Promise<unknown> {
  return page.waitForFunction(
    (count) =>
      Number.parseInt(
        (globalThis as unknown as Probe).document.querySelector('[data-testid=row-count]')
          ?.textContent ?? '',
        10,
      ) >= count,
    n,
    { timeout: 60_000 },
  );
}

/**
 * Client-side navigation (as a click on a link does): pushState + popstate, which the router
 * follows; resolves with the time from then to the `mark` the new page sets.
 */
export async function navigateToMark(
  page: Page,
  path: string,
  mark: string,
  steps: string[] = [],
  timeoutMs = 120_000,
): Promise<{ ms: number; steps: Record<string, number> }> {
  const t0 = await call<number>(
    page,
    `({ path, marks }) => { marks.forEach((m) => performance.clearMarks(m)); const t = performance.now(); history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); return t; }`,
    { path, marks: [mark, ...steps] },
  );
  const ms = (await markTime(page, mark, timeoutMs)) - t0;
  const at: Record<string, number> = {};
  for (const s of steps)
    at[s] =
      (await call<number>(page, '(m) => performance.getEntriesByName(m)[0]?.startTime ?? NaN', s)) -
      t0;
  return { ms, steps: at };
}

/** A static page of the same height and rows, no script: what scrolling costs the browser alone. */
export function staticScrollPage(rows: number, rowHeight: number): string {
  const visible = Array.from(
    { length: 40 },
    (_, i) =>
      `<div class="r" style="top:${i * rowHeight}px"><span>span ${i}</span><b style="left:${(i * 7) % 60}%;width:${10 + ((i * 13) % 30)}%"></b></div>`,
  ).join('');
  return `<!doctype html><style>body{margin:0;font:12px system-ui}#s{height:700px;overflow:auto;position:relative}
  .r{position:absolute;left:0;right:0;height:${rowHeight}px;border-bottom:1px solid #e2e6ec;contain:strict}
  .r span{position:absolute;left:8px;line-height:${rowHeight}px}.r b{position:absolute;top:6px;height:14px;background:#3b82f6;border-radius:3px;margin-left:36%}</style>
  <div id="s" role="tree"><div style="height:${rows * rowHeight}px">${visible}</div></div>`;
}

/** Main-thread time by kind (CDP Performance metrics, seconds → ms) spent while `fn` runs. */
export async function mainThreadTime<T>(
  page: Page,
  fn: () => Promise<T>,
): Promise<{ result: T; ms: Record<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
  };
  const before = await read();
  const result = await fn();
  const after = await read();
  await cdp.detach();
  const kinds = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'];
  return {
    result,
    ms: Object.fromEntries(kinds.map((k) => [k, ((after[k] ?? 0) - (before[k] ?? 0)) * 1000])),
  };
}
