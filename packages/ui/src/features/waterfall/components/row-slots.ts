/**
 * The waterfall's rows, drawn by plain DOM code: the scroll hot path, kept out of React.
 *
 * The window has a fixed number of slots (elements created once); row `k` is drawn in slot
 * `k % slots`, so a scroll step rewrites only the slots whose row changed, and only the
 * properties whose value changed (each slot remembers what it shows). No element is created,
 * moved or removed while scrolling, and no component renders or reconciles. A slot outside
 * the window loses its test id and is left out of view (hidden after other changes).
 *
 * A row is the row element (`treeitem`, positioned by `transform`), its name cell (toggle
 * button for spans with children, color swatch, error icon, the name with the service,
 * collapsed count) and its timeline cell (bar, duration). Selection, hits, errors and the
 * critical path are attributes read by the `.wf-*` rules in `styles.css`; values are set on
 * the element they style where they can be (an attribute or custom property on the row would
 * restyle all of its elements).
 */
import { formatNs } from '../../../lib/format.ts';
import { colorKey, colorVar, type ColorBy } from '../lib/colors.ts';
import type { WaterfallModel } from '../lib/model.ts';
import { str } from '../lib/model.ts';
import type { CollapseState } from '../lib/rows.ts';

export type { ColorBy };
export interface TimeView {
  start: number;
  end: number;
}

/** Everything a row's look depends on besides its index. */
export interface RowInputs {
  model: WaterfallModel;
  rows: Int32Array;
  collapsed: CollapseState;
  selected: number;
  view: TimeView;
  colorBy: ColorBy;
  critical: Uint8Array | null;
  hits: Uint8Array | null;
  currentHit: number;
  rowH: number;
}

const INDENT = 14;
/** The toggle button's width and the gap after it (.wf-toggle, .wf-name in styles.css). */
const TOGGLE_W = 24;
const MAX_INDENT_LEVELS = 30;
const SVG_NS = 'http://www.w3.org/2000/svg';
// lucide's chevron-down (turned by CSS when collapsed) and triangle-alert.
const CHEVRON = ['m6 9 6 6 6-6'];
const ALERT = [
  'm21.73 18-8-14a2 2 0 0 0-3.48 0l-8 14A2 2 0 0 0 4 21h16a2 2 0 0 0 1.73-3',
  'M12 9v4',
  'M12 17h.01',
];

export function barColor(model: WaterfallModel, i: number, colorBy: ColorBy): string {
  return `var(${colorVar(colorKey(model, i, colorBy))})`;
}

function icon(paths: string[], size: number, className: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [k, v] of [
    ['width', String(size)],
    ['height', String(size)],
    ['viewBox', '0 0 24 24'],
    ['fill', 'none'],
    ['stroke', 'currentColor'],
    ['stroke-width', '2'],
    ['stroke-linecap', 'round'],
    ['stroke-linejoin', 'round'],
    ['class', className],
  ])
    svg.setAttribute(k!, v!);
  for (const d of paths) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  parent: Element,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  parent.appendChild(e);
  return e;
}

/** One recycled row element and what it currently shows ('' or -1: not set yet). */
interface Slot {
  row: HTMLDivElement;
  name: HTMLDivElement;
  toggle: HTMLButtonElement;
  swatch: HTMLSpanElement;
  label: HTMLSpanElement;
  nameText: Text;
  serviceText: Text;
  badge: HTMLSpanElement;
  level: HTMLSpanElement;
  bar: HTMLDivElement;
  dur: HTMLSpanElement;
  durText: Text;
  /** In the window; 'stale': out of it, left where it was; 'hidden': `display: none`. */
  state: 'shown' | 'stale' | 'hidden';
  k: number;
  span: number;
  /** The inputs' generation this slot was drawn with. */
  gen: number;
  v: Record<string, string>;
}

function createSlot(parent: HTMLElement, id: string): Slot {
  const row = el('div', 'wf-row', parent);
  row.id = id;
  row.setAttribute('role', 'treeitem');
  row.setAttribute('data-testid', 'span-row');
  const name = el('div', 'wf-name', row);
  const toggle = el('button', 'wf-toggle', name);
  toggle.type = 'button';
  toggle.appendChild(icon(CHEVRON, 13, 'wf-chevron'));
  const swatch = el('span', 'wf-swatch', name);
  const err = icon(ALERT, 12, 'wf-err');
  err.setAttribute('aria-label', 'error');
  name.appendChild(err);
  const label = el('span', 'wf-label', name);
  const nameText = document.createTextNode('');
  label.appendChild(nameText);
  const service = el('span', 'wf-service', label);
  const serviceText = document.createTextNode('');
  service.appendChild(serviceText);
  const badge = el('span', 'wf-badge tabular', name);
  badge.hidden = true;
  const level = el('span', 'wf-level', name);
  level.hidden = true;
  const time = el('div', 'wf-time', row);
  const bar = el('div', 'wf-bar', time);
  const dur = el('span', 'wf-dur tabular', time);
  const durText = document.createTextNode('');
  dur.appendChild(durText);
  return {
    row,
    name,
    toggle,
    swatch,
    label,
    nameText,
    serviceText,
    badge,
    level,
    bar,
    dur,
    durText,
    state: 'shown',
    k: -1,
    span: -1,
    gen: -1,
    v: {},
  };
}

/** Sets `key` of `slot` to `value` through `write` only when it changed. */
function put(slot: Slot, key: string, value: string, write: (v: string) => void): void {
  if (slot.v[key] === value) return;
  slot.v[key] = value;
  write(value);
}

function attr(e: Element, name: string, value: string | null): void {
  if (value === null) e.removeAttribute(name);
  else e.setAttribute(name, value);
}

/** The rows' DOM inside `container` (the scroller's tall inner box). */
export class RowSlots {
  private slots: Slot[] = [];
  private gen = 0;
  private drawnGen = -1;

  constructor(
    private readonly container: HTMLElement,
    private readonly idBase: string,
  ) {}

  /** The inputs changed: every slot is redrawn on the next `draw`. */
  invalidate(): void {
    this.gen++;
  }

  /**
   * Draws rows `first..last` (exclusive) of `inputs.rows`, row k in slot k % `count`, where
   * `count` is the window's slot count (fewer elements when there are fewer rows). Returns the
   * drawn rows' element ids in visual order (the tree's `aria-owns`).
   */
  draw(inputs: RowInputs, first: number, last: number, count: number): string {
    const n = Math.min(count, inputs.rows.length);
    while (this.slots.length < n)
      this.slots.push(createSlot(this.container, `${this.idBase}${this.slots.length}`));
    while (this.slots.length > n) this.slots.pop()!.row.remove();
    const forced = this.drawnGen !== this.gen;
    this.drawnGen = this.gen;
    const used = new Uint8Array(n);
    let owns = '';
    for (let k = first; k < last; k++) {
      const s = k % count;
      used[s] = 1;
      const slot = this.slots[s]!;
      if (slot.state !== 'shown') {
        if (slot.state === 'hidden') slot.row.hidden = false;
        else slot.row.removeAttribute('aria-hidden');
        slot.row.setAttribute('data-testid', 'span-row');
        slot.state = 'shown';
      }
      if (slot.k !== k || slot.gen !== this.gen) this.drawRow(slot, inputs, k);
      owns += `${k > first ? ' ' : ''}${slot.row.id}`;
    }
    // A slot that left the window while scrolling stays where it was, out of view (its row
    // is outside the window, or the slot would be drawing it): hiding it and showing it again
    // a step later would restyle and rebuild its whole box tree. It is only taken out of the
    // accessibility tree and the test id. After other changes (rows, row height) its old
    // place may be in view, so it is hidden.
    for (let s = 0; s < n; s++) {
      const slot = this.slots[s]!;
      if (used[s] || slot.state === 'hidden' || (slot.state === 'stale' && !forced)) continue;
      if (forced) {
        slot.row.hidden = true;
        slot.row.removeAttribute('aria-hidden');
        slot.state = 'hidden';
      } else {
        slot.row.setAttribute('aria-hidden', 'true');
        slot.state = 'stale';
      }
      slot.row.removeAttribute('data-testid');
    }
    return owns;
  }

  /** Gives the name under `target` its tooltip (the full name, for names cut short). */
  titleAt(target: Element): void {
    const label = target.closest('.wf-label');
    if (label && !label.hasAttribute('title'))
      label.setAttribute('title', label.firstChild?.nodeValue ?? '');
  }

  /** The span drawn in the slot element `row`, or -1. */
  spanOf(row: Element): number {
    return this.slots.find((s) => s.row === row)?.span ?? -1;
  }

  private drawRow(slot: Slot, inputs: RowInputs, k: number): void {
    const { model, view, rowH } = inputs;
    const i = inputs.rows[k]!;
    slot.k = k;
    slot.span = i;
    slot.gen = this.gen;
    const { row } = slot;
    const depth = model.depth[i]!;
    const hasKids = model.descendants[i]! > 0;
    const isCollapsed = inputs.collapsed[i] === 1;
    const err = model.error[i] === 1;
    const total = Math.max(1, view.end - view.start);
    const dur = model.duration[i]!;
    const left = ((model.start[i]! - view.start) / total) * 100;
    const width = Math.max((dur / total) * 100, 0.08);
    const name = str(model, model.name[i]!);
    const service = str(model, model.service[i]!);
    const durText = formatNs(dur);
    const critical = inputs.critical;

    put(slot, 'y', `translateY(${k * rowH}px)`, (v) => (row.style.transform = v));
    put(slot, 'k', String(k), (v) => row.setAttribute('data-row', v));
    put(slot, 'id', model.spanId[i]!, (v) => row.setAttribute('data-span-id', v));
    put(slot, 'level', String(depth + 1), (v) => row.setAttribute('aria-level', v));
    put(slot, 'expanded', hasKids ? String(!isCollapsed) : '', (v) =>
      attr(row, 'aria-expanded', v || null),
    );
    put(slot, 'selected', String(inputs.selected === i), (v) =>
      row.setAttribute('aria-selected', v),
    );
    put(slot, 'label', `${name} ${service} ${durText}${err ? ' error' : ''}`, (v) =>
      row.setAttribute('aria-label', v),
    );
    put(slot, 'err', err ? '1' : '', (v) => attr(row, 'data-err', v || null));
    put(slot, 'hit', inputs.hits?.[i] === 1 ? '1' : '', (v) => attr(row, 'data-hit', v || null));
    put(slot, 'current', inputs.currentHit === i ? '1' : '', (v) =>
      attr(row, 'data-current', v || null),
    );
    put(slot, 'critical', critical ? (critical[i] === 1 ? 'on' : 'off') : '', (v) =>
      attr(row, 'data-critical', v || null),
    );

    // Leaves have no toggle box at all (most rows are leaves: three boxes fewer to lay out);
    // the indent keeps its place.
    const indent = 6 + Math.min(depth, MAX_INDENT_LEVELS) * INDENT + (hasKids ? 0 : TOGGLE_W);
    put(slot, 'indent', `${indent}px`, (v) => (slot.name.style.paddingLeft = v));
    put(slot, 'toggle', hasKids ? `${isCollapsed ? 'Expand' : 'Collapse'} ${name}` : '', (v) => {
      attr(slot.toggle, 'aria-label', v || null);
      slot.toggle.style.display = v ? '' : 'none';
    });
    put(slot, 'chevron', isCollapsed ? '1' : '', (v) =>
      attr(slot.toggle, 'data-collapsed', v || null),
    );
    // The name's tooltip (`title`) is set when the pointer comes over it (`titleAt`), not here:
    // a title change restyles the element.
    put(slot, 'name', name, (v) => {
      slot.nameText.data = v;
      slot.label.removeAttribute('title');
    });
    put(slot, 'service', service, (v) => (slot.serviceText.data = v));
    put(slot, 'badge', isCollapsed ? `+${model.descendants[i]}` : '', (v) => {
      slot.badge.hidden = !v;
      slot.badge.textContent = v;
    });
    put(slot, 'depth', depth > MAX_INDENT_LEVELS ? `L${depth}` : '', (v) => {
      slot.level.hidden = !v;
      slot.level.textContent = v;
    });

    // The color is set on the swatch and the bar themselves: a custom property on the row
    // would be inherited, restyling (and laying out) every element of the row.
    const color = barColor(model, i, inputs.colorBy);
    put(slot, 'color', color, (v) => (slot.swatch.style.background = v));
    put(slot, 'bar', `left:${left}%;width:${width}%;background:${color}`, (v) => {
      slot.bar.style.cssText = v;
    });
    // Right of the bar (the timeline keeps a margin for it) unless the bar starts late and ends late.
    put(
      slot,
      'dur',
      !(left > 30 && left + width > 85)
        ? `left:calc(${left + width}% + 4px)`
        : `right:calc(${100 - left}% + 4px)`,
      (v) => (slot.dur.style.cssText = v),
    );
    put(slot, 'durText', durText, (v) => (slot.durText.data = v));
  }
}
