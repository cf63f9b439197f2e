import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTraceRoutes } from '../../src/api/routes/traces.ts';
import type { ApiApp } from '../../src/api/types.ts';
import { buildReadApp } from '../helpers/read-app.ts';
import { openTestDb, type TestDb } from '../helpers/read-db.ts';
import { ids, insertFixture, span, type Fixture } from '../helpers/read-fixtures.ts';

let t: TestDb;
let app: ApiApp;
let fx: Fixture;

beforeAll(async () => {
  t = await openTestDb();
  fx = await insertFixture(t.db);
  app = await buildReadApp(t.db, registerTraceRoutes);
});
afterAll(async () => {
  await app.close();
  await t.close();
});

interface Summary {
  traceId: string;
  rootName: string;
  rootService: string;
  services: string[];
  spanCount: number;
  errorCount: number;
  hasError: boolean;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNs: number;
  models: string[];
  totalTokens: number;
  users: string[];
  sessions: string[];
}

async function list(query: string): Promise<{ traces: Summary[]; nextCursor: string | null }> {
  const res = await app.inject(`/api/v1/traces?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const idsOf = async (query: string) => (await list(query)).traces.map((s) => s.traceId);

const order = ['hostile', 'split', 'orphan', 'agent', 'search', 'checkout'] as const;
const all = order.map((k) => ids[k]);

describe('GET /api/v1/traces', () => {
  it('lists the project’s traces newest first with exact summaries', async () => {
    const { traces, nextCursor } = await list('');
    expect(traces.map((s) => s.traceId)).toEqual(all);
    expect(nextCursor).toBeNull();
    const checkout = traces.find((s) => s.traceId === ids.checkout)!;
    expect(checkout).toEqual({
      traceId: ids.checkout,
      rootName: 'POST /checkout',
      rootService: 'api',
      services: ['api'],
      spanCount: 2,
      errorCount: 0,
      hasError: false,
      startTimeUnixNano: fx.starts.checkout.toString(),
      endTimeUnixNano: (fx.starts.checkout + 2_000_000_001n).toString(),
      durationNs: 2_000_000_001,
      models: ['gpt-4o', 'gpt-4o-2024-08-06'],
      inputTokens: 100,
      outputTokens: 20,
      totalTokens: 120,
      users: ['alice'],
      sessions: ['s1'],
    });
  });

  it('re-aggregates traces split across parts and names rootless traces by their first span', async () => {
    const { traces } = await list('');
    const split = traces.find((s) => s.traceId === ids.split)!;
    expect(split).toMatchObject({
      rootName: 'split root',
      rootService: 'batch',
      spanCount: 2,
      errorCount: 1,
      hasError: true,
      totalTokens: 12,
      startTimeUnixNano: fx.starts.split.toString(),
      durationNs: 3_000_000_000,
    });
    const orphan = traces.find((s) => s.traceId === ids.orphan)!;
    expect(orphan).toMatchObject({ rootName: 'orphan child', rootService: '', spanCount: 1 });
  });

  it('never returns another project’s rows', async () => {
    const { traces } = await list('limit=1000');
    expect(traces.map((s) => s.traceId)).not.toContain(ids.otherProject);
    const checkout = traces.find((s) => s.traceId === ids.checkout)!;
    expect(checkout.spanCount).toBe(2);
    expect(await idsOf('search=secret')).toEqual([]);
    expect(await idsOf('name=intruder')).toEqual([]);
  });

  it.each([
    ['service=api', ['agent', 'checkout']],
    ['service=web&service=worker', ['hostile', 'orphan', 'search']],
    ['model=gpt-4o-2024-08-06', ['checkout']],
    ['model=claude-3&model=gpt-4o', ['agent', 'checkout']],
    ['provider=anthropic', ['agent']],
    ['user=alice', ['checkout']],
    ['session=s1', ['checkout']],
    ['name=db%20query', ['search']],
    ['operation=retrieval', ['search']],
    ['kind=SERVER', ['split', 'search', 'checkout']],
    ['environment=staging', ['search']],
    ['status=error', ['split', 'search']],
    ['status=ok', ['hostile', 'orphan', 'agent', 'checkout']],
    ['minDuration=2s', ['split', 'agent', 'checkout']],
    ['minDuration=2000000001ns', ['split', 'agent', 'checkout']],
    ['minDuration=2000000002ns', ['split', 'agent']],
    ['maxDuration=500ms', ['hostile', 'orphan', 'search']],
    ['minDuration=100ms&maxDuration=2.5s', ['search', 'checkout']],
    ['attr=http.status_code:200', ['checkout']],
    ['attr=http.status_code:500', ['search']],
    ['attr=app.tags:["a","b"]', ['checkout']],
    ['attr=app.flag:true&attr=gen_ai.request.temperature:0.2', ['checkout']],
    ['resourceAttr=service.name:web', ['search']],
    ['search=paris', ['agent']],
    ['search=TIMEOUT', ['search']],
    ['search=checkout', ['checkout']],
    [`traceId=${ids.agent.toUpperCase()}`, ['agent']],
  ])('filters by %s', async (query, expected) => {
    expect(await idsOf(query)).toEqual(expected.map((k) => ids[k as keyof typeof ids]));
  });

  it.each([
    ['service:api', ['agent', 'checkout']],
    ['-service:api', ['hostile', 'split', 'orphan', 'search']],
    ['status:error duration:>1s', ['split']],
    ['tokens:>=120', ['agent', 'checkout']],
    ['spans:>=2', ['split', 'agent', 'search', 'checkout']],
    ['spans:1', ['hostile', 'orphan']],
    ['operation:chat -model:claude-3', ['checkout']],
    // Conditions may hold on different spans of the trace.
    ['name:"GET /search" operation:tool', ['search']],
    ['-name:"db query" service:web', []],
    ['attr.http.status_code:200', ['checkout']],
    ['-attr.http.status_code:200 kind:server', ['split', 'search']],
    ['resource.service.name:api', ['agent', 'checkout']],
    ['weather', ['checkout']],
    ['-paris service:api', ['checkout']],
    // Span conditions checked only on the traces passing the trace-level ones.
    ['service:api attr.http.status_code:200', ['checkout']],
    ['service:web attr.http.status_code:200', []],
    ['service:web attr.http.status_code:500 status:error', ['search']],
    ['status:error attr.http.status_code:500 name:"GET /search"', ['search']],
    ['service:api paris', ['agent']],
    ['service:api -model:claude-3 weather', ['checkout']],
    ['"DB"', ['search']],
    ['env:prod', ['checkout']],
  ])('filters by q=%s', async (q, expected) => {
    expect(await idsOf(`q=${encodeURIComponent(q)}`)).toEqual(
      expected.map((k) => ids[k as keyof typeof ids]),
    );
  });

  it('merges q with the plain parameters', async () => {
    expect(await idsOf(`service=api&q=${encodeURIComponent('user:bob')}`)).toEqual([ids.agent]);
    expect(await idsOf(`status=ok&q=${encodeURIComponent('status:error')}`)).toEqual([]);
  });

  it('treats hostile attribute keys and values as data', async () => {
    const key = "' OR 1=1 --";
    expect(await idsOf(`attr=${encodeURIComponent(`${key}:{x:String}`)}`)).toEqual([ids.hostile]);
    expect(await idsOf(`attr=${encodeURIComponent(`${key}:x`)}`)).toEqual([]);
    expect(await idsOf(`attr=${encodeURIComponent('{p0:String}:{p1:String}')}`)).toEqual([]);
    expect(await idsOf(`q=${encodeURIComponent(`attr."${key}":"{x:String}"`)}`)).toEqual([
      ids.hostile,
    ]);
    expect(await idsOf(`search=${encodeURIComponent("' OR 1=1 --")}`)).toEqual([ids.hostile]);
    // % and _ are not wildcards.
    expect(await idsOf(`search=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await idsOf(`attr=${encodeURIComponent('50%_off:yes')}`)).toEqual([ids.hostile]);
  });

  it('matches an empty attribute value only where the key is present', async () => {
    expect(await idsOf(`attr=${encodeURIComponent('note.empty:')}`)).toEqual([ids.hostile]);
    expect(await idsOf(`q=${encodeURIComponent('attr.note.empty:""')}`)).toEqual([ids.hostile]);
    expect(await idsOf(`attr=${encodeURIComponent('note.absent:')}`)).toEqual([]);
    expect(await idsOf(`attr=${encodeURIComponent('50%_off:')}`)).toEqual([]);
  });

  it('restricts to the time window (trace start within [from, to], ms inclusive)', async () => {
    const ms = (ns: bigint) => ns / 1_000_000n;
    const from = ms(fx.starts.search);
    const to = ms(fx.starts.orphan);
    expect(await idsOf(`from=${from}&to=${to}`)).toEqual([ids.orphan, ids.agent, ids.search]);
    const iso = (ns: bigint) => new Date(Number(ms(ns))).toISOString();
    expect(await idsOf(`from=${iso(fx.starts.agent)}&to=${iso(fx.starts.agent)}`)).toEqual([
      ids.agent,
    ]);
    // Before the checkout trace's first millisecond: excluded.
    expect(await idsOf(`to=${ms(fx.starts.checkout) - 1n}&from=0`)).toEqual([]);
    expect(await idsOf(`q=${encodeURIComponent('time:last-1m')}`)).toEqual([]);
    expect(await idsOf(`q=${encodeURIComponent('time:last-2h')}&to=${to}`)).toEqual(
      ['orphan', 'agent', 'search', 'checkout'].map((k) => ids[k as keyof typeof ids]),
    );
  });

  it.each([
    ['time', 'desc', all],
    ['time', 'asc', [...all].reverse()],
    ['duration', 'desc', ['agent', 'split', 'checkout', 'search', 'hostile', 'orphan']],
    ['duration', 'asc', ['orphan', 'hostile', 'search', 'checkout', 'split', 'agent']],
  ])('sorts by %s %s', async (sort, dir, expected) => {
    const want = expected.map((k) => (k.length === 32 ? k : ids[k as keyof typeof ids]));
    expect(await idsOf(`sort=${sort}&order=${dir}`)).toEqual(want);
  });

  it('sorts by tokens, ties broken by trace id', async () => {
    const { traces } = await list('sort=tokens');
    expect(traces.map((s) => s.totalTokens)).toEqual([1000, 120, 12, 0, 0, 0]);
    const zero = traces.slice(3).map((s) => s.traceId);
    expect(zero).toEqual([...zero].sort().reverse());
  });

  it('pages with a cursor', async () => {
    const first = await list('limit=4');
    expect(first.traces.map((s) => s.traceId)).toEqual(all.slice(0, 4));
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await list(`limit=4&cursor=${first.nextCursor}`);
    expect(second.traces.map((s) => s.traceId)).toEqual(all.slice(4));
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    ['limit=1001', /limit/],
    ['limit=0', /limit/],
    ['cursor=not-a-cursor', /cursor/],
    ['cursor=%25%25', /cursor/],
    ['sort=name', /sort/],
    ['status=broken', /status/],
    ['minDuration=fast', /duration/],
    ['minDuration=1000', /unit/],
    ['from=yesterday', /from/],
    ['from=2000&to=1000', /after/],
    ['attr=novalue', /key:value/],
    ['unknownParam=1', /unknownParam|Unrecognized/],
  ])('refuses %s with 400', async (query, message) => {
    const res = await app.inject(`/api/v1/traces?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toMatch(message);
  });

  it('refuses a cursor from another sort', async () => {
    const { nextCursor } = await list('limit=1&sort=duration');
    const res = await app.inject(`/api/v1/traces?limit=1&sort=time&cursor=${nextCursor}`);
    expect(res.statusCode).toBe(400);
  });

  it('answers a bad q with 400 INVALID_QUERY and the error’s position', async () => {
    const q = 'service:api duration:>abc';
    const res = await app.inject(`/api/v1/traces?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('INVALID_QUERY');
    expect(q.slice(body.start, body.end)).toContain('abc');
  });
});

describe('GET /api/v1/traces/:traceId', () => {
  it('returns every span with exact times, typed attributes and parsed content', async () => {
    const res = await app.inject(`/api/v1/traces/${ids.checkout.toUpperCase()}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.trace).toMatchObject({ traceId: ids.checkout, spanCount: 2 });
    expect(body.spans.map((s: { spanId: string }) => s.spanId)).toEqual([span(1), span(2)]);
    const [root, chat] = body.spans;
    expect(root).toMatchObject({
      traceId: ids.checkout,
      parentSpanId: '',
      name: 'POST /checkout',
      kind: 'server',
      serviceName: 'api',
      environment: 'prod',
      startTimeUnixNano: fx.starts.checkout.toString(),
      endTimeUnixNano: (fx.starts.checkout + 2_000_000_001n).toString(),
      durationNs: 2_000_000_001,
      status: { code: 'ok', message: '' },
      attributes: { 'http.status_code': 200, 'app.tags': ['a', 'b'], 'app.flag': true },
      resource: { 'service.name': 'api', 'process.pid': 4242 },
      scope: { name: 'test', version: '1.0' },
      userId: 'alice',
      sessionId: 's1',
      inputMessages: null,
    });
    expect(chat).toMatchObject({
      parentSpanId: span(1),
      startTimeUnixNano: (fx.starts.checkout + 1000n).toString(),
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o',
      responseModel: 'gpt-4o-2024-08-06',
      inputTokens: 100,
      outputTokens: 20,
      totalTokens: 120,
      inputText: 'What is the weather?',
      inputMessages: [{ role: 'user', content: 'What is the weather?' }],
      outputMessages: [{ role: 'assistant', content: 'Sunny.' }],
      attributes: { 'gen_ai.request.temperature': 0.2, 'http.status_code': 200 },
      resource: { 'service.name': 'api' },
      events: [
        {
          timeUnixNano: (fx.starts.checkout + 7777n).toString(),
          name: 'gen_ai.content.note',
          attributes: { 'note.len': 12 },
          droppedAttributesCount: 0,
        },
      ],
      links: [
        {
          traceId: ids.agent,
          spanId: span(9),
          traceState: '',
          attributes: { 'link.reason': 'retry-of' },
          droppedAttributesCount: 0,
          flags: 1,
        },
      ],
    });
  });

  it('gives each trace the summary the list gives it (roots, rootless, split, errors, tokens)', async () => {
    const listed = (await list('limit=100')).traces;
    expect(listed.map((s) => s.traceId).sort()).toEqual([...all].sort());
    for (const summary of listed) {
      const res = await app.inject(`/api/v1/traces/${summary.traceId}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().trace, summary.traceId).toEqual(summary);
    }
  });

  it('returns parsed retrieval documents and error statuses', async () => {
    const body = (await app.inject(`/api/v1/traces/${ids.search}`)).json();
    const [, retrieve, db] = body.spans;
    expect(retrieve.retrievalDocuments).toEqual([{ id: 'd1', content: 'Paris', score: 0.9 }]);
    expect(db.status).toEqual({ code: 'error', message: 'Timeout talking to DB' });
  });

  it('reads a trace split across parts', async () => {
    const body = (await app.inject(`/api/v1/traces/${ids.split}`)).json();
    expect(body.spans.map((s: { name: string }) => s.name)).toEqual(['split root', 'split child']);
  });

  it('404s for an unknown trace and for another project’s trace', async () => {
    for (const id of ['1'.repeat(32), ids.otherProject]) {
      const res = await app.inject(`/api/v1/traces/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
    }
  });

  it('400s for a malformed trace id', async () => {
    for (const id of ['abc', 'g'.repeat(32), '1'.repeat(33), "'%20OR%201=1"]) {
      const res = await app.inject(`/api/v1/traces/${id}`);
      expect(res.statusCode, id).toBe(400);
    }
  });
});
