/**
 * A LangChain.js tool-calling agent: `node --import tsx examples/langchain-agent.ts`
 * ChatOpenAI with bound tools in a loop; PyflareCallbackHandler records the agent's chain, each
 * model call (tokens, messages, tool calls) and each tool run, as one nested trace.
 */
import type { AIMessage, ToolMessage } from '@langchain/core/messages';
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { PyflareCallbackHandler } from '@pyflare/sdk/langchain';
import { z } from 'zod';
import { setup } from './_setup.ts';

const env = await setup('example-langchain-agent');
const handler = new PyflareCallbackHandler();

const calculator = tool(async ({ a, b }: { a: number; b: number }) => String(a * b), {
  name: 'multiply',
  description: 'Multiply two numbers',
  schema: z.object({ a: z.number(), b: z.number() }),
});
const search = tool(
  async ({ query }: { query: string }) =>
    `Top result for "${query}": PyFlare is OpenTelemetry-native.`,
  {
    name: 'search',
    description: 'Search the web',
    schema: z.object({ query: z.string() }),
  },
);
const model = new ChatOpenAI({
  model: 'gpt-4o-mini',
  apiKey: env.openai.apiKey,
  configuration: { baseURL: env.openai.baseURL },
}).bindTools([calculator, search]);

const agent = RunnableLambda.from(async (question: string, config) => {
  const messages: BaseMessage[] = [new HumanMessage(question)];
  for (let step = 0; step < 4; step++) {
    const ai = (await model.invoke(messages, config)) as AIMessage;
    messages.push(ai);
    if (!ai.tool_calls?.length) return ai.content;
    for (const call of ai.tool_calls) {
      const result: ToolMessage =
        call.name === 'multiply'
          ? await calculator.invoke(call, config)
          : await search.invoke(call, config);
      messages.push(result);
    }
  }
  return 'gave up';
}).withConfig({ runName: 'research-agent' });

console.log(
  await agent.invoke('Search what PyFlare is, then multiply 6 by 7.', { callbacks: [handler] }),
);
await env.done();
