/**
 * What the search box offers at the cursor: `@pyflare/query`'s suggestion (keys, closed and
 * common values) plus the open sets the server knows (services, models, users, attribute
 * names and values from GET /attributes), each with the text to insert.
 */
import { formatValue, type Suggestion } from '@pyflare/query';
import type { Facet } from '../../../lib/types.ts';

export interface Option {
  label: string;
  detail?: string;
  insert: string;
  /** Keep the menu open after inserting (a key waits for its value). */
  more?: boolean;
}

/** Facet key for a query key (`env` → `environment`). */
const FACET_OF: Record<string, string> = { env: 'environment' };

export function options(s: Suggestion, facets: readonly Facet[]): Option[] {
  if (s.context === 'key') {
    if (s.attribute) {
      const prefix = s.attribute.prefix.toLowerCase();
      const base = s.attribute.scope === 'span' ? 'attr.' : 'resource.';
      const attrs = s.attribute.scope === 'span' ? facets.filter((f) => !f.builtin) : [];
      return attrs
        .filter((f) => f.key.toLowerCase().startsWith(prefix))
        .slice(0, 20)
        .map((f) => ({
          label: base + f.key,
          detail: `${f.count} spans`,
          insert: `${base}${/[\s:"]/.test(f.key) ? JSON.stringify(f.key) : f.key}:`,
          more: true,
        }));
    }
    return s.keys.map((k) => ({
      label: k.name,
      detail: k.description,
      insert: k.insert,
      more: k.insert.endsWith(':') || k.insert.endsWith('.'),
    }));
  }
  if (s.context === 'value') {
    const prefix = s.prefix.toLowerCase();
    const seen = new Set<string>();
    const out: Option[] = [];
    const add = (value: string, detail?: string) => {
      if (seen.has(value) || !value.toLowerCase().startsWith(prefix)) return;
      seen.add(value);
      out.push({ label: value, detail, insert: formatValue(value) + ' ' });
    };
    s.values.forEach((v) => add(v));
    if (s.open) {
      const facetKey = s.attribute ? s.attribute.key : (FACET_OF[s.key] ?? s.key);
      const facet = facets.find(
        (f) => f.key === facetKey && (s.attribute ? !f.builtin : f.builtin),
      );
      facet?.values.forEach((v) => add(v.value, `${v.count}`));
    }
    return out.slice(0, 30);
  }
  return [];
}
