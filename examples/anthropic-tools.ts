/**
 * Claude with tools: `node --import tsx examples/anthropic-tools.ts`
 * tool_use blocks, a tool run between turns (recorded automatically from the tool_result that
 * answers it), prompt caching of the long system prompt (cache write, then read), streaming.
 */
import Anthropic from '@anthropic-ai/sdk';
import { trace, withUser } from '@pyflare/sdk';
import { instrumentAnthropic } from '@pyflare/sdk/anthropic';
import { setup } from './_setup.ts';

const env = await setup('example-anthropic-tools');
const anthropic = instrumentAnthropic(new Anthropic(env.anthropic));
const model = process.env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-5-20250929';

const tools: Anthropic.Tool[] = [
  {
    name: 'lookup_order',
    description: 'Status of an order by id',
    input_schema: {
      type: 'object',
      properties: { order_id: { type: 'string' } },
      required: ['order_id'],
    },
  },
];
const system: Anthropic.TextBlockParam[] = [
  {
    type: 'text',
    text: 'You are the ACME order assistant. Always look orders up before answering. '.repeat(40),
    cache_control: { type: 'ephemeral' },
  },
];

await withUser('bob', () =>
  trace('order question', async () => {
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: 'Where is my order A-1042? Please lookup order status.' },
    ];
    for (let turn = 0; turn < 3; turn++) {
      // streamed: the helper reassembles the message, the span records time to first token
      const msg = await anthropic.messages
        .stream({ model, max_tokens: 500, system, tools, messages })
        .finalMessage();
      messages.push({ role: 'assistant', content: msg.content });
      const uses = msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (uses.length === 0) {
        console.log(msg.content.map((b) => (b.type === 'text' ? b.text : '')).join(''));
        break;
      }
      messages.push({
        role: 'user',
        content: uses.map((u) => ({
          type: 'tool_result' as const,
          tool_use_id: u.id,
          content: 'Shipped yesterday with UPS, arriving Friday.',
        })),
      });
    }
  }),
);
await env.done();
