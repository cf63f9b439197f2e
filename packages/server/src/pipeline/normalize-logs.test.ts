import type { AnyValue, ExportLogsServiceRequest, LogRecord } from '@pyflare/otlp';
import { describe, expect, it } from 'vitest';
import { normalizeLogs } from './normalize-logs.ts';
import { NOW_NS, attrs, ctx } from './testing/fixtures.ts';

function record(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    timeUnixNano: NOW_NS - 5n,
    observedTimeUnixNano: NOW_NS - 1n,
    severityNumber: 9,
    severityText: 'INFO',
    body: 'hello',
    attributes: attrs({ 'code.function': 'main' }),
    droppedAttributesCount: 0,
    flags: 1,
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: '00f067aa0ba902b7',
    eventName: '',
    ...overrides,
  };
}

function request(records: LogRecord[]): ExportLogsServiceRequest {
  return {
    resourceLogs: [
      {
        resource: { attributes: attrs({ 'service.name': 'worker' }), droppedAttributesCount: 0 },
        scopeLogs: [
          {
            scope: { name: 'logger', version: '1', attributes: attrs(), droppedAttributesCount: 0 },
            logRecords: records,
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}

describe('normalizeLogs', () => {
  it('writes a record with all its columns', () => {
    const out = normalizeLogs(request([record()]), ctx());
    expect(out.rejected).toBe(0);
    expect(out.rows[0]).toEqual({
      project_id: 'p1',
      time: (NOW_NS - 5n).toString(),
      observed_time: (NOW_NS - 1n).toString(),
      severity_number: 9,
      severity_text: 'INFO',
      body: 'hello',
      body_json: '"hello"',
      trace_id: '5b8efff798038103d269b633813fc60c',
      span_id: '00f067aa0ba902b7',
      flags: 1,
      event_name: '',
      service_name: 'worker',
      scope_name: 'logger',
      scope_version: '1',
      resource_attributes: { 'service.name': 'worker' },
      attributes: { 'code.function': 'main' },
      attributes_json: '',
      retention_days: 30,
      ingested_at: ctx().nowMs,
    });
  });

  it('falls back to the observed time, then to the server clock', () => {
    const out = normalizeLogs(
      request([
        record({ timeUnixNano: 0n }),
        record({ timeUnixNano: 0n, observedTimeUnixNano: 0n }),
      ]),
      ctx(),
    );
    expect(out.rows[0]).toMatchObject({ time: (NOW_NS - 1n).toString() });
    expect(out.rows[1]).toMatchObject({
      time: NOW_NS.toString(),
      observed_time: NOW_NS.toString(),
    });
  });

  it('keeps typed bodies as JSON and no body as empty', () => {
    const bodies: (AnyValue | undefined)[] = [attrs({ msg: 'm', n: 2n ** 64n }), 42, undefined];
    const out = normalizeLogs(request(bodies.map((body) => record({ body }))), ctx());
    expect(out.rows.map((r) => [r.body, r.body_json])).toEqual([
      ['{"msg":"m","n":"18446744073709551616"}', '{"msg":"m","n":"18446744073709551616"}'],
      ['42', '42'],
      ['', ''],
    ]);
  });

  it('stores absent and all-zero ids as empty, rejects other invalid ids', () => {
    const out = normalizeLogs(
      request([
        record({ traceId: '', spanId: '' }),
        record({ traceId: '0'.repeat(32), spanId: '0'.repeat(16) }),
        record({ traceId: 'abc' }),
        record({ spanId: 'xyz' }),
      ]),
      ctx(),
    );
    expect(out.rows.map((r) => [r.trace_id, r.span_id])).toEqual([
      ['', ''],
      ['', ''],
    ]);
    expect(out.rejected).toBe(2);
    expect(out.errors).toEqual([
      "log record 2 of scope 'logger': invalid trace_id (must be empty or 16 bytes)",
      "log record 3 of scope 'logger': invalid span_id (must be empty or 8 bytes)",
    ]);
  });

  it('rejects records far in the future or older than the retention', () => {
    const day = 86_400_000_000_000n;
    const out = normalizeLogs(
      request([
        record({ timeUnixNano: NOW_NS + 2n * day }),
        record({ timeUnixNano: NOW_NS - 40n * day }),
        record({ observedTimeUnixNano: NOW_NS + 2n * day }),
      ]),
      ctx(),
    );
    expect(out.rejected).toBe(3);
    expect(out.errors[2]).toContain('observed_time_unix_nano is more than 24 h ahead');
  });

  it('strips GenAI content events when content capture is off', () => {
    const records = [
      record({
        eventName: 'gen_ai.user.message',
        body: attrs({ content: 'SECRET' }),
        attributes: attrs({ 'gen_ai.system': 'openai' }),
      }),
      record({
        eventName: 'gen_ai.client.inference.operation.details',
        body: undefined,
        attributes: attrs({ 'gen_ai.input.messages': 'SECRET', 'gen_ai.request.model': 'gpt-4o' }),
      }),
      record({ body: 'an ordinary log line' }),
    ];
    const off = normalizeLogs(request(records), ctx({ captureContent: false }));
    expect(JSON.stringify(off.rows)).not.toContain('SECRET');
    expect(off.rows[1]!.attributes).toEqual({ 'gen_ai.request.model': 'gpt-4o' });
    expect(off.rows[2]!.body).toBe('an ordinary log line');
    const on = normalizeLogs(request(records), ctx());
    expect(on.rows[0]!.body).toBe('{"content":"SECRET"}');
  });

  it('clamps an out-of-range severity number to 0', () => {
    const out = normalizeLogs(
      request([record({ severityNumber: 1000 }), record({ severityNumber: -3 })]),
      ctx(),
    );
    expect(out.rows.map((r) => r.severity_number)).toEqual([0, 0]);
  });
});
