import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import {
  flush,
  init,
  isInitialized,
  logPrediction,
  shutdown,
  trace,
  withUser,
} from '../src/index.ts';

/** init/shutdown lifecycle, sampling and the disabled switch, with an in-memory exporter. */

afterEach(() => shutdown());

describe('before init()', () => {
  it('trace() and logPrediction() work as no-ops on the global API', async () => {
    expect(isInitialized()).toBe(false);
    expect(trace('x', () => 41 + 1)).toBe(42);
    await expect(trace('y', async () => 'ok')).resolves.toBe('ok');
    expect(logPrediction({ modelId: 'm', prediction: 1 })).toMatch(/-/);
  });
});

describe('init()', () => {
  it('records with its provider, then stops on shutdown and can start again', async () => {
    const first = new InMemorySpanExporter();
    init({ exporter: first, serviceName: 'life', logger: () => undefined });
    expect(isInitialized()).toBe(true);
    withUser('u1', () => trace('one', () => undefined));
    await flush();
    expect(first.getFinishedSpans().map((s) => [s.name, s.attributes['user.id']])).toEqual([
      ['one', 'u1'],
    ]);
    expect(first.getFinishedSpans()[0]!.resource.attributes['service.name']).toBe('life');

    await shutdown();
    expect(isInitialized()).toBe(false);
    trace('after shutdown', () => undefined);
    const second = new InMemorySpanExporter();
    init({ exporter: second, serviceName: 'life-2', logger: () => undefined });
    trace('two', () => undefined);
    await flush();
    // 'after shutdown' went nowhere: not to the stopped provider, not to the new one.
    expect(second.getFinishedSpans().map((s) => s.name)).toEqual(['two']);
  });

  it('sampleRate 0 keeps no trace, and children follow their root', async () => {
    const exporter = new InMemorySpanExporter();
    init({ exporter, sampleRate: 0, logger: () => undefined });
    for (let i = 0; i < 20; i++) trace('root', () => trace('child', () => i));
    await flush();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('sampleRate 0.5 keeps whole traces, about half', async () => {
    const exporter = new InMemorySpanExporter();
    init({ exporter, sampleRate: 0.5, logger: () => undefined });
    for (let i = 0; i < 400; i++) trace('root', () => trace('child', () => i));
    await flush();
    const spans = exporter.getFinishedSpans();
    const roots = spans.filter((s) => s.name === 'root').length;
    expect(spans.filter((s) => s.name === 'child')).toHaveLength(roots);
    expect(roots).toBeGreaterThan(120);
    expect(roots).toBeLessThan(280);
  });

  it('disabled: nothing is recorded and the app runs as before', async () => {
    const exporter = new InMemorySpanExporter();
    const sdk = init({ exporter, disabled: true, logger: () => undefined });
    expect(sdk.config.disabled).toBe(true);
    expect(trace('x', () => 'same')).toBe('same');
    await flush();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
