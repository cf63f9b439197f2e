import { describe, expect, it } from 'vitest';
import { parseKeyValues, resolveConfig } from './config.ts';

describe('resolveConfig', () => {
  it('defaults to a local PyFlare (npm start)', () => {
    const c = resolveConfig({}, {});
    expect(c).toMatchObject({
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      sampleRate: 1,
      captureContent: false,
      disabled: false,
      headers: {},
      warnings: [],
    });
    expect(c.serviceName).toMatch(/^unknown_service/);
  });

  it('options win over PYFLARE_* which win over OTEL_*', () => {
    const env = {
      PYFLARE_ENDPOINT: 'http://pyflare:4318',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
      PYFLARE_SERVICE_NAME: 'from-pyflare',
      OTEL_SERVICE_NAME: 'from-otel',
      PYFLARE_API_KEY: 'pf_env',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20pf_otel,x-team=ml',
    };
    expect(resolveConfig({}, env)).toMatchObject({
      tracesUrl: 'http://pyflare:4318/v1/traces',
      serviceName: 'from-pyflare',
      headers: { authorization: 'Bearer pf_env', 'x-team': 'ml' },
    });
    expect(
      resolveConfig(
        { endpoint: 'https://opt.example/', serviceName: 'opt', apiKey: 'pf_opt' },
        env,
      ),
    ).toMatchObject({
      tracesUrl: 'https://opt.example/v1/traces',
      serviceName: 'opt',
      headers: { authorization: 'Bearer pf_opt' },
    });
    const otelOnly = resolveConfig(
      {},
      { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20pf_otel', OTEL_SERVICE_NAME: 'svc' },
    );
    expect(otelOnly.headers).toEqual({ Authorization: 'Bearer pf_otel' });
    expect(otelOnly.serviceName).toBe('svc');
  });

  it('uses the signal-specific endpoint as is and keeps an explicit /v1/traces', () => {
    expect(
      resolveConfig({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/custom/path' })
        .tracesUrl,
    ).toBe('http://c:4318/custom/path');
    expect(resolveConfig({ endpoint: 'http://c:4318/v1/traces' }, {}).tracesUrl).toBe(
      'http://c:4318/v1/traces',
    );
  });

  it('reads resource attributes, environment, sampler and content capture from OTEL_*', () => {
    const c = resolveConfig(
      {},
      {
        OTEL_RESOURCE_ATTRIBUTES:
          'service.name=billing,service.version=2.1,deployment.environment.name=prod,team=core',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
      },
    );
    expect(c).toMatchObject({
      serviceName: 'billing',
      serviceVersion: '2.1',
      environment: 'prod',
      sampleRate: 0.25,
      captureContent: true,
      maxQueueSize: 100,
    });
    expect(c.resourceAttributes).toMatchObject({ team: 'core' });
    expect(c.resourceAttributes['service.name']).toBeUndefined();
    expect(resolveConfig({}, { OTEL_TRACES_SAMPLER: 'always_off' }).sampleRate).toBe(0);
    expect(resolveConfig({}, { OTEL_SDK_DISABLED: 'true' }).disabled).toBe(true);
  });

  it('replaces bad values by defaults and says why, never throws', () => {
    const c = resolveConfig(
      { sampleRate: 7, exportTimeoutMillis: -1 },
      {
        PYFLARE_ENDPOINT: 'not a url',
        PYFLARE_CAPTURE_CONTENT: 'maybe',
        OTEL_BSP_SCHEDULE_DELAY: 'soon',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x',
      },
    );
    expect(c).toMatchObject({
      sampleRate: 1,
      exportTimeoutMillis: 10_000,
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      captureContent: false,
      scheduledDelayMillis: 1000,
    });
    expect(c.warnings).toHaveLength(6);
    expect(c.warnings.join('\n')).toMatch(/sampleRate/);
    expect(c.warnings.join('\n')).toMatch(/PYFLARE_ENDPOINT: 'not a url' is not a URL/);
  });
});

describe('parseKeyValues', () => {
  it('decodes percent-encoding and reports malformed pairs', () => {
    const warnings: string[] = [];
    expect(parseKeyValues('a=1, b = x%20y ,broken,,c=%E0%A4%A', 'V', warnings)).toEqual({
      a: '1',
      b: 'x y',
      c: '%E0%A4%A',
    });
    expect(warnings).toEqual(["V: 'broken' is not key=value; ignored"]);
  });
});
