/** Prints the UI phase: each measurement beside its target and its same-run baseline. */
import type { UiResult } from '../ui.ts';
import { ms, ratio, table } from './stats.ts';

export function printUi(
  ui: UiResult,
  checks: { name: string; ok: boolean; detail: string }[],
): void {
  console.log(
    `\nUI — Debian Chromium (headless), ${ui.smallTraces} small traces and traces of ` +
      `${ui.bigTraces.map((n) => n.toLocaleString('en-US')).join(' and ')} spans; medians\n`,
  );
  const rows = ui.measures.map((m) => [
    m.name,
    ms(m.ms),
    m.targetMs === undefined ? '' : `< ${m.targetMs} ms ${m.ms < m.targetMs ? 'ok' : 'MISSED'}`,
    m.baseline ? `${m.baseline.name}: ${ms(m.baseline.ms)}` : '',
    m.baseline ? ratio(m.ms / m.baseline.ms) : '',
  ]);
  console.log(
    table(['measurement', 'value', 'target', 'baseline (same run)', 'vs baseline'], rows),
  );
  for (const m of ui.measures) if (m.detail) console.log(`  ${m.name}: ${m.detail}`);
  for (const m of ui.measures) {
    if (m.targetMs !== undefined)
      checks.push({
        name: `ui: ${m.name} < ${m.targetMs} ms`,
        ok: m.ms < m.targetMs,
        detail: ms(m.ms),
      });
  }
}
