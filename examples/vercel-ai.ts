/**
 * The Vercel AI SDK's own telemetry into PyFlare: `node --import tsx examples/vercel-ai.ts`
 * `experimental_telemetry: vercelTelemetry()` turns it on with the SDK's tracer and the user in
 * context; the server reads its `ai.*` spans (steps, tool calls, tokens).
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, tool } from 'ai';
import { withUser } from '@pyflare/sdk';
import { vercelTelemetry } from '@pyflare/sdk/vercel-ai';
import { z } from 'zod';
import { setup } from './_setup.ts';

const env = await setup('example-vercel-ai');
const openai = createOpenAI(env.openai);

const { text } = await withUser('carol', () =>
  generateText({
    model: openai.chat('gpt-4o-mini'),
    prompt: 'What is the weather in Oslo?',
    tools: {
      get_weather: tool({
        description: 'Weather for a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, tempC: 3 }),
      }),
    },
    stopWhen: stepCountIs(3),
    experimental_telemetry: vercelTelemetry({ functionId: 'weather' }),
  }),
);
console.log(text);
await env.done();
