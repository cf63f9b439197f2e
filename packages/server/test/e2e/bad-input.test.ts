import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  counterValue,
  jsonSpan,
  jsonTrace,
  jsonTraceRequest,
  hexId,
  nowNs,
  postJson,
} from '../helpers/otlp-json.ts';
import { startTestServer, type TestServer } from '../helpers/running-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 64 * 1024, maxDecompressedBytes: 256 * 1024 });
});
afterAll(() => server.stop());

async function accepted(): Promise<number> {
  const text = await (await server.api('/metrics')).text();
  return counterValue(text, 'pyflare_ingest_accepted_total', { signal: 'traces' });
}

function post(body: string | Uint8Array | Buffer, headers: Record<string, string>) {
  return fetch(`${server.otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, ...headers },
    body,
  });
}

describe('OTLP/HTTP bad input', () => {
  it('answers malformed protobuf with 400 and a google.rpc.Status naming the problem', async () => {
    const before = await accepted();
    // Field 1 (resource_spans), length-delimited, claims 100 bytes but 3 follow.
    const res = await post(new Uint8Array([0x0a, 0x64, 1, 2, 3]), {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/x-protobuf');
    const body = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(body);
    expect(text).toMatch(/malformed OTLP protobuf/);
    expect(body[0]).toBe(0x08); // Status.code, field 1 varint
    expect(body[1]).toBe(3); // INVALID_ARGUMENT
    expect(await accepted()).toBe(before);
  });

  it('answers malformed JSON with 400 in JSON', async () => {
    const res = await postJson(server.otlpHttpUrl, '{"resourceSpans": [', server.adminKey);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; message: string };
    expect(body.code).toBe(3);
    expect(body.message).toMatch(/malformed OTLP JSON/);
  });

  it('names the JSON path of a wrongly typed field', async () => {
    const res = await postJson(
      server.otlpHttpUrl,
      { resourceSpans: [{ scopeSpans: [{ spans: 5 }] }] },
      server.adminKey,
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans/);
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await post(new Uint8Array(100 * 1024), {
      'content-type': 'application/x-protobuf',
    });
    expect(res.status).toBe(413);
  });

  it('rejects a gzip bomb with 413 without inflating it all', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024)); // ~20 KB compressed, 20 MiB inflated
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await post(bomb, {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(413);
    expect(new TextDecoder().decode(await res.arrayBuffer())).toMatch(/decompressed body exceeds/);
  });

  it('rejects a corrupt gzip body with 400', async () => {
    const res = await post(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4]), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(400);
  });

  it('accepts a gzip-compressed JSON body', async () => {
    const before = await accepted();
    const { body } = jsonTrace(3);
    const res = await post(gzipSync(JSON.stringify(body)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    expect(await accepted()).toBe(before + 3);
  });

  it('refuses unknown content types and encodings with 415', async () => {
    expect((await post('hello', { 'content-type': 'text/plain' })).status).toBe(415);
    const res = await post('{}', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toMatch(/Content-Encoding 'br'/);
  });

  it('rejects invalid spans through partial success and stores the rest', async () => {
    const before = await accepted();
    const traceId = hexId(16);
    const good = [jsonSpan({ traceId, name: 'good-1' }), jsonSpan({ traceId, name: 'good-2' })];
    const badTrace = {
      ...jsonSpan({ name: 'bad-trace-id' }),
      traceId: '00000000000000000000000000000000',
    };
    const badSpan = { ...jsonSpan({ name: 'bad-span-id' }), spanId: 'xyz' };
    const badTime = { ...jsonSpan({ name: 'bad-time' }), startTimeUnixNano: '0' };
    const res = await postJson(
      server.otlpHttpUrl,
      jsonTraceRequest([...good, badTrace, badSpan, badTime]),
      server.adminKey,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      partialSuccess: { rejectedSpans: string | number; errorMessage: string };
    };
    expect(Number(body.partialSuccess.rejectedSpans)).toBe(3);
    expect(body.partialSuccess.errorMessage).toMatch(/trace/i);
    expect(await accepted()).toBe(before + 2);
  });

  it('ignores unknown fields', async () => {
    const before = await accepted();
    const { body } = jsonTrace(2);
    const withExtras = { ...body, someFutureField: { x: 1 } } as Record<string, unknown>;
    (withExtras.resourceSpans as Record<string, unknown>[])[0]!.unknownThing = [1, 2, 3];
    const res = await postJson(server.otlpHttpUrl, withExtras, server.adminKey);
    expect(res.status).toBe(200);
    expect(await accepted()).toBe(before + 2);
  });

  it('keeps 64-bit integers sent as JSON numbers exact', async () => {
    // OTLP/JSON allows numbers for int64 fields; JSON.parse alone would round these to doubles
    // (the start to ...630400, the attribute to 9007199254740992).
    const traceId = hexId(16);
    const start = nowNs() + 366n; // not a multiple of any power of two a double would keep
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{
      "traceId":"${traceId}","spanId":"${hexId(8)}","name":"wide",
      "startTimeUnixNano":${start},"endTimeUnixNano":${start + 1_000_000_001n},
      "attributes":[{"key":"big","value":{"intValue":9007199254740993}},
                    {"key":"ratio","value":{"doubleValue":0.5}}]}]}]}]}`;
    const res = await postJson(server.otlpHttpUrl, text, server.adminKey);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const read = await server.api(`/api/v1/traces/${traceId}`);
    expect(read.status).toBe(200);
    const { spans } = (await read.json()) as {
      spans: { startTimeUnixNano: string; endTimeUnixNano: string; attributes: unknown }[];
    };
    expect(spans[0]!.startTimeUnixNano).toBe(String(start));
    expect(spans[0]!.endTimeUnixNano).toBe(String(start + 1_000_000_001n));
    // Beyond 2^53 the API keeps an int64 attribute exact as its decimal text.
    expect(spans[0]!.attributes).toEqual({ big: '9007199254740993', ratio: 0.5 });
  });

  it('ignores a UTF-8 byte order mark before JSON', async () => {
    const before = await accepted();
    const { body } = jsonTrace(1);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(body))]);
    const res = await post(bom, { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(await accepted()).toBe(before + 1);
  });

  it('answers an empty request with success', async () => {
    const res = await post(new Uint8Array(0), { 'content-type': 'application/x-protobuf' });
    expect(res.status).toBe(200);
  });

  it('answers unknown paths with 404', async () => {
    const res = await fetch(`${server.otlpHttpUrl}/v1/profiles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(404);
  });
});
