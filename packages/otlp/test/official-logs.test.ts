import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import {
  decodeLogsRequest,
  decodeLogsRequestJsonText,
  type ExportLogsServiceRequest,
} from '../src/index.ts';
import { attributes, expectedLog } from './sdk-expect.ts';

/**
 * Real log records from the official SDK (bodies of every AnyValue kind the SDK can
 * carry, including maps and bytes, trace context, event names), serialized by the
 * official serializers, decoded by ours, compared field by field.
 */

function emitLogs(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'logs-test' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('logs-scope', '2.0.0');
  const inSpan = trace.setSpanContext(context.active(), {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    traceFlags: TraceFlags.SAMPLED,
  });
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    body: 'plain text body',
    attributes: { 'log.file': 'app.py', line: 12, ratio: 0.5, tags: ['a', 'b'] },
    timestamp: [1_700_000_000, 123_456_789],
    observedTimestamp: [1_700_000_001, 5],
    context: inSpan,
  });
  logger.emit({
    severityNumber: SeverityNumber.ERROR2,
    eventName: 'gen_ai.client.inference.operation.details',
    body: {
      'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }],
      tokens: 12,
      big: 2 ** 58,
      ok: true,
      score: 0.75,
      raw: new Uint8Array([0, 1, 254, 255]),
      nothing: null,
    },
  });
  logger.emit({ body: new Uint8Array([9, 8, 7]) });
  logger.emit({ body: [1, 'two', false, [3.5]] });
  logger.emit({ severityText: 'no body' });
  return exporter.getFinishedLogRecords();
}

function check(
  req: ExportLogsServiceRequest,
  logs: ReadableLogRecord[],
  absentBody: null | undefined = undefined,
): void {
  expect(req.resourceLogs).toHaveLength(1);
  const rl = req.resourceLogs[0]!;
  expect(rl.resource.attributes).toEqual(
    attributes(logs[0]!.resource.attributes as Record<string, unknown>),
  );
  expect(rl.scopeLogs).toHaveLength(1);
  expect(rl.scopeLogs[0]!.scope).toMatchObject({ name: 'logs-scope', version: '2.0.0' });
  expect(rl.scopeLogs[0]!.logRecords).toEqual(
    logs.map(expectedLog).map((l) => ({ ...l, body: l.body === undefined ? absentBody : l.body })),
  );
}

describe('logs from the official SDK and serializers', () => {
  const logs = emitLogs();

  it('decodes ProtobufLogsSerializer output field by field', () => {
    const req = decodeLogsRequest(ProtobufLogsSerializer.serializeRequest(logs)!);
    check(req, logs);
    const [first, second, third] = req.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(first!.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(first!.flags).toBe(1);
    expect(second!.eventName).toBe('gen_ai.client.inference.operation.details');
    const body = second!.body as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBeNull();
    expect(body.raw).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(body.big).toBe(2n ** 58n);
    expect(third!.body).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('decodes JsonLogsSerializer output field by field (bytes as base64)', () => {
    // JsonLogsSerializer writes `"body": {}` (a present, empty AnyValue) for a record
    // without a body, which decodes as null where the protobuf form has no body at all.
    check(decodeLogsRequestJsonText(JsonLogsSerializer.serializeRequest(logs)!), logs, null);
  });
});
