import { describe, expect, it } from 'vitest';
import { parsed, rowOf } from '../testing/fixtures.ts';

/** Attribute sets as OpenInference instrumentations (openai, llama-index, langchain) emit them. */
describe('OpenInference conventions', () => {
  const question = 'What is the capital of France?';
  const llm = {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'openai',
    'llm.system': 'openai',
    'llm.model_name': 'gpt-4o-mini-2024-07-18',
    'llm.invocation_parameters': '{"model": "gpt-4o-mini", "temperature": 0}',
    'input.value': JSON.stringify({
      messages: [{ role: 'user', content: question }],
      model: 'gpt-4o-mini',
    }),
    'input.mime_type': 'application/json',
    'output.value': '{"id":"chatcmpl-1","choices":[]}',
    'output.mime_type': 'application/json',
    'llm.input_messages.0.message.role': 'system',
    'llm.input_messages.0.message.content': 'Answer in one word.',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.content': question,
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': 'Paris.',
    'llm.token_count.prompt': 25,
    'llm.token_count.completion': 2,
    'llm.token_count.total': 27,
    'llm.token_count.prompt_details.cache_read': 0,
    'session.id': 'sess-42',
    'user.id': 'alice',
    'tag.tags': ['prod', 'geo'],
    metadata: '{"tenant": "acme"}',
  };

  it('reads kind, provider, model, tokens, session, user and tags', () => {
    expect(rowOf(llm)).toMatchObject({
      operation: 'llm',
      provider: 'openai',
      request_model: 'gpt-4o-mini-2024-07-18',
      response_model: 'gpt-4o-mini-2024-07-18',
      input_tokens: 25,
      output_tokens: 2,
      cached_tokens: 0,
      total_tokens: 27,
      session_id: 'sess-42',
      user_id: 'alice',
      tags: ['prod', 'geo'],
    });
  });

  it('reads flattened messages; the text columns render them rather than the raw request', () => {
    const row = rowOf(llm);
    expect(parsed(row.input_messages)).toEqual([
      { role: 'system', content: 'Answer in one word.' },
      { role: 'user', content: question },
    ]);
    expect(parsed(row.output_messages)).toEqual([{ role: 'assistant', content: 'Paris.' }]);
    expect(row.input_text).toBe(`Answer in one word.\n\n${question}`);
    expect(row.output_text).toBe('Paris.');
  });

  it('orders messages by index, not by attribute order, and reads tool calls', () => {
    const row = rowOf({
      'openinference.span.kind': 'LLM',
      'llm.output_messages.10.message.role': 'assistant',
      'llm.output_messages.10.message.content': 'tenth',
      'llm.output_messages.2.message.role': 'assistant',
      'llm.output_messages.2.message.tool_calls.0.tool_call.id': 'call_abc123',
      'llm.output_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.2.message.tool_calls.0.tool_call.function.arguments':
        '{"location": "San Francisco, CA"}',
      'llm.output_messages.2.message.tool_calls.1.tool_call.function.name': 'get_time',
      'llm.output_messages.2.message.tool_calls.1.tool_call.function.arguments': '{}',
    });
    expect(parsed(row.output_messages)).toEqual([
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          {
            id: 'call_abc123',
            name: 'get_weather',
            arguments: '{"location": "San Francisco, CA"}',
          },
          { name: 'get_time', arguments: '{}' },
        ],
      },
      { role: 'assistant', content: 'tenth' },
    ]);
  });

  it('reads multimodal message contents and tool result messages', () => {
    const row = rowOf({
      'openinference.span.kind': 'LLM',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'llm.input_messages.0.message.contents.0.message_content.text': 'What is in this image?',
      'llm.input_messages.0.message.contents.1.message_content.type': 'image',
      'llm.input_messages.0.message.contents.1.message_content.image.image.url':
        'https://example.com/dog.jpg',
      'llm.input_messages.1.message.role': 'tool',
      'llm.input_messages.1.message.tool_call_id': 'call_1',
      'llm.input_messages.1.message.content': '42',
    });
    expect(parsed(row.input_messages)).toEqual([
      { role: 'user', content: 'What is in this image?\n[image: https://example.com/dog.jpg]' },
      { role: 'tool', content: '42', toolCallId: 'call_1' },
    ]);
  });

  it('uses input.value / output.value as text when there are no messages', () => {
    const row = rowOf({
      'openinference.span.kind': 'CHAIN',
      'input.value': 'plan a trip',
      'output.value': 'done',
    });
    expect(row).toMatchObject({
      operation: 'chain',
      input_text: 'plan a trip',
      output_text: 'done',
    });
    expect(row.input_messages).toBe('');
  });

  it('reads retriever documents, with metadata parsed', () => {
    const row = rowOf({
      'openinference.span.kind': 'RETRIEVER',
      'input.value': 'capital of France',
      'retrieval.documents.0.document.id': 'doc-1',
      'retrieval.documents.0.document.content': 'Paris is the capital of France.',
      'retrieval.documents.0.document.score': 0.92,
      'retrieval.documents.0.document.metadata': '{"source": "wiki", "page": 3}',
      'retrieval.documents.1.document.id': 7,
      'retrieval.documents.1.document.content': 'Lyon is a city.',
      'retrieval.documents.1.document.score': 0.41,
    });
    expect(row.operation).toBe('retrieval');
    expect(parsed(row.retrieval_documents)).toEqual([
      {
        id: 'doc-1',
        content: 'Paris is the capital of France.',
        score: 0.92,
        metadata: { source: 'wiki', page: 3 },
      },
      { id: '7', content: 'Lyon is a city.', score: 0.41 },
    ]);
  });

  it('reads reranker output documents when there are no retrieval documents', () => {
    const row = rowOf({
      'openinference.span.kind': 'RERANKER',
      'reranker.query': 'capital',
      'reranker.model_name': 'cross-encoder/ms-marco-MiniLM-L-6-v2',
      'reranker.output_documents.0.document.id': 'd2',
      'reranker.output_documents.0.document.score': 3.5,
    });
    expect(row.operation).toBe('reranker');
    expect(row.request_model).toBe('cross-encoder/ms-marco-MiniLM-L-6-v2');
    expect(parsed(row.retrieval_documents)).toEqual([{ id: 'd2', score: 3.5 }]);
  });

  it('reads the first embedding vector of an embedding span', () => {
    const row = rowOf({
      'openinference.span.kind': 'EMBEDDING',
      'embedding.model_name': 'text-embedding-3-small',
      'embedding.embeddings.0.embedding.text': 'hello',
      'embedding.embeddings.0.embedding.vector': [0.1, -0.2, 0.3],
      'embedding.embeddings.1.embedding.vector': [9, 9, 9],
    });
    expect(row.operation).toBe('embedding');
    expect(row.request_model).toBe('text-embedding-3-small');
    expect(row.embedding).toEqual([0.1, -0.2, 0.3]);
  });

  it('drops an embedding vector holding a non-finite number', () => {
    const row = rowOf({
      'openinference.span.kind': 'EMBEDDING',
      'embedding.embeddings.0.embedding.vector': [0.1, NaN],
    });
    expect(row.embedding).toEqual([]);
  });

  it('maps every span kind, in any case', () => {
    const kinds = {
      LLM: 'llm',
      EMBEDDING: 'embedding',
      RETRIEVER: 'retrieval',
      RERANKER: 'reranker',
      TOOL: 'tool',
      AGENT: 'agent',
      CHAIN: 'chain',
      GUARDRAIL: 'guardrail',
      EVALUATOR: 'evaluator',
      agent: 'agent',
      PROMPT: '',
      UNKNOWN: '',
    };
    for (const [kind, op] of Object.entries(kinds)) {
      expect(rowOf({ 'openinference.span.kind': kind }).operation).toBe(op);
    }
  });
});
