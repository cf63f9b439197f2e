import { describe, expect, it } from 'vitest';
import type { SpanRow } from '../storage/rows.ts';
import { typedAttributes } from '../storage/queries/json-columns.ts';
import { normalizeTraces } from './normalize-spans.ts';
import { MAX_ATTRIBUTE_CHARS, MAX_NAME_CHARS } from './limits.ts';
import { NOW_NS, attrs, ctx, event, span, traces } from './testing/fixtures.ts';

const DAY_NS = 86_400_000_000_000n;

function one(s: Parameters<typeof span>[0], resource?: Parameters<typeof traces>[1]): SpanRow {
  const out = normalizeTraces(traces([span(s)], resource), ctx());
  expect(out.errors).toEqual([]);
  expect(out.rows).toHaveLength(1);
  return out.rows[0]!;
}

describe('normalizeTraces: the row', () => {
  it('fills ids, times, kind, status, scope and resource columns', () => {
    const row = one(
      {
        traceId: '5B8EFFF798038103D269B633813FC60C',
        spanId: '00f067aa0ba902b7',
        parentSpanId: '53995c3f42cd8ad8',
        traceState: 'rojo=00f067aa0ba902b7',
        flags: 257,
        name: 'GET /cart',
        kind: 2,
        startTimeUnixNano: NOW_NS - 1_500_000n,
        endTimeUnixNano: NOW_NS,
        status: { code: 2, message: 'boom' },
        droppedAttributesCount: 1,
        droppedEventsCount: 2,
        droppedLinksCount: 3,
      },
      { 'service.name': 'shop', 'deployment.environment.name': 'prod', 'host.name': 'h1' },
    );
    expect(row).toMatchObject({
      project_id: 'p1',
      trace_id: '5b8efff798038103d269b633813fc60c',
      span_id: '00f067aa0ba902b7',
      parent_span_id: '53995c3f42cd8ad8',
      trace_state: 'rojo=00f067aa0ba902b7',
      flags: 257,
      name: 'GET /cart',
      kind: 'server',
      service_name: 'shop',
      environment: 'prod',
      scope_name: 'test-scope',
      scope_version: '1.0.0',
      start_time: (NOW_NS - 1_500_000n).toString(),
      end_time: NOW_NS.toString(),
      duration_ns: 1_500_000,
      status_code: 'error',
      status_message: 'boom',
      operation: '',
      resource_attributes: {
        'service.name': 'shop',
        'deployment.environment.name': 'prod',
        'host.name': 'h1',
      },
      dropped_attributes_count: 1,
      dropped_events_count: 2,
      dropped_links_count: 3,
      retention_days: 30,
      ingested_at: ctx().nowMs,
      events_json: '[]',
      links_json: '[]',
    });
    expect(row.resource_json).toBe(''); // every resource value is a string: the map has them
  });

  it('defaults the service name and reads the older deployment.environment', () => {
    const row = one({}, { 'deployment.environment': 'staging' });
    expect(row.service_name).toBe('unknown_service');
    expect(row.environment).toBe('staging');
  });

  it('names every span kind and status code, unknown ones as unspecified / unset', () => {
    const kinds = [0, 1, 2, 3, 4, 5, 99].map((kind) => one({ kind }).kind);
    expect(kinds).toEqual([
      'unspecified',
      'internal',
      'server',
      'client',
      'producer',
      'consumer',
      'unspecified',
    ]);
    const statuses = [0, 1, 2, 7].map((code) => one({ status: { code, message: '' } }).status_code);
    expect(statuses).toEqual(['unset', 'ok', 'error', 'unset']);
  });

  it('treats an all-zero parent span id as a root span', () => {
    expect(one({ parentSpanId: '0000000000000000' }).parent_span_id).toBe('');
  });

  it('writes events and links as JSON with ns timestamps as strings', () => {
    const row = one({
      events: [event('exception', { 'exception.type': 'Error', 'exception.message': 'x' })],
      links: [
        {
          traceId: '0af7651916cd43dd8448eb211c80319c',
          spanId: 'b7ad6b7169203331',
          traceState: '',
          attributes: attrs({ 'link.kind': 'follows' }),
          droppedAttributesCount: 0,
          flags: 1,
        },
      ],
    });
    expect(JSON.parse(row.events_json)).toEqual([
      {
        timeUnixNano: (NOW_NS - 500n).toString(),
        name: 'exception',
        attributes: { 'exception.type': 'Error', 'exception.message': 'x' },
        droppedAttributesCount: 0,
      },
    ]);
    expect(JSON.parse(row.links_json)).toEqual([
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceState: '',
        attributes: { 'link.kind': 'follows' },
        droppedAttributesCount: 0,
        flags: 1,
      },
    ]);
  });

  it('serializes to JSON that keeps every column', () => {
    const row = one({ attributes: attrs({ 'http.route': '/x' }) });
    const back = JSON.parse(JSON.stringify(row)) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(Object.keys(row));
  });
});

describe('normalizeTraces: validation', () => {
  const cases: [string, Parameters<typeof span>[0], string][] = [
    ['a short trace id', { traceId: 'abc' }, 'invalid trace_id (must be 16 bytes, not all zero)'],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, 'invalid trace_id'],
    [
      'a non-hex span id',
      { spanId: 'zzzzzzzzzzzzzzzz' },
      'invalid span_id (must be 8 bytes, not all zero)',
    ],
    ['an all-zero span id', { spanId: '0'.repeat(16) }, 'invalid span_id'],
    [
      'a bad parent id',
      { parentSpanId: '12' },
      'invalid parent_span_id (must be empty or 8 bytes)',
    ],
    ['no start time', { startTimeUnixNano: 0n }, 'missing start_time_unix_nano'],
    ['no end time', { endTimeUnixNano: 0n }, 'missing end_time_unix_nano'],
    [
      'an end before the start',
      { startTimeUnixNano: NOW_NS, endTimeUnixNano: NOW_NS - 1n },
      'end_time_unix_nano is before start_time_unix_nano',
    ],
    [
      'a time more than a day ahead',
      { startTimeUnixNano: NOW_NS, endTimeUnixNano: NOW_NS + 2n * DAY_NS },
      'end_time_unix_nano is more than 24 h ahead of the server clock',
    ],
    [
      'a start older than the retention',
      { startTimeUnixNano: NOW_NS - 31n * DAY_NS, endTimeUnixNano: NOW_NS },
      "start_time_unix_nano is older than the project's retention",
    ],
  ];

  for (const [what, overrides, reason] of cases) {
    it(`rejects ${what}`, () => {
      const out = normalizeTraces(traces([span(), span(overrides)]), ctx());
      expect(out.rows).toHaveLength(1);
      expect(out.rejected).toBe(1);
      expect(out.errors).toHaveLength(1);
      expect(out.errors[0]).toContain("span 1 of scope 'test-scope': ");
      expect(out.errors[0]).toContain(reason);
    });
  }

  it('accepts a little clock skew into the future', () => {
    const out = normalizeTraces(
      traces([span({ startTimeUnixNano: NOW_NS + 1000n, endTimeUnixNano: NOW_NS + DAY_NS / 2n })]),
      ctx(),
    );
    expect(out.rejected).toBe(0);
  });

  it('counts every rejection but keeps at most five examples, one per distinct reason', () => {
    const bad = Array.from({ length: 50 }, () => span({ traceId: 'x' }));
    const worse = [
      span({ spanId: 'x' }),
      span({ parentSpanId: 'x' }),
      span({ startTimeUnixNano: 0n }),
      span({ endTimeUnixNano: 0n }),
      span({ endTimeUnixNano: 1n }),
    ];
    const out = normalizeTraces(traces([...bad, ...worse, span()]), ctx());
    expect(out.rows).toHaveLength(1);
    expect(out.rejected).toBe(55);
    expect(out.errors).toHaveLength(5);
    expect(out.errors[0]).toBe(
      "span 0 of scope 'test-scope': invalid trace_id (must be 16 bytes, not all zero)",
    );
  });

  it('cuts a hostile scope name in messages', () => {
    const out = normalizeTraces(traces([span({ traceId: '' })], {}, 's'.repeat(10_000)), ctx());
    expect(out.errors[0]!.length).toBeLessThan(200);
  });
});

describe('normalizeTraces: hostile input', () => {
  it('clips enormous names and truncates enormous values with a marker', () => {
    const huge = 'v'.repeat(5 * 1024 * 1024);
    const row = one({ name: 'n'.repeat(100_000), attributes: attrs({ huge }) });
    expect(row.name.length).toBe(MAX_NAME_CHARS);
    expect(row.attributes['huge']!.length).toBeLessThan(MAX_ATTRIBUTE_CHARS + 50);
    expect(row.attributes['huge']).toContain('…[truncated, 5242880 chars]');
    expect(row.attributes_json).toBe('');
  });

  it('stores __proto__ and constructor keys as data, in spans and resources', () => {
    const a = attrs({ constructor: 'c' });
    a['__proto__'] = attrs({ polluted: true });
    const resource = attrs({ 'service.name': 'svc' });
    resource['__proto__'] = 'r';
    const row = one({ attributes: a }, resource);
    expect(row.attributes['__proto__']).toBe('{"polluted":true}');
    expect(row.attributes['constructor']).toBe('c');
    expect(row.resource_attributes['__proto__']).toBe('r');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const json = JSON.parse(JSON.stringify(row)) as { attributes: Record<string, unknown> };
    expect(Object.prototype.hasOwnProperty.call(json.attributes, '__proto__')).toBe(true);
  });

  it('writes NaN and infinite doubles as strings, int64 beyond 2^53 as decimal strings', () => {
    const row = one({
      attributes: attrs({ nan: NaN, inf: -Infinity, big: 18446744073709551615n, list: [1, NaN] }),
    });
    expect(typedAttributes(row.attributes, row.attributes_json)).toEqual({
      nan: 'NaN',
      inf: '-Infinity',
      big: '18446744073709551615',
      list: [1, 'NaN'],
    });
    expect(row.attributes).toMatchObject({ nan: 'NaN', inf: '-Infinity', list: '[1,"NaN"]' });
  });

  it('replaces lone surrogates (OTLP/JSON can carry them; ClickHouse refuses them)', () => {
    const lone = 'a\ud800b';
    const a = attrs({ [lone]: lone, list: [lone], kv: attrs({ [lone]: 1 }) });
    const row = one(
      { name: lone, attributes: a, events: [event(lone, { k: lone })] },
      {
        'service.name': lone,
      },
    );
    const text = JSON.stringify(row);
    expect(text).not.toMatch(/\\ud800/);
    expect(row.name).toBe('a\ufffdb');
    expect(row.service_name).toBe('a\ufffdb');
    expect(row.attributes['a\ufffdb']).toBe('a\ufffdb');
  });

  it('does not mistake values such as constructor or __proto__ for known names', () => {
    for (const v of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const row = one({
        attributes: attrs({
          'gen_ai.operation.name': v,
          'traceloop.span.kind': v,
          'llm.request.type': v,
          'ai.operationId': v,
          'pyflare.span.kind': v,
          'gen_ai.input.messages': JSON.stringify([{ role: v, content: 'x' }]),
        }),
      });
      expect(row.operation).toBe('');
      expect(JSON.parse(row.input_messages)).toEqual([{ role: v.toLowerCase(), content: 'x' }]);
    }
  });

  it('treats token counts beyond 2^53 as absent', () => {
    const row = one({
      attributes: attrs({
        'gen_ai.usage.input_tokens': 2n ** 64n,
        'llm.token_count.prompt': 1e30,
        'gen_ai.usage.prompt_tokens': '99999999999999999999',
        'gen_ai.usage.output_tokens': 7,
      }),
    });
    expect(row).toMatchObject({ input_tokens: 0, output_tokens: 7, total_tokens: 7 });
  });

  it('drops embeddings a Float32 column cannot hold', () => {
    expect(one({ attributes: attrs({ 'pyflare.embedding': [1, 1e39] }) }).embedding).toEqual([]);
  });

  it('survives deep kvlists', () => {
    let v = attrs({ leaf: 'x' });
    for (let i = 0; i < 500; i++) v = attrs({ v });
    const row = one({ attributes: attrs({ deep: v, 'gen_ai.input.messages': [v] }) });
    expect(row.attributes_json).toContain('[depth limit]');
    expect(() => JSON.stringify(row)).not.toThrow();
  });
});

describe('normalizeTraces: timestamps for DateTime64(9)', () => {
  it('pads ns strings to 19 digits, which ClickHouse reads as ns whatever the date', () => {
    const out = normalizeTraces(
      traces([span({ startTimeUnixNano: 5n, endTimeUnixNano: 1_000_000_000n })]),
      ctx({ retentionDays: 0 }), // no retention bound, so 1970 times are accepted
    );
    expect(out.rows[0]).toMatchObject({
      start_time: '0000000000000000005',
      end_time: '0000000001000000000',
      duration_ns: 999_999_995,
    });
  });
});
