import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { trace, withTags } from '../index.ts';
import { instrumentAnthropic } from '../integrations/anthropic.ts';
import { instrumentOpenAI } from '../integrations/openai.ts';
import { pick } from './data.ts';
import type { Workload } from './workload.ts';

/**
 * A multi-model content pipeline: classify a document (small OpenAI model), summarize it (Claude),
 * translate the summary (OpenAI), then a moderation guardrail. A batch job, so no users.
 */

const DOCS = [
  'Quarterly report: revenue grew 12% driven by enterprise subscriptions, churn fell to 2.1%, and the support backlog halved after the assistant launch.',
  'Incident review: a misconfigured rate limiter rejected 8% of API calls for 14 minutes; retries recovered most requests and no data was lost.',
  'Product brief: the new export feature streams large projects as compressed JSON, with resumable downloads and signed links that expire after a day.',
  'Customer letter: thank you for the quick refund, the replacement arrived early and the tracking updates were accurate throughout.',
  'Security note: rotate API keys every 90 days, scope ingest keys narrowly, and never paste secrets into support chats.',
];

export function pipelineWorkload(
  OpenAIClass: typeof OpenAI,
  AnthropicClass: typeof Anthropic,
): Workload {
  let openai: OpenAI | undefined;
  let anthropic: Anthropic | undefined;
  return {
    service: 'content-pipeline',
    weight: 0.1,
    async request(ctx) {
      openai ??= instrumentOpenAI(
        new OpenAIClass({ apiKey: 'sk-demo', baseURL: `${ctx.providerUrl}/v1`, maxRetries: 2 }),
      );
      anthropic ??= instrumentAnthropic(
        new AnthropicClass({ apiKey: 'sk-ant-demo', baseURL: ctx.providerUrl, maxRetries: 2 }),
      );
      const gpt = openai;
      const claude = anthropic;
      const doc = pick(ctx.rand, DOCS);
      const language = pick(ctx.rand, ['French', 'German', 'Spanish', 'Japanese']);
      await withTags(['batch', `lang:${language.toLowerCase()}`], () =>
        trace(
          'pipeline process-document',
          async () => {
            await gpt.chat.completions.create({
              model: 'gpt-4o-mini',
              temperature: 0,
              response_format: { type: 'json_object' },
              messages: [
                {
                  role: 'system',
                  content:
                    'Classify the document: report, incident, product, feedback or security. Answer as JSON.',
                },
                { role: 'user', content: doc },
              ],
            });
            const summary = await claude.messages.create({
              model: 'claude-haiku-4-5-20251001',
              max_tokens: 200,
              messages: [{ role: 'user', content: `Summarize in two sentences:\n\n${doc}` }],
            });
            const text = summary.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
            const translated = await gpt.chat.completions.create({
              model: 'gpt-4o-mini',
              messages: [{ role: 'user', content: `Translate to ${language}: ${text}` }],
            });
            await trace(
              'moderation',
              (span) => {
                const out = translated.choices[0]?.message?.content ?? '';
                const flagged = /password|secret|ssn/i.test(out);
                span.setAttribute('guardrail.name', 'content-policy');
                span.setAttribute('guardrail.flagged', flagged);
                return flagged;
              },
              { operation: 'guardrail' },
            );
          },
          { attributes: { 'pipeline.name': 'process-document', 'pipeline.language': language } },
        ),
      ).then(
        () => ctx.count('ok'),
        () => ctx.count('error'),
      );
    },
  };
}
