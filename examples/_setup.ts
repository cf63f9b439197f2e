/**
 * Shared by the examples: PyFlare from the environment, and a provider — the real API when its key
 * is set (OPENAI_API_KEY, ANTHROPIC_API_KEY), else the local fake provider from @pyflare/sdk.
 *
 *   PYFLARE_ENDPOINT   OTLP/HTTP of PyFlare (default http://127.0.0.1:4318)
 *   PYFLARE_API_KEY    an ingest key (the admin key printed at first start works)
 */
import { init, shutdown } from '@pyflare/sdk';
import { startFakeProvider, type FakeProvider } from '@pyflare/sdk/fake-provider';

export interface ExampleSetup {
  /** Options for `new OpenAI(...)`. */
  openai: { apiKey: string; baseURL?: string };
  /** Options for `new Anthropic(...)`. */
  anthropic: { apiKey: string; baseURL?: string };
  /** True when talking to the fake provider. */
  fake: boolean;
  /** Flushes the spans and stops the fake provider. */
  done(): Promise<void>;
}

export async function setup(serviceName: string): Promise<ExampleSetup> {
  init({ serviceName, environment: 'examples', captureContent: true });
  const realOpenAI = process.env.OPENAI_API_KEY;
  const realAnthropic = process.env.ANTHROPIC_API_KEY;
  let fake: FakeProvider | undefined;
  if (!realOpenAI || !realAnthropic)
    fake = await startFakeProvider({ latencyMs: 120, tokenDelayMs: 10 });
  console.log(
    `${serviceName}: OpenAI ${realOpenAI ? 'real API' : 'fake provider'}, Anthropic ${realAnthropic ? 'real API' : 'fake provider'}`,
  );
  return {
    openai: realOpenAI
      ? { apiKey: realOpenAI }
      : { apiKey: 'sk-fake', baseURL: fake!.openaiBaseUrl },
    anthropic: realAnthropic
      ? { apiKey: realAnthropic }
      : { apiKey: 'sk-ant-fake', baseURL: fake!.anthropicBaseUrl },
    fake: fake !== undefined,
    async done() {
      await shutdown();
      await fake?.close();
      console.log('spans sent to PyFlare; open the UI to see the trace');
    },
  };
}
