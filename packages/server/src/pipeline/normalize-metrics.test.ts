import type { ExportMetricsServiceRequest, Metric, MetricData } from '@pyflare/otlp';
import { describe, expect, it } from 'vitest';
import { normalizeMetrics } from './normalize-metrics.ts';
import { NOW_NS, attrs, ctx } from './testing/fixtures.ts';

function request(metrics: Metric[]): ExportMetricsServiceRequest {
  return {
    resourceMetrics: [
      {
        resource: { attributes: attrs({ 'service.name': 'api' }), droppedAttributesCount: 0 },
        scopeMetrics: [
          {
            scope: {
              name: 'meter',
              version: '2.0',
              attributes: attrs(),
              droppedAttributesCount: 0,
            },
            metrics,
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}

function metric(data: MetricData, name = 'm'): Metric {
  return { name, description: 'desc', unit: 'ms', metadata: attrs(), data };
}

const base = {
  attributes: attrs({ route: '/x' }),
  startTimeUnixNano: NOW_NS - 10n,
  timeUnixNano: NOW_NS,
  flags: 0,
};

function numberPoint(value: number, overrides: object = {}) {
  return { ...base, value, valueType: 'double' as const, exemplars: [], ...overrides };
}

describe('normalizeMetrics', () => {
  it('writes gauge and sum points with their shared columns', () => {
    const out = normalizeMetrics(
      request([
        metric({ type: 'gauge', dataPoints: [numberPoint(1.5)] }, 'cpu'),
        metric(
          {
            type: 'sum',
            dataPoints: [numberPoint(7)],
            aggregationTemporality: 2,
            isMonotonic: true,
          },
          'requests',
        ),
      ]),
      ctx(),
    );
    expect(out.rejected).toBe(0);
    expect(out.rows).toHaveLength(2);
    expect(out.rows[0]).toMatchObject({
      project_id: 'p1',
      metric_name: 'cpu',
      metric_type: 'gauge',
      description: 'desc',
      unit: 'ms',
      service_name: 'api',
      scope_name: 'meter',
      scope_version: '2.0',
      resource_attributes: { 'service.name': 'api' },
      attributes: { route: '/x' },
      attributes_json: '',
      start_time: (NOW_NS - 10n).toString(),
      time: NOW_NS.toString(),
      value: 1.5,
      min: null,
      max: null,
      temporality: 'unspecified',
      is_monotonic: 0,
      exemplars_json: '[]',
      retention_days: 30,
      ingested_at: ctx().nowMs,
    });
    expect(out.rows[1]).toMatchObject({
      metric_type: 'sum',
      value: 7,
      temporality: 'cumulative',
      is_monotonic: 1,
    });
  });

  it('writes histograms with the mean as value', () => {
    const out = normalizeMetrics(
      request([
        metric({
          type: 'histogram',
          aggregationTemporality: 1,
          dataPoints: [
            {
              ...base,
              count: 4,
              sum: 10,
              min: 1,
              max: 4,
              bucketCounts: [1, 2, 1],
              explicitBounds: [2, 3],
              exemplars: [],
            },
            {
              ...base,
              count: 0,
              sum: undefined,
              min: undefined,
              max: undefined,
              bucketCounts: [],
              explicitBounds: [],
              exemplars: [],
            },
          ],
        }),
      ]),
      ctx(),
    );
    expect(out.rows[0]).toMatchObject({
      metric_type: 'histogram',
      temporality: 'delta',
      count: 4,
      sum: 10,
      value: 2.5,
      min: 1,
      max: 4,
      bucket_counts: [1, 2, 1],
      explicit_bounds: [2, 3],
    });
    expect(out.rows[1]).toMatchObject({ count: 0, sum: 0, value: 0, min: null, max: null });
  });

  it('writes exponential histograms and summaries', () => {
    const out = normalizeMetrics(
      request([
        metric({
          type: 'exponentialHistogram',
          aggregationTemporality: 2,
          dataPoints: [
            {
              ...base,
              count: 5,
              sum: 20,
              scale: 3,
              zeroCount: 1,
              positive: { offset: -2, bucketCounts: [1, 3] },
              negative: { offset: 0, bucketCounts: [] },
              exemplars: [],
              min: 0,
              max: 9,
              zeroThreshold: 0,
            },
          ],
        }),
        metric({
          type: 'summary',
          dataPoints: [
            {
              ...base,
              count: 2,
              sum: 3,
              quantileValues: [
                { quantile: 0.5, value: 1 },
                { quantile: 0.99, value: 2 },
              ],
            },
          ],
        }),
      ]),
      ctx(),
    );
    expect(out.rows[0]).toMatchObject({
      metric_type: 'exponential_histogram',
      value: 4,
      exp_scale: 3,
      exp_zero_count: 1,
      exp_positive_offset: -2,
      exp_positive_counts: [1, 3],
      exp_negative_offset: 0,
      exp_negative_counts: [],
    });
    expect(out.rows[1]).toMatchObject({
      metric_type: 'summary',
      value: 1.5,
      quantiles: [0.5, 0.99],
      quantile_values: [1, 2],
    });
  });

  it('writes exemplars as JSON', () => {
    const out = normalizeMetrics(
      request([
        metric({
          type: 'gauge',
          dataPoints: [
            numberPoint(1, {
              exemplars: [
                {
                  filteredAttributes: attrs({ user: 'u' }),
                  timeUnixNano: NOW_NS,
                  value: NaN,
                  spanId: '00f067aa0ba902b7',
                  traceId: '5b8efff798038103d269b633813fc60c',
                },
              ],
            }),
          ],
        }),
      ]),
      ctx(),
    );
    expect(JSON.parse(out.rows[0]!.exemplars_json)).toEqual([
      {
        timeUnixNano: NOW_NS.toString(),
        value: 'NaN',
        spanId: '00f067aa0ba902b7',
        traceId: '5b8efff798038103d269b633813fc60c',
        filteredAttributes: { user: 'u' },
      },
    ]);
  });

  it('rejects points without time, of unnamed or empty metrics, and with non-finite values', () => {
    const out = normalizeMetrics(
      request([
        metric({
          type: 'gauge',
          dataPoints: [numberPoint(1, { timeUnixNano: 0n }), numberPoint(2)],
        }),
        metric({ type: 'gauge', dataPoints: [numberPoint(1), numberPoint(2)] }, ''),
        metric({ type: 'empty' }),
        metric({ type: 'gauge', dataPoints: [numberPoint(NaN), numberPoint(Infinity)] }),
        metric({
          type: 'histogram',
          aggregationTemporality: 2,
          dataPoints: [
            {
              ...base,
              count: 1,
              sum: NaN,
              min: undefined,
              max: undefined,
              bucketCounts: [1],
              explicitBounds: [],
              exemplars: [],
            },
          ],
        }),
        metric({ type: 'gauge', dataPoints: [numberPoint(0, { valueType: 'none' })] }),
        metric({ type: 'gauge', dataPoints: [numberPoint(0, { valueType: 'none', flags: 1 })] }),
      ]),
      ctx(),
    );
    expect(out.rows.map((r) => r.value)).toEqual([2, 0]);
    expect(out.rows[1]!.flags).toBe(1);
    expect(out.rejected).toBe(8);
    expect(out.errors).toEqual([
      "data point 0 of metric 0 of scope 'meter' 'm': missing time_unix_nano",
      "metric 1 of scope 'meter': metric name is empty",
      "metric 2 of scope 'meter': metric has no data (gauge, sum, histogram, ...)",
      "data point 0 of metric 3 of scope 'meter' 'm': value is NaN or infinite",
      "data point 0 of metric 4 of scope 'meter' 'm': sum is NaN or infinite, or count is not a count",
    ]);
  });

  it('rejects points more than a day ahead, or starting after their time', () => {
    const out = normalizeMetrics(
      request([
        metric({
          type: 'gauge',
          dataPoints: [
            numberPoint(1, { timeUnixNano: NOW_NS * 2n }),
            numberPoint(1, { startTimeUnixNano: NOW_NS + 1n }),
          ],
        }),
      ]),
      ctx(),
    );
    expect(out.rejected).toBe(2);
    expect(out.errors[0]).toContain('time_unix_nano is more than 24 h ahead');
    expect(out.errors[1]).toContain('start_time_unix_nano is after time_unix_nano');
  });

  it('rejects counts a UInt64 column would wrap', () => {
    const point = { ...base, sum: 1, min: undefined, max: undefined, exemplars: [] };
    const out = normalizeMetrics(
      request([
        metric({
          type: 'histogram',
          aggregationTemporality: 2,
          dataPoints: [
            { ...point, count: 2 ** 64, bucketCounts: [1], explicitBounds: [] },
            { ...point, count: 1, bucketCounts: [2 ** 64], explicitBounds: [] },
            { ...point, count: 1, bucketCounts: [1, 0], explicitBounds: [NaN] },
          ],
        }),
      ]),
      ctx(),
    );
    expect(out.rows).toHaveLength(0);
    expect(out.rejected).toBe(3);
  });

  it('stores an unknown start time as 0, padded for DateTime64(9)', () => {
    const out = normalizeMetrics(
      request([metric({ type: 'gauge', dataPoints: [numberPoint(1, { startTimeUnixNano: 0n })] })]),
      ctx(),
    );
    expect(out.rows[0]!.start_time).toBe('0000000000000000000');
  });
});
