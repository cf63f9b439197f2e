/**
 * Streaming with tools: `node --import tsx examples/openai-streaming-tools.ts`
 * The model streams a tool call, the tool runs inside `traceToolCall`, and the final answer is
 * streamed with `stream_options.include_usage`. The trace: agent → chat (streamed, time to first
 * token) → execute_tool get_weather (arguments, result) → chat.
 */
import OpenAI from 'openai';
import { trace } from '@pyflare/sdk';
import { instrumentOpenAI, traceToolCall } from '@pyflare/sdk/openai';
import { setup } from './_setup.ts';

const env = await setup('example-openai-streaming-tools');
const openai = instrumentOpenAI(new OpenAI(env.openai));

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];
const weather = async ({ city }: { city: string }) => ({ city, tempC: 19, sky: 'partly cloudy' });

await trace('weather agent', async () => {
  const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
    { role: 'user', content: 'What is the weather in Paris right now?' },
  ];
  for (let turn = 0; turn < 3; turn++) {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) {
        text += delta.content;
        process.stdout.write(delta.content);
      }
      for (const tc of delta?.tool_calls ?? []) {
        const c = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
        c.id ||= tc.id ?? '';
        c.name += tc.function?.name ?? '';
        c.arguments += tc.function?.arguments ?? '';
        calls.set(tc.index, c);
      }
    }
    if (calls.size === 0) {
      process.stdout.write('\n');
      return text;
    }
    const toolCalls = [...calls.values()].map((c) => ({
      id: c.id,
      type: 'function' as const,
      function: { name: c.name, arguments: c.arguments },
    }));
    messages.push({ role: 'assistant', content: null, tool_calls: toolCalls });
    for (const call of toolCalls) {
      const result = await traceToolCall(call, (args) => weather(args as { city: string }));
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
  }
  return '';
});
await env.done();
