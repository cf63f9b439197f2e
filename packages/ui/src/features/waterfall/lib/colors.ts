import { str, type WaterfallModel } from './model.ts';

/** Stable series colors for services and span kinds, from the theme's --c0..--c7. */
const PALETTE = ['--c0', '--c1', '--c2', '--c3', '--c4', '--c5', '--c6', '--c7'];

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export function colorVar(key: string): string {
  return PALETTE[hashString(key) % PALETTE.length]!;
}

/** What a span's color follows in the waterfall, flame graph and minimap. */
export type ColorBy = 'service' | 'kind' | 'operation';

/** The text a span's color is derived from (its service, kind or operation). */
export function colorKey(model: WaterfallModel, i: number, colorBy: ColorBy): string {
  if (colorBy === 'service') return str(model, model.service[i]!);
  if (colorBy === 'kind') return str(model, model.kind[i]!);
  return str(model, model.operation[i]!) || 'other';
}

export function serviceColor(service: string): string {
  return `var(${colorVar(service)})`;
}

/** Resolved colors for canvas drawing (re-read when the theme changes). */
export function resolvePalette(): string[] {
  const style = getComputedStyle(document.documentElement);
  return PALETTE.map((v) => style.getPropertyValue(v).trim() || '#888');
}

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
