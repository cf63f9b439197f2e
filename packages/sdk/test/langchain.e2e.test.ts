import { CallbackManager } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import type { AIMessageChunk } from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { BaseRetriever } from '@langchain/core/retrievers';
import { RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeProvider, type FakeProvider } from '../src/demo/fake-provider.ts';
import { flush, init, shutdown, trace } from '../src/index.ts';
import { PyflareCallbackHandler } from '../src/integrations/langchain.ts';
import {
  byName,
  fetchTrace,
  findSpans,
  startTestServer,
  type ApiSpan,
  type TestServer,
} from './helpers/pyflare-server.ts';

/** LangChain.js runs (real @langchain/core and @langchain/openai against the fake provider). */

let server: TestServer;
let fake: FakeProvider;
const handler = new PyflareCallbackHandler();

beforeAll(async () => {
  [server, fake] = await Promise.all([startTestServer(), startFakeProvider()]);
  init({
    endpoint: server.otlpHttpUrl,
    apiKey: server.adminKey,
    serviceName: 'langchain-e2e',
    captureContent: true,
    scheduledDelayMillis: 50,
  });
});

afterAll(async () => {
  await shutdown();
  await Promise.all([server?.stop(), fake?.close()]);
});

const chatModel = () =>
  new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'sk-fake',
    configuration: { baseURL: fake.openaiBaseUrl },
    maxRetries: 0,
  });

/** A retriever over a fixed corpus that scores documents by shared words. */
class KeywordRetriever extends BaseRetriever {
  lc_namespace = ['tests', 'retrievers'];
  static override lc_name() {
    return 'KeywordRetriever';
  }
  private readonly corpus = [
    new Document({
      id: 'doc-1',
      pageContent: 'PyFlare stores traces in ClickHouse.',
      metadata: { source: 'docs' },
    }),
    new Document({
      id: 'doc-2',
      pageContent: 'Traces show spans nested by parent.',
      metadata: { source: 'blog' },
    }),
    new Document({
      id: 'doc-3',
      pageContent: 'Bananas are yellow.',
      metadata: { source: 'fruit' },
    }),
  ];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const words = new Set(query.toLowerCase().match(/\w+/g) ?? []);
    return this.corpus
      .map((d) => {
        const hits = (d.pageContent.toLowerCase().match(/\w+/g) ?? []).filter((w) =>
          words.has(w),
        ).length;
        return new Document({
          id: d.id,
          pageContent: d.pageContent,
          metadata: { ...d.metadata, score: hits / 5 },
        });
      })
      .filter((d) => (d.metadata.score as number) > 0)
      .sort((a, b) => (b.metadata.score as number) - (a.metadata.score as number));
  }
}

async function spansOf(traceId: string, min: number): Promise<ApiSpan[]> {
  await flush();
  return fetchTrace(server, traceId, min);
}

describe('PyflareCallbackHandler', () => {
  it('records a RAG chain as one nested trace: chain, retriever with scored documents, chat model', async () => {
    const retriever = new KeywordRetriever();
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer from the context:\n{context}'],
      ['human', '{question}'],
    ]);
    const chain = RunnableSequence.from([
      {
        context: RunnableLambda.from((q: { question: string }) => q.question)
          .pipe(retriever)
          .pipe(
            RunnableLambda.from((docs: Document[]) => docs.map((d) => d.pageContent).join('\n')),
          ),
        question: RunnableLambda.from((q: { question: string }) => q.question),
      },
      prompt,
      chatModel(),
      new StringOutputParser(),
    ]).withConfig({ runName: 'rag-chain' });

    let traceId = '';
    const answer = await trace('http request', (span) => {
      traceId = span.spanContext().traceId;
      return chain.invoke({ question: 'How does PyFlare store traces?' }, { callbacks: [handler] });
    });
    expect(typeof answer).toBe('string');

    const spans = await spansOf(traceId, 6);
    const root = byName(spans, 'http request');
    const rag = byName(spans, 'rag-chain');
    expect(rag.parentSpanId).toBe(root.spanId);
    expect(rag.operation).toBe('chain');
    expect(JSON.parse(rag.inputText)).toEqual({ question: 'How does PyFlare store traces?' });
    expect(rag.outputText).toContain(answer);

    const retrieval = spans.find((s) => s.name.startsWith('retrieval '))!;
    expect(retrieval.operation).toBe('retrieval');
    expect(retrieval.retrievalDocuments).toEqual([
      {
        id: 'doc-1',
        content: 'PyFlare stores traces in ClickHouse.',
        score: 0.4,
        metadata: { source: 'docs', score: 0.4 },
      },
      {
        id: 'doc-2',
        content: 'Traces show spans nested by parent.',
        score: 0.2,
        metadata: { source: 'blog', score: 0.2 },
      },
    ]);
    // every span is a descendant of the chain's span
    const ids = new Map(spans.map((s) => [s.spanId, s]));
    const ancestors = (s: ApiSpan): string[] => {
      const out: string[] = [];
      for (let p = ids.get(s.parentSpanId); p; p = ids.get(p.parentSpanId)) out.push(p.name);
      return out;
    };
    expect(ancestors(retrieval)).toContain('rag-chain');

    const chat = byName(spans, 'chat gpt-4o-mini');
    expect(ancestors(chat)).toContain('rag-chain');
    expect(chat).toMatchObject({
      kind: 'client',
      operation: 'chat',
      provider: 'openai',
      requestModel: 'gpt-4o-mini',
    });
    expect(chat.inputTokens).toBeGreaterThan(0);
    expect(chat.outputTokens).toBeGreaterThan(0);
    expect(chat.inputMessages?.[0]?.content).toContain('PyFlare stores traces in ClickHouse.');
    expect(chat.inputMessages?.[1]).toEqual({
      role: 'user',
      content: 'How does PyFlare store traces?',
    });
    expect(chat.outputMessages?.[0]).toEqual({ role: 'assistant', content: answer });
  });

  it('records tool calls and tool runs, and a streamed model with time to first token', async () => {
    const weather = tool(async ({ city }: { city: string }) => `It is sunny in ${city}.`, {
      name: 'get_weather',
      description: 'Current weather for a city',
      schema: z.object({ city: z.string() }),
    });
    let traceId = '';
    await trace('agent turn', async (span) => {
      traceId = span.spanContext().traceId;
      const model = chatModel().bindTools([weather]);
      let ai: AIMessageChunk | undefined;
      for await (const chunk of await model.stream('What is the weather in Lisbon?', {
        callbacks: [handler],
      })) {
        ai = ai ? ai.concat(chunk) : chunk;
      }
      for (const call of ai?.tool_calls ?? []) await weather.invoke(call, { callbacks: [handler] });
    });
    const spans = await spansOf(traceId, 3);
    const chat = byName(spans, 'chat gpt-4o-mini');
    expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    expect(chat.outputMessages?.[0]?.toolCalls?.[0]).toMatchObject({
      name: 'get_weather',
      arguments: '{"city":"Lisbon"}',
    });
    const toolSpan = byName(spans, 'execute_tool get_weather');
    expect(toolSpan.operation).toBe('tool');
    expect(toolSpan.outputText).toBe('It is sunny in Lisbon.');
    expect(toolSpan.attributes['gen_ai.tool.call.id']).toBe(
      chat.outputMessages?.[0]?.toolCalls?.[0]?.id,
    );
  });

  it('invoke() on a streaming model takes the provider usage and downloads no tokenizer', async () => {
    // LangChain's `_generate` path for `streaming: true` estimates tokens with a tokenizer it
    // fetches from tiktoken.pages.dev (no network here); the handler asks for the stream path.
    const realFetch = globalThis.fetch;
    const downloads: string[] = [];
    globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('tiktoken')) {
        downloads.push(url);
        return Promise.reject(new TypeError('fetch failed (no network in this test)'));
      }
      return realFetch(input, init);
    }) as typeof fetch;
    let traceId = '';
    const before = fake.requests.length;
    try {
      await trace('streaming invoke', async (span) => {
        traceId = span.spanContext().traceId;
        const streaming = new ChatOpenAI({
          model: 'gpt-4o-mini',
          apiKey: 'sk-fake',
          configuration: { baseURL: fake.openaiBaseUrl },
          maxRetries: 0,
          streaming: true,
        });
        const alone = await streaming.invoke('Say hello', { callbacks: [handler] });
        expect(String(alone.content).length).toBeGreaterThan(0);
        // A non-streaming invoke() while a stream runs in the same context: its request
        // stays a plain one.
        const consume = async () => {
          for await (const _ of await streaming.stream('Say hello again', {
            callbacks: [handler],
          })) {
            // drain
          }
        };
        const [, plain] = await Promise.all([
          consume(),
          chatModel().invoke('Say goodbye', { callbacks: [handler] }),
        ]);
        expect(String(plain.content).length).toBeGreaterThan(0);
      });
    } finally {
      globalThis.fetch = realFetch;
    }
    const requests = fake.requests.slice(before);
    expect(downloads).toEqual([]);
    expect(requests.find((r) => r.prompt === 'Say hello')?.stream).toBe(true);
    expect(requests.find((r) => r.prompt === 'Say goodbye')?.stream).toBe(false);
    const spans = await spansOf(traceId, 4);
    const chats = spans.filter((s) => s.name === 'chat gpt-4o-mini');
    expect(chats).toHaveLength(3);
    const alone = chats.find((s) => s.inputMessages?.[0]?.content === 'Say hello')!;
    expect(alone.attributes['pyflare.llm.stream']).toBe(true);
    expect(alone.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    expect(alone.inputTokens).toBeGreaterThan(0);
    expect(alone.outputTokens).toBeGreaterThan(0);
  });

  it('records agent actions and finishes on the agent span, and failures as errors', async () => {
    // Driven through LangChain's own callback manager, as AgentExecutor drives it.
    const manager = CallbackManager.configure([handler])!;
    const agent = await manager.handleChainStart(
      { lc: 1, type: 'not_implemented', id: ['langchain', 'agents', 'AgentExecutor'] },
      { input: 'refund order 7' },
      undefined,
      undefined,
      undefined,
      undefined,
      'AgentExecutor',
    );
    await agent.handleAgentAction({
      tool: 'refund',
      toolInput: { order: 7 },
      log: 'I should refund.',
    });
    const toolRun = await agent
      .getChild()
      .handleToolStart(
        { lc: 1, type: 'not_implemented', id: ['tools', 'refund'] },
        '{"order":7}',
        undefined,
        undefined,
        undefined,
        undefined,
        'refund',
      );
    await toolRun.handleToolError(new Error('payment gateway down'));
    await agent.handleAgentEnd({ returnValues: { output: 'Sorry, try later.' }, log: '' });
    await agent.handleChainEnd({ output: 'Sorry, try later.' });

    const [found] = await (async () => {
      await flush();
      return findSpans(server, 'name=invoke_agent%20AgentExecutor');
    })();
    const spans = await fetchTrace(server, found!.traceId, 2);
    const agentSpan = byName(spans, 'invoke_agent AgentExecutor');
    expect(agentSpan.operation).toBe('agent');
    expect(agentSpan.parentSpanId).toBe('');
    expect(agentSpan.events.map((e) => e.name)).toEqual(['agent_action', 'agent_finish']);
    expect(agentSpan.events[0]!.attributes).toMatchObject({
      'gen_ai.tool.name': 'refund',
      'agent.tool_input': '{"order":7}',
    });
    const toolSpan = byName(spans, 'execute_tool refund');
    expect(toolSpan.parentSpanId).toBe(agentSpan.spanId);
    expect(toolSpan.status).toMatchObject({ code: 'error', message: 'payment gateway down' });
  });

  it('a run with no active span is its own trace', async () => {
    const chain = RunnableLambda.from(async (x: number) => x + 1).withConfig({
      runName: 'standalone',
    });
    expect(await chain.invoke(1, { callbacks: [handler] })).toBe(2);
    await flush();
    const [s] = await findSpans(server, 'name=standalone');
    const spans = await fetchTrace(server, s!.traceId);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.parentSpanId).toBe('');
  });
});
