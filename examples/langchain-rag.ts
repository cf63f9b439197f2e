/**
 * Retrieval-augmented generation with LangChain.js: `node --import tsx examples/langchain-rag.ts`
 * Embeddings → a small in-memory vector retriever (scores in the documents' metadata) → prompt →
 * ChatOpenAI → parser. The trace shows the chain, the retriever with its documents and scores,
 * and the model call.
 */
import { Document } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { BaseRetriever } from '@langchain/core/retrievers';
import { RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { PyflareCallbackHandler } from '@pyflare/sdk/langchain';
import { setup } from './_setup.ts';

const env = await setup('example-langchain-rag');
const configuration = { baseURL: env.openai.baseURL };
const embeddings = new OpenAIEmbeddings({
  model: 'text-embedding-3-small',
  apiKey: env.openai.apiKey,
  configuration,
});

const corpus = [
  'PyFlare receives OTLP over HTTP on port 4318 and gRPC on port 4317.',
  'Traces are stored in ClickHouse through chDB, in process, under ./pyflare-data.',
  'API keys have scopes: ingest, read and admin.',
  'The TypeScript SDK instruments OpenAI, Anthropic, LangChain.js and the Vercel AI SDK.',
];
const vectors = await embeddings.embedDocuments(corpus);

class VectorRetriever extends BaseRetriever {
  lc_namespace = ['examples'];
  override async _getRelevantDocuments(query: string): Promise<Document[]> {
    const q = await embeddings.embedQuery(query);
    return corpus
      .map((text, i) => ({ text, score: vectors[i]!.reduce((s, x, j) => s + x * q[j]!, 0), i }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 2)
      .map(
        (h) =>
          new Document({
            id: `doc-${h.i}`,
            pageContent: h.text,
            metadata: { score: Math.round(h.score * 1000) / 1000 },
          }),
      );
  }
}

const retriever = new VectorRetriever();
const prompt = ChatPromptTemplate.fromMessages([
  ['system', 'Answer using only this context:\n{context}'],
  ['human', '{question}'],
]);
const chain = RunnableSequence.from([
  {
    context: RunnableLambda.from((q: string) => q)
      .pipe(retriever)
      .pipe(RunnableLambda.from((docs: Document[]) => docs.map((d) => d.pageContent).join('\n'))),
    question: RunnableLambda.from((q: string) => q),
  },
  prompt,
  new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: env.openai.apiKey, configuration }),
  new StringOutputParser(),
]).withConfig({ runName: 'docs-rag' });

console.log(
  await chain.invoke('Where does PyFlare store traces?', {
    callbacks: [new PyflareCallbackHandler()],
  }),
);
await env.done();
