import { suggest } from '@pyflare/query';
import { describe, expect, it } from 'vitest';
import type { Facet } from '../../../lib/types.ts';
import { options } from './completion.ts';

const facets: Facet[] = [
  {
    key: 'service',
    builtin: true,
    count: 9,
    distinctValues: 2,
    values: [
      { value: 'checkout', count: 6 },
      { value: 'chat api', count: 3 },
    ],
  },
  {
    key: 'environment',
    builtin: true,
    count: 9,
    distinctValues: 1,
    values: [{ value: 'prod', count: 9 }],
  },
  {
    key: 'http.route',
    builtin: false,
    count: 4,
    distinctValues: 1,
    values: [{ value: '/api/chat', count: 4 }],
  },
];

const at = (q: string) => options(suggest(q, q.length), facets);

describe('query completion', () => {
  it('offers keys that wait for a value', () => {
    const o = at('ser');
    expect(o[0]).toMatchObject({ label: 'service', insert: 'service:', more: true });
  });
  it('offers server-known values, quoted when needed', () => {
    expect(at('service:').map((o) => o.insert)).toEqual(['checkout ', '"chat api" ']);
    expect(at('service:ch').map((o) => o.label)).toEqual(['checkout', 'chat api']);
    expect(at('env:').map((o) => o.label)).toEqual(['prod']);
  });
  it('offers closed sets and attribute names and values', () => {
    expect(at('status:').map((o) => o.label)).toEqual(['error', 'ok']);
    expect(at('attr.ht').map((o) => o.insert)).toEqual(['attr.http.route:']);
    expect(at('attr.http.route:').map((o) => o.label)).toEqual(['/api/chat']);
  });
});
