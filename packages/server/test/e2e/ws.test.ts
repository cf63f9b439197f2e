import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, Browser } from '../helpers/browser.ts';
import { hexId, jsonSpan, jsonTrace, jsonTraceRequest, postJson } from '../helpers/otlp-json.ts';
import { eventually, startTestServer, type TestServer } from '../helpers/running-server.ts';
import { WsClient } from '../helpers/ws-client.ts';

let server: TestServer;
let wsUrl: string;
let origin: string;
let browser: Browser;
const clients: WsClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ adminPassword: ADMIN_PASSWORD });
  wsUrl = `${server.apiUrl.replace('http', 'ws')}/api/v1/ws`;
  origin = server.apiUrl;
  browser = new Browser(server.apiUrl);
  expect((await browser.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

async function open(headers: Record<string, string>): Promise<WsClient> {
  const c = await WsClient.open(wsUrl, headers);
  clients.push(c);
  return c;
}

const asBrowser = () => open({ cookie: browser.cookieHeader(), origin });

async function refused(headers: Record<string, string>, url = wsUrl): Promise<number> {
  try {
    const c = await WsClient.open(url, headers);
    c.close();
    return 101;
  } catch (e) {
    return (e as { status?: number }).status ?? 0;
  }
}

/** A trace of one service with an LLM span of `model`. */
function modelTrace(service: string, model: string) {
  const traceId = hexId(16);
  const rootId = hexId(8);
  const spans = [
    jsonSpan({ traceId, spanId: rootId, name: 'POST /checkout' }),
    jsonSpan({
      traceId,
      parentSpanId: rootId,
      name: `chat ${model}`,
      attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model },
    }),
  ];
  return { traceId, body: jsonTraceRequest(spans, service) };
}

async function createKey(scopes: string[], projectId?: string): Promise<string> {
  const res = await server.api('/api/v1/keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ws', scopes, ...(projectId ? { projectId } : {}) }),
  });
  return ((await res.json()) as { key: string }).key;
}

describe('WebSocket /api/v1/ws: authentication at the upgrade', () => {
  it('refuses a connection without credentials (401) or with a bad cookie', async () => {
    expect(await refused({})).toBe(401);
    expect(await refused({ origin })).toBe(401);
    expect(await refused({ cookie: `pyflare_session=${'A'.repeat(43)}`, origin })).toBe(401);
  });

  it('refuses a session cookie from a foreign or missing Origin (403)', async () => {
    expect(await refused({ cookie: browser.cookieHeader(), origin: 'https://evil.example' })).toBe(
      403,
    );
    expect(await refused({ cookie: browser.cookieHeader(), origin: 'http://localhost:1' })).toBe(
      403,
    );
    expect(await refused({ cookie: browser.cookieHeader() })).toBe(403);
  });

  it('accepts the session from its own origin and a read API key from anywhere', async () => {
    const session = await asBrowser();
    session.send({ type: 'ping' });
    expect(await session.next((m) => m.type === 'pong')).toEqual({ type: 'pong' });
    const keyed = await open({ authorization: `Bearer ${server.adminKey}` });
    keyed.send({ type: 'ping' });
    await keyed.next((m) => m.type === 'pong');
    expect(await refused({ 'x-api-key': await createKey(['ingest']) })).toBe(403);
    expect(await refused({ 'x-api-key': 'pf_nope_nope_nope_nope' })).toBe(401);
  });
});

describe('WebSocket /api/v1/ws: the session ends', () => {
  it('closes the socket with 1008 when its session logs out', async () => {
    const b = new Browser(server.apiUrl);
    expect((await b.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    const c = await open({ cookie: b.cookieHeader(), origin });
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    expect((await b.request('/api/v1/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await c.whenClosed()).code).toBe(1008);
  });
});

describe('WebSocket /api/v1/ws: the traces channel', () => {
  it('sends summaries of durable traces that match the subscription, and not others', async () => {
    const c = await asBrowser();
    c.send({
      type: 'subscribe',
      id: 's1',
      channel: 'traces',
      filter: { q: 'service:checkout model:gpt-4o' },
    });
    await c.next((m) => m.type === 'subscribed' && m.id === 's1');

    const match = modelTrace('checkout', 'gpt-4o');
    const otherModel = modelTrace('checkout', 'claude-3-5-sonnet');
    const otherService = modelTrace('billing', 'gpt-4o');
    const last = modelTrace('checkout', 'gpt-4o');
    for (const t of [match, otherModel, otherService, last]) {
      expect((await postJson(server.otlpHttpUrl, t.body, server.adminKey)).status).toBe(200);
    }
    // Events of one flush go oldest first, and the four traces may start in the same millisecond.
    const first = await c.next(
      (m) => m.type === 'event' && (m.data as { traceId: string }).traceId === match.traceId,
    );
    expect(first).toMatchObject({ type: 'event', id: 's1', channel: 'traces' });
    const summary = first.data as Record<string, unknown>;
    expect(summary).toMatchObject({
      traceId: match.traceId,
      rootName: 'POST /checkout',
      rootService: 'checkout',
      services: ['checkout'],
      models: ['gpt-4o'],
      spanCount: 2,
      hasError: false,
    });
    // The same shape as GET /traces items.
    const listed = (await (await server.api(`/api/v1/traces?traceId=${match.traceId}`)).json()) as {
      traces: unknown[];
    };
    expect(summary).toEqual(listed.traces[0]);

    // `last` was durable after the non-matching ones: once it arrives, they would have too.
    await c.next(
      (m) => m.type === 'event' && (m.data as { traceId: string }).traceId === last.traceId,
    );
    const sent = c.messages
      .filter((m) => m.type === 'event')
      .map((m) => (m.data as { traceId: string }).traceId);
    expect(sent).not.toContain(otherModel.traceId);
    expect(sent).not.toContain(otherService.traceId);
    expect(new Set(sent)).toEqual(new Set([match.traceId, last.traceId]));
  });

  it('keeps projects apart and stops after unsubscribe', async () => {
    const project = (await (
      await server.api('/api/v1/projects', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'elsewhere' }),
      })
    ).json()) as { id: string };
    const theirKey = await createKey(['ingest', 'read'], project.id);
    const theirs = await open({ authorization: `Bearer ${theirKey}` });
    const mine = await asBrowser();
    for (const c of [theirs, mine]) {
      c.send({ type: 'subscribe', id: 'all', channel: 'traces' });
      await c.next((m) => m.type === 'subscribed');
    }
    const inDefault = jsonTrace(2, 'svc-default');
    const inOther = jsonTrace(2, 'svc-other');
    expect((await postJson(server.otlpHttpUrl, inDefault.body, server.adminKey)).status).toBe(200);
    expect((await postJson(server.otlpHttpUrl, inOther.body, theirKey)).status).toBe(200);
    await mine.next(
      (m) => (m.data as { traceId?: string } | undefined)?.traceId === inDefault.traceId,
    );
    await theirs.next(
      (m) => (m.data as { traceId?: string } | undefined)?.traceId === inOther.traceId,
    );
    const ids = (c: WsClient) =>
      c.messages
        .filter((m) => m.type === 'event')
        .map((m) => (m.data as { traceId: string }).traceId);
    expect(ids(theirs)).not.toContain(inDefault.traceId);
    expect(ids(mine)).not.toContain(inOther.traceId);

    theirs.send({ type: 'unsubscribe', id: 'all' });
    theirs.send({ type: 'ping' });
    await theirs.next((m) => m.type === 'pong');
    const before = theirs.messages.length;
    const later = jsonTrace(2, 'svc-other');
    expect((await postJson(server.otlpHttpUrl, later.body, theirKey)).status).toBe(200);
    // A second subscriber in the same project proves the flush happened.
    const witness = await open({ authorization: `Bearer ${theirKey}` });
    witness.send({ type: 'subscribe', id: 'w', channel: 'traces' });
    await witness.next((m) => m.type === 'subscribed');
    const after = jsonTrace(2, 'svc-other');
    expect((await postJson(server.otlpHttpUrl, after.body, theirKey)).status).toBe(200);
    await witness.next(
      (m) => (m.data as { traceId?: string } | undefined)?.traceId === after.traceId,
    );
    expect(theirs.messages.slice(before).filter((m) => m.type === 'event')).toEqual([]);
  });
});

describe('WebSocket /api/v1/ws: bounded connections', () => {
  it('refuses more than 16 open sockets per key (429), and frees the slot on close', async () => {
    const key = await createKey(['read']);
    const mine: WsClient[] = [];
    for (let i = 0; i < 16; i++) mine.push(await open({ 'x-api-key': key }));
    expect(await refused({ 'x-api-key': key })).toBe(429);
    // Another principal is not affected.
    expect(await refused({ 'x-api-key': server.adminKey })).toBe(101);
    mine[0]!.close();
    await mine[0]!.whenClosed();
    // The server counts the socket closed once its side has closed too: retry until it has.
    const again = await eventually(() =>
      open({ 'x-api-key': key }).catch((e: { status?: number }) => {
        expect(e.status).toBe(429);
        return undefined;
      }),
    );
    again.send({ type: 'ping' });
    await again.next((m) => m.type === 'pong');
    for (const c of [...mine, again]) c.close();
  });
});

describe('WebSocket /api/v1/ws: the session’s project', () => {
  it('takes the project from ?project= (browsers cannot set headers on a WebSocket)', async () => {
    const created = await browser.request('/api/v1/projects', {
      method: 'POST',
      json: { name: 'ws-second' },
    });
    expect(created.status).toBe(201);
    const second = (await created.json()) as { id: string };
    const key = await createKey(['ingest'], second.id);
    const c = await WsClient.open(`${wsUrl}?project=${second.id}`, {
      cookie: browser.cookieHeader(),
      origin,
    });
    clients.push(c);
    c.send({ type: 'subscribe', id: 's', channel: 'traces' });
    await c.next((m) => m.type === 'subscribed');
    const inDefault = jsonTrace(2, 'first');
    const inSecond = jsonTrace(2, 'second');
    expect((await postJson(server.otlpHttpUrl, inDefault.body, server.adminKey)).status).toBe(200);
    expect((await postJson(server.otlpHttpUrl, inSecond.body, key)).status).toBe(200);
    const event = await c.next((m) => m.type === 'event');
    expect((event.data as { traceId: string }).traceId).toBe(inSecond.traceId);
    // A project the user is not in is refused at the upgrade.
    expect(
      await refused({ cookie: browser.cookieHeader(), origin }, `${wsUrl}?project=prj_nope`),
    ).toBe(403);
  });
});

describe('WebSocket /api/v1/ws: bad messages', () => {
  it('answers error frames and keeps the connection open', async () => {
    const c = await asBrowser();
    const cases: [unknown, string, string | undefined][] = [
      ['{not json', 'BAD_MESSAGE', undefined],
      ['[1,2]', 'UNKNOWN_TYPE', undefined],
      [{ type: 'shout' }, 'UNKNOWN_TYPE', undefined],
      [{ type: 'subscribe', id: 'a1', channel: 'alerts' }, 'UNKNOWN_CHANNEL', 'a1'],
      [
        { type: 'subscribe', id: 'q1', channel: 'traces', filter: { q: 'duration:>fast' } },
        'INVALID_QUERY',
        'q1',
      ],
      [{ type: 'subscribe', channel: 'traces' }, 'BAD_MESSAGE', undefined],
      [{ type: 'subscribe', id: 'x', channel: 'traces', filter: { q: 1 } }, 'BAD_MESSAGE', 'x'],
      [{ type: 'unsubscribe', id: 'never' }, 'UNKNOWN_SUBSCRIPTION', 'never'],
    ];
    for (const [message, code, id] of cases) {
      const from = c.messages.length;
      c.send(message);
      const error = await c.next((m) => m.type === 'error', from);
      expect(error.code, JSON.stringify(message)).toBe(code);
      expect(error.id).toBe(id);
      expect(typeof error.message).toBe('string');
    }
    const beforeBinary = c.messages.length;
    c.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await c.next((m) => m.type === 'error', beforeBinary)).code).toBe('BAD_MESSAGE');
    c.send({ type: 'subscribe', id: 'dup', channel: 'traces' });
    await c.next((m) => m.type === 'subscribed' && m.id === 'dup');
    const from = c.messages.length;
    c.send({ type: 'subscribe', id: 'dup', channel: 'traces' });
    expect((await c.next((m) => m.type === 'error', from)).code).toBe('DUPLICATE_ID');
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong');
    expect(c.closed).toBeUndefined();
  });

  it('closes with 1008 on a message over 64 KiB', async () => {
    const c = await asBrowser();
    c.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(70 * 1024) }));
    expect((await c.whenClosed()).code).toBe(1008);
  });

  it('closes with 1008 on more than 100 messages in a second', async () => {
    const c = await asBrowser();
    for (let i = 0; i < 150; i++) c.send({ type: 'ping' });
    expect((await c.whenClosed()).code).toBe(1008);
    expect(c.messages.filter((m) => m.type === 'pong').length).toBeLessThanOrEqual(100);
  });
});
