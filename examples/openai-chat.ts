/**
 * OpenAI chat completion, traced: `node --import tsx examples/openai-chat.ts`
 * One trace: the request span, and inside it the `chat gpt-4o-mini` call with model, tokens and
 * messages, for user alice in session demo-1.
 */
import OpenAI from 'openai';
import { trace, withSession, withUser } from '@pyflare/sdk';
import { instrumentOpenAI } from '@pyflare/sdk/openai';
import { setup } from './_setup.ts';

const env = await setup('example-openai-chat');
const openai = instrumentOpenAI(new OpenAI(env.openai));

const answer = await withUser('alice', () =>
  withSession('demo-1', () =>
    trace('answer question', async () => {
      const completion = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a concise assistant.' },
          { role: 'user', content: 'What does an observability platform for LLM apps record?' },
        ],
        temperature: 0.2,
      });
      return completion.choices[0]?.message.content ?? '';
    }),
  ),
);
console.log(answer);
await env.done();
