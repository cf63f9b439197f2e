import { emptyFilter, parseQuery, type TraceFilter } from '@pyflare/query';
import { describe, expect, it } from 'vitest';
import { compileSpanFilter } from '../../src/storage/queries/spans.ts';
import { SqlParams } from '../../src/storage/queries/sql-params.ts';
import { bloomProbeOf, compileTraceFilter } from '../../src/storage/queries/trace-filter-sql.ts';

const hostile = ["' OR 1=1 --", '{x:String}', '`; DROP TABLE spans', '\\', '%_'];

function hostileFilter(): TraceFilter {
  const f = emptyFilter();
  for (const h of hostile) {
    f.strings.push({ field: 'service', values: [h], negated: false });
    f.strings.push({ field: 'name', values: [h], negated: true });
    f.attributes.push({ scope: 'span', key: h, value: h, negated: false });
    f.attributes.push({ scope: 'resource', key: h, value: h, negated: true });
    f.text.push({ text: h, negated: false });
  }
  return f;
}

describe('filter compilation', () => {
  it('never puts a value into the SQL text: every value is a bound parameter', () => {
    const params = new SqlParams({ projectId: 'p' });
    const { where, having } = compileTraceFilter(hostileFilter(), { fromNs: 1n, toNs: 2n }, params);
    const spanSql = compileSpanFilter(hostileFilter(), params);
    const sql = [...where, ...having, ...spanSql].join('\n');
    for (const h of hostile) expect(sql).not.toContain(h);
    // The only quoted literals are fixed ones.
    expect(new Set(sql.match(/'[^']*'/g))).toEqual(new Set(["'UTC'"]));
    const values = Object.values(params.values).flat();
    for (const h of hostile) expect(values).toContain(h);
  });

  it('puts span conditions in one IN subquery (each may hold on another span) and negated ones in NOT IN', () => {
    const { filter } = parseQuery('name:a operation:tool -kind:client attr.k:v', { now: 0 });
    const { where } = compileTraceFilter(filter, { fromNs: 0n, toNs: undefined }, new SqlParams());
    const subqueries = where.filter((w) => w.includes('FROM spans'));
    expect(subqueries).toHaveLength(2);
    expect(subqueries[0]).toMatch(/^trace_id IN \(.*GROUP BY trace_id HAVING countIf/s);
    expect(subqueries[1]).toMatch(/^trace_id NOT IN \(/);
  });

  it('checks trace-level fields on the aggregated trace', () => {
    const { filter } = parseQuery('service:a -user:b status:error duration:>1s spans:>=2', {
      now: 0,
    });
    const { where, having } = compileTraceFilter(
      filter,
      { fromNs: 0n, toNs: undefined },
      new SqlParams(),
    );
    expect(where.some((w) => w.includes('FROM spans'))).toBe(false);
    expect(having.join(' ')).toMatch(/max\(hasAny\(services, \{p\d+:Array\(String\)\}\)\) = 1/);
    expect(having.join(' ')).toMatch(/max\(hasAny\(users, \{p\d+:Array\(String\)\}\)\) = 0/);
    expect(having).toContain('sum(error_count) > 0');
  });
});

describe('the blocked attribute Bloom filter (migration 0014)', () => {
  it('puts a pair in the word of its hash low three bits, one bit per byte 1 to 6', () => {
    // Byte 0 is 0x0d: word 5. Bytes 1 to 6 are 0x07 0x46 0x85 0xc4 0x03 0x3f: their low six
    // bits are 7, 6, 5, 4, 3, 63. Byte 7 (0xff) picks nothing.
    expect(bloomProbeOf(0xff3f03c48546070dn)).toEqual({
      word: 5,
      mask: (1n << 63n) | 0b1111_1000n,
    });
    // Bytes picking the same bit set it once: fewer than six bits.
    expect(bloomProbeOf(0x0000_0000_0000_0002n)).toEqual({ word: 2, mask: 1n });
  });

  it('tests one word per attribute condition, with its mask bound', () => {
    const { filter } = parseQuery('attr.a:1 attr.b:2 -attr.c:3 service:s', { now: 0 });
    const params = new SqlParams();
    const { where } = compileTraceFilter(filter, { fromNs: 0n, toNs: undefined }, params, {
      spanConditions: 'candidates',
      bloomProbes: [
        { word: 3, mask: 0b101n },
        { word: 7, mask: 1n << 63n },
      ],
    });
    const sql = where.join('\n');
    expect(sql.match(/attr_bloom_\d/g)).toEqual(['attr_bloom_3', 'attr_bloom_7']);
    expect(sql).not.toContain('FROM spans');
    expect(Object.values(params.values)).toEqual(expect.arrayContaining([0b101n, 1n << 63n]));
    // A probe missing is a bug, not a search without the filter.
    expect(() =>
      compileTraceFilter(filter, { fromNs: 0n, toNs: undefined }, new SqlParams(), {
        spanConditions: 'candidates',
        bloomProbes: [{ word: 3, mask: 0b101n }],
      }),
    ).toThrow(/2 attribute conditions, 1 Bloom probes/);
  });
});
