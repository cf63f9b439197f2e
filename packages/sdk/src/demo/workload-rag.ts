import type OpenAI from 'openai';
import { trace, withSession, withTags, withUser } from '../index.ts';
import { instrumentOpenAI } from '../integrations/openai.ts';
import { GEN_AI } from '../semconv.ts';
import { setContent, setMessages } from '../content.ts';
import { embed } from './fake-text.ts';
import {
  INJECTION_PROMPTS,
  KNOWLEDGE_BASE,
  PII_PROMPTS,
  QUESTIONS,
  SYSTEM_PROMPT,
  pick,
  users,
  type DemoUser,
} from './data.ts';
import type { Workload, WorkloadContext } from './workload.ts';

/**
 * The support assistant: a RAG pipeline (embed the question → retrieve from the knowledge base →
 * rerank → generate a streamed answer) for many users in multi-turn sessions. Later in the run
 * a cost spike: a share of traffic moves to a large model with a long context.
 */

const DIMS = 64;
const kbVectors = KNOWLEDGE_BASE.map((d) => ({ doc: d, v: embed(`${d.title} ${d.text}`, DIMS) }));

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

interface Session {
  id: string;
  user: DemoUser;
  turns: number;
  history: { role: 'user' | 'assistant'; content: string }[];
}

export function ragWorkload(OpenAIClass: typeof OpenAI): Workload {
  let client: OpenAI | undefined;
  let people: DemoUser[] | undefined;
  const sessions: Session[] = [];
  let sessionCounter = 0;

  function session(ctx: WorkloadContext): Session {
    people ??= users(60, ctx.rand);
    const open = sessions.filter((s) => s.turns > 0);
    if (open.length > 0 && ctx.rand() < 0.55) return pick(ctx.rand, open);
    const s: Session = {
      id: `sess-${(++sessionCounter).toString(36)}-${Math.floor(ctx.rand() * 1e6).toString(36)}`,
      user: pick(ctx.rand, people),
      turns: 1 + Math.floor(ctx.rand() * 5),
      history: [],
    };
    sessions.push(s);
    if (sessions.length > 200) sessions.splice(0, sessions.length - 200);
    return s;
  }

  return {
    service: 'support-assistant',
    weight: 0.4,
    async request(ctx) {
      client ??= instrumentOpenAI(
        new OpenAIClass({
          apiKey: 'sk-demo',
          baseURL: `${ctx.providerUrl}/v1`,
          maxRetries: 2,
          timeout: 4000,
        }),
      );
      const openai = client;
      const s = session(ctx);
      s.turns--;
      const r = ctx.rand();
      const question =
        r < 0.04
          ? pick(ctx.rand, PII_PROMPTS)
          : r < 0.06
            ? pick(ctx.rand, INJECTION_PROMPTS)
            : pick(ctx.rand, QUESTIONS);
      // Cost spike: from 60% to 85% of the run, a third of requests go to a large model with a long context.
      const spike = ctx.progress() > 0.6 && ctx.progress() < 0.85 && ctx.rand() < 0.35;
      const model = spike ? 'gpt-4.1' : ctx.rand() < 0.12 ? 'gpt-4o' : 'gpt-4o-mini';
      const topK = spike ? 8 : 4;
      const fault =
        ctx.rand() < 0.02 ? ' [[fault:500]]' : ctx.rand() < 0.03 ? ' [[fault:429x1]]' : '';

      await withUser(s.user.id, () =>
        withSession(s.id, () =>
          withTags([s.user.channel, s.user.plan, ...(spike ? ['long-context'] : [])], () =>
            trace(
              'POST /api/assistant',
              async (span) => {
                span.setAttribute('http.request.method', 'POST');
                span.setAttribute('http.route', '/api/assistant');
                const e = await openai.embeddings.create({
                  model: 'text-embedding-3-small',
                  input: question,
                  dimensions: DIMS,
                });
                const qv = e.data[0]!.embedding;
                const hits = await trace(
                  'retrieve knowledge-base',
                  (rs) => {
                    const scored = kbVectors
                      .map(({ doc, v }) => ({
                        id: doc.id,
                        content: doc.text,
                        score: Math.round(cosine(qv, v) * 1000) / 1000,
                        metadata: { title: doc.title },
                      }))
                      .sort((a, b) => b.score - a.score)
                      .slice(0, topK);
                    rs.setAttribute(GEN_AI.operationName, 'retrieval');
                    rs.setAttribute(GEN_AI.dataSourceId, 'knowledge-base');
                    setContent(rs, GEN_AI.retrievalQueryText, question);
                    setMessages(rs, GEN_AI.retrievalDocuments, scored as never);
                    return scored;
                  },
                  { attributes: { 'retrieval.top_k': topK } },
                );
                const reranked = await trace(
                  'rerank',
                  async (rr) => {
                    await new Promise((res) => setTimeout(res, 5 + ctx.rand() * 25));
                    const out = hits
                      .map((h) => ({
                        ...h,
                        score: Math.round((h.score * 0.7 + ctx.rand() * 0.3) * 1000) / 1000,
                      }))
                      .sort((a, b) => b.score - a.score)
                      .slice(0, 3);
                    rr.setAttribute('reranker.model_name', 'bge-reranker-v2');
                    setContent(rr, GEN_AI.retrievalQueryText, question);
                    setMessages(rr, 'gen_ai.retrieval.documents', out as never);
                    return out;
                  },
                  { operation: 'reranker' },
                );
                const context = reranked.map((d) => `[${d.id}] ${d.content}`).join('\n');
                const longContext = spike
                  ? `\n\nFull product manual:\n${KNOWLEDGE_BASE.map((d) => d.text)
                      .join('\n')
                      .repeat(12)}`
                  : '';
                const stream = await openai.chat.completions.create({
                  model,
                  stream: true,
                  stream_options: { include_usage: true },
                  temperature: 0.3,
                  max_tokens: 400,
                  messages: [
                    {
                      role: 'system',
                      content: `${SYSTEM_PROMPT}\n\nContext:\n${context}${longContext}`,
                    },
                    ...s.history.slice(-4),
                    { role: 'user', content: question + fault },
                  ],
                });
                let answer = '';
                for await (const chunk of stream) answer += chunk.choices[0]?.delta?.content ?? '';
                s.history.push(
                  { role: 'user', content: question },
                  { role: 'assistant', content: answer },
                );
                span.setAttribute('http.response.status_code', 200);
              },
              { kind: 'server' },
            ),
          ),
        ),
      ).then(
        () => ctx.count('ok'),
        () => ctx.count('error'),
      );
    },
  };
}
