import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import {
  decodeExportResponse,
  decodeStatus,
  encodeExportResponse,
  encodeStatus,
  exportResponseToJson,
} from './responses.ts';

/** Export responses, read back by the official OTLP exporters' own response parsers. */

describe('export responses', () => {
  const official = {
    traces: (b: Uint8Array) => ProtobufTraceSerializer.deserializeResponse(b),
    metrics: (b: Uint8Array) => ProtobufMetricsSerializer.deserializeResponse(b),
    logs: (b: Uint8Array) => ProtobufLogsSerializer.deserializeResponse(b),
  };
  const countKey = {
    traces: 'rejectedSpans',
    metrics: 'rejectedDataPoints',
    logs: 'rejectedLogRecords',
  } as const;

  it.each(['traces', 'metrics', 'logs'] as const)(
    '%s: partial success as the exporter reads it',
    (signal) => {
      const bytes = encodeExportResponse(
        { rejected: 2, errorMessage: 'span 3: bad trace id ✗' },
        signal,
      );
      expect(official[signal](bytes)).toEqual({
        partialSuccess: { [countKey[signal]]: 2, errorMessage: 'span 3: bad trace id ✗' },
      });
      expect(decodeExportResponse(bytes, signal)).toEqual({
        rejected: 2,
        errorMessage: 'span 3: bad trace id ✗',
      });
      expect(exportResponseToJson({ rejected: 2, errorMessage: 'x' }, signal)).toEqual({
        partialSuccess: { [countKey[signal]]: '2', errorMessage: 'x' }, // int64 is a string in JSON
      });
    },
  );

  it('leaves partial_success unset on full success', () => {
    for (const partial of [undefined, { rejected: 0, errorMessage: '' }]) {
      const bytes = encodeExportResponse(partial, 'traces');
      expect(bytes).toHaveLength(0);
      expect(official.traces(bytes)).toEqual({});
      expect(exportResponseToJson(partial, 'traces')).toEqual({});
      expect(decodeExportResponse(bytes, 'traces')).toBeUndefined();
    }
  });

  it('sends a warning: a message with nothing rejected', () => {
    const bytes = encodeExportResponse({ rejected: 0, errorMessage: 'deprecated field' }, 'logs');
    expect(official.logs(bytes)).toEqual({ partialSuccess: { errorMessage: 'deprecated field' } });
    expect(exportResponseToJson({ rejected: 0, errorMessage: 'w' }, 'logs')).toEqual({
      partialSuccess: { rejectedLogRecords: '0', errorMessage: 'w' },
    });
  });

  it('encodes large counts', () => {
    const bytes = encodeExportResponse({ rejected: 2 ** 40, errorMessage: '' }, 'metrics');
    expect(official.metrics(bytes)).toEqual({ partialSuccess: { rejectedDataPoints: 2 ** 40 } });
  });
});

describe('google.rpc.Status', () => {
  it('encodes code (field 1) and message (field 2)', () => {
    const bytes = encodeStatus(3, 'bad');
    expect([...bytes]).toEqual([0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64]);
    expect(decodeStatus(bytes)).toEqual({ code: 3, message: 'bad' });
    expect(decodeStatus(encodeStatus(14, 'überlastet'))).toEqual({
      code: 14,
      message: 'überlastet',
    });
    expect(encodeStatus(0, '')).toHaveLength(0);
  });
});
