/**
 * A pipeline over several models and providers: `node --import tsx examples/multi-model-pipeline.ts`
 * Embed (OpenAI) → classify (OpenAI, JSON output) → summarize (Claude, streamed) → translate
 * (OpenAI Responses API) → a guardrail check, all in one trace with tags.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { trace, withTags } from '@pyflare/sdk';
import { instrumentAnthropic } from '@pyflare/sdk/anthropic';
import { instrumentOpenAI } from '@pyflare/sdk/openai';
import { setup } from './_setup.ts';

const env = await setup('example-multi-model-pipeline');
const openai = instrumentOpenAI(new OpenAI(env.openai));
const anthropic = instrumentAnthropic(new Anthropic(env.anthropic));
const doc =
  'Incident review: a misconfigured rate limiter rejected 8% of API calls for 14 minutes; retries recovered most requests and no data was lost.';

await withTags(['pipeline', 'nightly'], () =>
  trace('process document', async () => {
    await openai.embeddings.create({ model: 'text-embedding-3-small', input: doc });
    const kind = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      response_format: { type: 'json_object' },
      messages: [
        { role: 'user', content: `Classify as JSON {"kind": "incident|report|other"}: ${doc}` },
      ],
    });
    const stream = await anthropic.messages.create({
      model: process.env.ANTHROPIC_MODEL ?? 'claude-haiku-4-5-20251001',
      max_tokens: 200,
      stream: true,
      messages: [{ role: 'user', content: `Summarize in one sentence: ${doc}` }],
    });
    let summary = '';
    for await (const e of stream)
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta')
        summary += e.delta.text;
    const translated = await openai.responses.create({
      model: 'gpt-4.1-mini',
      input: `Translate to French: ${summary}`,
    });
    const flagged = await trace(
      'guardrail pii-check',
      () => /@|\d{3}-\d{2}-\d{4}/.test(translated.output_text),
      { operation: 'guardrail' },
    );
    console.log({
      kind: kind.choices[0]?.message.content,
      summary,
      french: translated.output_text,
      flagged,
    });
  }),
);
await env.done();
