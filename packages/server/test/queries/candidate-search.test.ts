import { parseQuery, type TraceFilter } from '@pyflare/query';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, QueryParams } from '../../src/storage/database.ts';
import { CANDIDATE_CAP } from '../../src/storage/queries/candidate-search.ts';
import { searchTraces, type TraceKey } from '../../src/storage/queries/traces.ts';
import type { TraceSort } from '../../src/storage/queries/trace-filter-sql.ts';
import { seededRandom as random } from '../helpers/random.ts';
import { insertRows, openTestDb, recentNs, spanRow, type TestDb } from '../helpers/read-db.ts';

/**
 * Searches with attribute conditions, which go by candidates (the traces' attribute Bloom
 * words, migration 0011, and their value bits, 0015, then a check on the candidates' spans:
 * queries/candidate-search.ts), against a reference evaluated here over the spans written.
 * Each list of services, models and users holds a value whose bit is that of the list's first
 * one, so the bits pass traces the check must drop. The traces arrive in up to three
 * inserts each, so a trace has several rows in `traces` and its attribute may sit in another
 * row than its service or its error; some traces carry hundreds of distinct attributes, which
 * fill their Bloom words (every test passes: false positives the check must drop), and enough
 * of those for the candidates to pass the cap, where the search falls back to the usual plan.
 * Real chDB.
 */

const PROJECT = 'proj-a';
const MS = 1_000_000n;
const SERVICES = ['checkout', 'search', 'agent'];
const MODELS = ['gpt-4o', 'claude-sonnet-4-5', ''];
const USERS = ['alice', 'bob', ''];
const TENANTS = ['t-1', 't-2', 't-3', 't-4'];

interface RefSpan {
  service: string;
  model: string;
  user?: string;
  error: boolean;
  name: string;
  tokens: number;
  start: bigint;
  end: bigint;
  attributes: Record<string, string>;
}

const traces = new Map<string, RefSpan[]>();
let t: TestDb;
let db: Database;
const statements: string[] = [];
/** How many rows each of `statements` returned. */
const rowCounts: number[] = [];
let base: bigint;

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

beforeAll(async () => {
  t = await openTestDb();
  // Records the statements, to tell which plan a search took.
  db = {
    ...t.db,
    query: async <T>(sql: string, params?: QueryParams) => {
      statements.push(sql);
      const rows = await t.db.query<T>(sql, params);
      rowCounts[statements.length - 1] = rows.length;
      return rows;
    },
  };
  base = recentNs(3 * 60 * 60_000);
  // A value with the bit of `value` in the value bits (bit cityHash64(v) % 64, migration 0015).
  const collider = async (value: string) => {
    const [row] = await t.db.query<{ v: string }>(
      `SELECT v FROM (SELECT concat({value:String}, '-', toString(number)) AS v FROM numbers(10000))
       WHERE cityHash64(v) % 64 = cityHash64({value:String}) % 64 LIMIT 1`,
      { value },
    );
    return row!.v;
  };
  for (const list of [SERVICES, MODELS, USERS]) list.push(await collider(list[0]!));
  const rand = random(11);
  const inserts: ReturnType<typeof spanRow>[][] = [[], [], []];
  let spanNo = 0;
  const add = (id: string, insert: number, span: RefSpan) => {
    const list = traces.get(id) ?? [];
    list.push(span);
    traces.set(id, list);
    inserts[insert]!.push(
      spanRow({
        project_id: PROJECT,
        trace_id: id,
        span_id: (++spanNo).toString(16).padStart(16, '0'),
        name: span.name,
        service_name: span.service,
        request_model: span.model,
        user_id: span.user ?? '',
        status_code: span.error ? 'error' : 'unset',
        total_tokens: span.tokens,
        start_time: span.start.toString(),
        end_time: span.end.toString(),
        duration_ns: Number(span.end - span.start),
        attributes: span.attributes,
      }),
    );
  };
  for (let i = 0; i < 400; i++) {
    const id = `c${i.toString(16).padStart(31, '0')}`;
    const start = base + BigInt(Math.floor(rand() * 7_200_000)) * MS;
    const parts = 1 + Math.floor(rand() * 3);
    const spans = 1 + Math.floor(rand() * 5);
    for (let s = 0; s < spans; s++) {
      const attributes: Record<string, string> = {};
      if (rand() < 0.4) attributes['app.tenant'] = pick(rand, TENANTS);
      if (rand() < 0.1) attributes['app.flag'] = '';
      if (rand() < 0.3) attributes['http.route'] = pick(rand, ['/a', '/b']);
      // A few traces with hundreds of distinct pairs: their Bloom words fill up.
      if (i % 40 === 0 && s === 0) {
        for (let k = 0; k < 300; k++) attributes[`noise.${k}`] = `v${k}`;
      }
      const offset = BigInt(Math.floor(rand() * 20_000)) * MS;
      add(id, s % parts, {
        service: pick(rand, SERVICES),
        model: pick(rand, MODELS),
        user: pick(rand, USERS),
        error: rand() < 0.1,
        name: pick(rand, ['chat', 'retrieve', 'tool call']),
        tokens: Math.floor(rand() * 500),
        start: start + offset,
        end: start + offset + BigInt(1 + Math.floor(rand() * 30_000)) * MS,
        attributes,
      });
    }
  }
  for (const rows of inserts) await insertRows(db, 'spans', rows);
});

afterAll(() => t.close());

/** The reference: does the trace match the filter (the semantics in packages/query/src/filter.ts). */
function matches(spans: readonly RefSpan[], filter: TraceFilter, window: Window): boolean {
  const start = spans.reduce((m, s) => (s.start < m ? s.start : m), spans[0]!.start);
  const end = spans.reduce((m, s) => (s.end > m ? s.end : m), spans[0]!.end);
  if (start < window.fromNs || (window.toNs !== undefined && start > window.toNs)) return false;
  for (const c of filter.strings) {
    const has = spans.some((s) => {
      const value = { service: s.service, model: s.model, user: s.user, name: s.name }[
        c.field as string
      ];
      if (value === undefined) throw new Error(`field ${c.field} not in the reference`);
      return c.values.includes(value);
    });
    if (has === c.negated) return false;
  }
  for (const c of filter.attributes) {
    const has = spans.some((s) => s.attributes[c.key] === c.value);
    if (has === c.negated) return false;
  }
  for (const c of filter.text) {
    const has = spans.some((s) => s.name.toLowerCase().includes(c.text.toLowerCase()));
    if (has === c.negated) return false;
  }
  const error = spans.some((s) => s.error);
  if (filter.status === 'error' && !error) return false;
  if (filter.status === 'ok' && error) return false;
  for (const c of filter.numbers) {
    if (c.field !== 'duration') throw new Error('only durations in the reference');
    const d = Number(end - start);
    const ok = {
      '=': d === c.value,
      '>': d > c.value,
      '>=': d >= c.value,
      '<': d < c.value,
      '<=': d <= c.value,
    }[c.op];
    if (!ok) return false;
  }
  return true;
}

function sortKey(spans: readonly RefSpan[], sort: TraceSort): bigint {
  const start = spans.reduce((m, s) => (s.start < m ? s.start : m), spans[0]!.start);
  const end = spans.reduce((m, s) => (s.end > m ? s.end : m), spans[0]!.end);
  if (sort === 'time') return start;
  if (sort === 'duration') return end - start;
  return BigInt(spans.reduce((n, s) => n + s.tokens, 0));
}

interface Window {
  fromNs: bigint;
  toNs: bigint | undefined;
}

function expected(filter: TraceFilter, sort: TraceSort, order: 'asc' | 'desc', window: Window) {
  const list = [...traces].filter(([, spans]) => matches(spans, filter, window));
  list.sort(([a, sa], [b, sb]) => {
    const ka = sortKey(sa, sort);
    const kb = sortKey(sb, sort);
    const c = ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
    return order === 'asc' ? c : -c;
  });
  return list.map(([id]) => id);
}

async function allPages(
  filter: TraceFilter,
  sort: TraceSort,
  order: 'asc' | 'desc',
  limit: number,
  window: Window,
): Promise<string[]> {
  const seen: string[] = [];
  let after: TraceKey | undefined;
  for (let page = 0; page < 500; page++) {
    const result = await searchTraces(
      db,
      { projectId: PROJECT, filter, window, sort, order, limit, after },
      base + 4n * 3_600_000n * MS,
    );
    seen.push(...result.traces.map((s) => s.traceId));
    if (result.next === null) return seen;
    after = result.next;
  }
  throw new Error('pagination did not end');
}

const filterOf = (q: string) => parseQuery(q, { now: Date.now() }).filter;
const everything = (): Window => ({ fromNs: 0n, toNs: undefined });
const CHECK = /\(toStartOfTenMinutes\(start_time\), trace_id\) IN/;

describe('search by attribute candidates', () => {
  it.each([
    ['attr.app.tenant:t-2', 'time', 'desc', 7],
    ['attr.app.tenant:t-3', 'time', 'asc', 50],
    ['attr.app.tenant:t-1 service:checkout', 'duration', 'desc', 5],
    ['attr.app.tenant:t-4 model:gpt-4o -status:error', 'tokens', 'asc', 4],
    ['attr.app.tenant:t-1 attr.http.route:/b', 'time', 'desc', 3],
    ['attr.app.tenant:t-2 -attr.http.route:/a status:error', 'time', 'desc', 2],
    ['attr.app.tenant:t-3 name:chat -"tool"', 'duration', 'asc', 6],
    ['attr.app.flag:""', 'time', 'desc', 9],
    ['attr.app.tenant:t-2 duration:>15s service:agent,search', 'time', 'desc', 4],
    ['attr.app.tenant:t-2 service:checkout model:gpt-4o', 'time', 'desc', 3],
    ['attr.app.tenant:t-3 user:alice', 'duration', 'asc', 4],
    ['attr.app.tenant:t-1 user:alice,bob -service:checkout', 'tokens', 'desc', 5],
    ['attr.app.tenant:nobody', 'time', 'desc', 10],
    ['attr.noise.7:v7', 'time', 'desc', 3],
    ['attr.noise.7:v8', 'tokens', 'desc', 3],
  ] as const)(
    '%s (%s %s, pages of %i) gives exactly the matches, in order',
    async (q, sort, order, limit) => {
      const filter = filterOf(q);
      const want = expected(filter, sort, order, everything());
      statements.length = 0;
      expect(await allPages(filter, sort, order, limit, everything())).toEqual(want);
      // The candidates' spans were checked by key.
      expect(statements.some((s) => CHECK.test(s))).toBe(true);
    },
  );

  it('reference sanity: the cases above are not all empty or all traces', () => {
    const counts = ['attr.app.tenant:t-2', 'attr.app.flag:""', 'attr.noise.7:v7'].map(
      (q) => expected(filterOf(q), 'time', 'desc', everything()).length,
    );
    for (const n of counts) {
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(traces.size);
    }
  });

  it.each([
    ['service', 'attr.app.tenant:t-1 service:checkout', 'services_bits'],
    ['model', 'attr.app.tenant:t-2 model:gpt-4o', 'models_bits'],
    ['user', 'attr.app.tenant:t-3 user:alice', 'users_bits'],
  ] as const)(
    'narrows by the %s bits, whose false positives the check drops',
    async (field, q, column) => {
      const filter = filterOf(q);
      const [tenant] = filter.attributes;
      const wanted = filter.strings[0]!.values[0]!;
      const list = { service: SERVICES, model: MODELS, user: USERS }[field];
      const sharingTheBit = list.at(-1)!;
      // Traces with the tenant and the value sharing the bit but not the value: candidates by
      // the bits that are no match.
      const falsePositives = [...traces.values()].filter(
        (spans) =>
          spans.some((s) => s.attributes[tenant!.key] === tenant!.value) &&
          spans.some((s) => s[field] === sharingTheBit) &&
          !spans.some((s) => s[field] === wanted),
      );
      expect(falsePositives.length).toBeGreaterThan(0);
      const want = expected(filter, 'duration', 'desc', everything());
      expect(want.length).toBeGreaterThan(0);
      statements.length = 0;
      expect(await allPages(filter, 'duration', 'desc', 3, everything())).toEqual(want);
      expect(statements.some((s) => s.includes(`groupBitOr(${column})`))).toBe(true);
    },
  );

  it('counts the candidates of a slice that cannot fill the page without checking them', async () => {
    // Sorted by time, the window is searched in growing slices (progressive-window.ts); the
    // slices from an eighth of it on go by candidates. A slice with fewer candidates than the
    // page only tells how much to grow, so its candidates are not checked.
    const window = { fromNs: base, toNs: base + 130n * 60_000n * MS };
    const filter = filterOf('attr.app.tenant:t-4 service:search');
    const want = expected(filter, 'time', 'desc', window);
    expect(want.length).toBeGreaterThan(8);
    statements.length = 0;
    expect(await allPages(filter, 'time', 'desc', 8, window)).toEqual(want);
    // Whether each candidates statement that found some was followed by their check.
    const checked = statements.flatMap((s, i) =>
      /attr_bloom_[0-7]/.test(s) && rowCounts[i]! > 0 ? [CHECK.test(statements[i + 1] ?? '')] : [],
    );
    // Some were checked (a full page, the whole window), some only counted.
    expect(checked).toContain(true);
    expect(checked).toContain(false);
  });

  it('respects a time window', async () => {
    const window = { fromNs: base + 30n * 60_000n * MS, toNs: base + 80n * 60_000n * MS };
    const filter = filterOf('attr.app.tenant:t-1 -status:error');
    const want = expected(filter, 'time', 'desc', window);
    expect(want.length).toBeGreaterThan(3);
    expect(await allPages(filter, 'time', 'desc', 4, window)).toEqual(want);
  });

  it.each([
    ['with an attribute (by candidates)', 29, true, 40],
    ['without one (the usual plans, the duration walk)', 31, false, 20],
  ] as const)(
    'gives exactly the matches of random filters %s',
    async (_, seed, withAttribute, cases) => {
      // Random combinations of what the cases above take one at a time: attributes (filled
      // Bloom words included), the bits' colliding values, negations, text, status, durations,
      // each sort and order, small pages, whole and partial windows. Seeded: a failure repeats.
      const rand = random(seed);
      const values = (field: string, list: readonly string[]) => {
        const chosen = new Set<string>();
        for (let n = 1 + Math.floor(rand() * 2); n > 0; n--) chosen.add(pick(rand, list));
        return `${rand() < 0.2 ? '-' : ''}${field}:${[...chosen].map((v) => (v === '' ? '""' : v)).join(',')}`;
      };
      const attribute = () =>
        pick(rand, [
          ...TENANTS.map((v) => `attr.app.tenant:${v}`),
          'attr.http.route:/a',
          'attr.http.route:/b',
          'attr.app.flag:""',
          'attr.noise.7:v7',
        ]);
      let nonEmpty = 0;
      for (let i = 0; i < cases; i++) {
        const terms = withAttribute ? [attribute()] : [];
        if (rand() < 0.3) terms.push(`${rand() < 0.5 || !withAttribute ? '-' : ''}${attribute()}`);
        if (rand() < 0.5) terms.push(values('service', SERVICES));
        if (rand() < 0.4) terms.push(values('model', MODELS.filter(Boolean)));
        if (rand() < 0.3) terms.push(values('user', USERS.filter(Boolean)));
        if (rand() < 0.3) terms.push(pick(rand, ['status:error', '-status:error', 'status:ok']));
        if (rand() < 0.3)
          terms.push(`duration:${pick(rand, ['>', '<', '>='])}${pick(rand, [2, 10, 25])}s`);
        if (rand() < 0.2)
          terms.push(pick(rand, ['name:chat', '-name:retrieve', '"tool"', '-"call"']));
        const q = terms.join(' ');
        const sort = pick(rand, ['time', 'duration', 'tokens'] as const);
        const order = pick(rand, ['asc', 'desc'] as const);
        const limit = 1 + Math.floor(rand() * 12);
        const from = BigInt(Math.floor(rand() * 90)) * 60_000n * MS;
        const window =
          rand() < 0.5
            ? everything()
            : {
                fromNs: base + from,
                toNs: base + from + BigInt(20 + Math.floor(rand() * 100)) * 60_000n * MS,
              };
        const filter = filterOf(q);
        const want = expected(filter, sort, order, window);
        if (want.length > 0) nonEmpty++;
        const got = await allPages(filter, sort, order, limit, window);
        expect(got, `${q} (${sort} ${order}, pages of ${limit})`).toEqual(want);
      }
      // The cases are not all trivially empty.
      expect(nonEmpty).toBeGreaterThan(cases / 3);
    },
  );

  it('ignores resource attributes and negated attributes for candidates, and stays exact', async () => {
    const filter = filterOf('-attr.app.tenant:t-1 service:search');
    const want = expected(filter, 'duration', 'desc', everything());
    statements.length = 0;
    expect(await allPages(filter, 'duration', 'desc', 8, everything())).toEqual(want);
    expect(statements.some((s) => CHECK.test(s))).toBe(false);
  });
});

describe('with more candidates than the cap', () => {
  beforeAll(async () => {
    // Traces whose only span carries hundreds of pairs: nearly every Bloom test passes for
    // them (600 pairs, 75 a word, 99.5% of probes; with 200, 55%, and fewer than the cap).
    const rows = [];
    for (let i = 0; i < CANDIDATE_CAP + 50; i++) {
      const id = `f${i.toString(16).padStart(31, '0')}`;
      const start = base + BigInt(i) * 1000n * MS;
      const attributes: Record<string, string> = {};
      for (let k = 0; k < 600; k++) attributes[`fill.${k}`] = `x${k}`;
      if (i === 17) attributes['app.tenant'] = 'rare';
      // On two traces of five: fewer than half the candidates pass, but the cap holds many.
      if (i % 5 < 2) attributes['app.part'] = 'some';
      const name = i === 23 || i === 900 ? 'needle' : 'fill';
      const span = { service: 'filler', model: '', error: false, name, tokens: 1 };
      traces.set(id, [{ ...span, start, end: start + MS, attributes }]);
      rows.push(
        spanRow({
          project_id: PROJECT,
          trace_id: id,
          span_id: (i + 1).toString(16).padStart(16, '0'),
          name: span.name,
          service_name: 'filler',
          total_tokens: 1,
          start_time: start.toString(),
          end_time: (start + MS).toString(),
          duration_ns: 1_000_000,
          attributes,
        }),
      );
    }
    await insertRows(db, 'spans', rows);
  });

  it('falls back to the usual plan when the first candidates do not fill the page, exactly', async () => {
    const filter = filterOf('attr.app.tenant:rare');
    const want = expected(filter, 'time', 'desc', everything());
    expect(want).toEqual([`f${(17).toString(16).padStart(31, '0')}`]);
    statements.length = 0;
    expect(await allPages(filter, 'time', 'desc', 5, everything())).toEqual(want);
    // Candidates were tried, then the spans scanned for the attribute.
    expect(statements.some((s) => CHECK.test(s))).toBe(true);
    expect(
      statements.some((s) =>
        /trace_id IN \(SELECT toFixedString\(unhex\(trace_id\), 16\) FROM spans/.test(s),
      ),
    ).toBe(true);
  });

  it('checks more candidates when fewer than half of the first ones pass, exactly', async () => {
    const filter = filterOf('attr.app.part:some');
    // Sorted by duration, the one-millisecond traces above come first.
    const want = expected(filter, 'duration', 'asc', everything());
    expect(want.length).toBeGreaterThan(300);
    statements.length = 0;
    const page = await searchTraces(
      db,
      {
        projectId: PROJECT,
        filter,
        window: everything(),
        sort: 'duration',
        order: 'asc',
        limit: 20,
      },
      base + 4n * 3_600_000n * MS,
    );
    expect(page.traces.map((s) => s.traceId)).toEqual(want.slice(0, 20));
    // Two checks, and the spans of the window were not scanned for the attribute.
    expect(statements.filter((s) => CHECK.test(s))).toHaveLength(2);
    expect(statements.some((s) => /FROM spans/.test(s) && !CHECK.test(s))).toBe(false);
  });

  it.each([
    ['attr.fill.3:x3 name:needle', 2],
    ['attr.fill.3:x3 "needle"', 2],
    ['attr.fill.3:x3 name:needle attr.app.tenant:rare', 0],
    ['attr.fill.3:x3 name:needle service:filler', 2],
    ['attr.fill.3:x3 "no such text"', 0],
  ])('%s: narrows the candidates by the other span conditions, exactly', async (q, count) => {
    const filter = filterOf(q);
    // Sorted by duration: the whole window at once (a time sort would scan its first slices).
    const want = expected(filter, 'duration', 'desc', everything());
    expect(want).toHaveLength(count);
    statements.length = 0;
    expect(await allPages(filter, 'duration', 'desc', 1, everything())).toEqual(want);
    // A candidate query with a span subquery in it ran.
    expect(statements.some((s) => /attr_bloom_[0-7]/.test(s) && /FROM spans/.test(s))).toBe(true);
  });

  it('still answers common attributes from the first candidates', async () => {
    const filter = filterOf('attr.fill.3:x3');
    const want = expected(filter, 'time', 'asc', everything());
    expect(want.length).toBe(CANDIDATE_CAP + 50);
    const page = await searchTraces(
      db,
      { projectId: PROJECT, filter, window: everything(), sort: 'time', order: 'asc', limit: 20 },
      base + 4n * 3_600_000n * MS,
    );
    expect(page.traces.map((s) => s.traceId)).toEqual(want.slice(0, 20));
    expect(page.next).not.toBeNull();
  });
});
