import { describe, expect, it } from 'vitest';
import { event, rowOf } from './testing/fixtures.ts';

describe('canonical model: precedence across conventions', () => {
  it('takes each concept from the first convention that has it', () => {
    const row = rowOf({
      // operation: gen_ai wins over openinference, traceloop, vercel, pyflare
      'gen_ai.operation.name': 'chat',
      'openinference.span.kind': 'CHAIN',
      'traceloop.span.kind': 'workflow',
      'ai.operationId': 'ai.toolCall',
      'pyflare.span.kind': 'training',
      // provider: gen_ai.provider.name > gen_ai.system > llm.provider > llm.system
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'ignored',
      'llm.provider': 'ignored',
      // models
      'gen_ai.request.model': 'req-genai',
      'llm.model_name': 'oi-model',
      'ai.model.id': 'vercel-model',
      'pyflare.model.id': 'pf-model',
      // tokens: current gen_ai names > OpenInference > legacy gen_ai > vercel
      'gen_ai.usage.input_tokens': 10,
      'llm.token_count.prompt': 99,
      'gen_ai.usage.prompt_tokens': 98,
      'ai.usage.promptTokens': 97,
      'llm.token_count.completion': 5,
      'gen_ai.usage.completion_tokens': 96,
      'llm.token_count.prompt_details.cache_read': 4,
      // user / session
      'user.id': 'u-otel',
      'enduser.id': 'u-enduser',
      'ai.telemetry.metadata.userId': 'u-vercel',
      'gen_ai.conversation.id': 'conv',
      'ai.telemetry.metadata.sessionId': 's-vercel',
      // tags: pyflare.tags > tag.tags
      'pyflare.tags': ['pf'],
      'tag.tags': ['oi'],
    });
    expect(row).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      request_model: 'req-genai',
      response_model: 'oi-model',
      input_tokens: 10,
      output_tokens: 5,
      cached_tokens: 4,
      total_tokens: 15,
      user_id: 'u-otel',
      session_id: 'conv',
      tags: ['pf'],
    });
  });

  it('prefers session.id to gen_ai.conversation.id and enduser.id to vercel metadata', () => {
    const row = rowOf({
      'session.id': 's1',
      'gen_ai.conversation.id': 'c1',
      'enduser.id': 'e1',
      'ai.telemetry.metadata.userId': 'v1',
    });
    expect(row).toMatchObject({ session_id: 's1', user_id: 'e1' });
  });

  it('keeps a given total even when it differs from input + output', () => {
    const row = rowOf({
      'llm.token_count.prompt': 3,
      'llm.token_count.completion': 4,
      'llm.token_count.total': 10,
    });
    expect(row.total_tokens).toBe(10);
  });

  it('skips unusable values and reads the next source', () => {
    const row = rowOf({
      'gen_ai.usage.input_tokens': -5,
      'llm.token_count.prompt': 'lots',
      'gen_ai.usage.prompt_tokens': 7,
      'gen_ai.request.model': '',
      'llm.model_name': 'm',
      'openinference.span.kind': 'NOPE',
      'traceloop.span.kind': 'tool',
    });
    expect(row).toMatchObject({ input_tokens: 7, request_model: 'm', operation: 'tool' });
  });

  it('takes messages from gen_ai.input.messages before OpenInference and OpenLLMetry ones', () => {
    const row = rowOf({
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"genai"}]}]',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'openinference',
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'traceloop',
      'input.value': 'raw',
    });
    expect(row.input_text).toBe('genai');
  });

  it('takes OpenInference messages before OpenLLMetry and Vercel ones', () => {
    const row = rowOf({
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'openinference',
      'gen_ai.completion.0.content': 'traceloop',
      'ai.operationId': 'ai.generateText',
      'ai.response.text': 'vercel',
    });
    expect(row.output_text).toBe('openinference');
  });

  it('leaves non-AI spans with empty canonical columns', () => {
    const row = rowOf({ 'http.request.method': 'GET', 'http.route': '/x' });
    expect(row).toMatchObject({
      operation: '',
      provider: '',
      request_model: '',
      input_tokens: 0,
      total_tokens: 0,
      tags: [],
      input_text: '',
      ml_features: '',
      embedding: [],
    });
  });
});

describe('canonical model: content capture off', () => {
  const llm = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.usage.input_tokens': 3,
    'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"SECRET-1"}]}]',
    'gen_ai.output.messages':
      '[{"role":"assistant","parts":[{"type":"text","content":"SECRET-2"}]}]',
    'gen_ai.system_instructions': '[{"type":"text","content":"SECRET-3"}]',
    'gen_ai.tool.call.arguments': 'SECRET-4',
    'input.value': 'SECRET-5',
    'output.value': 'SECRET-6',
    'llm.input_messages.0.message.content': 'SECRET-7',
    'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': 'SECRET-8',
    'gen_ai.prompt.0.content': 'SECRET-9',
    'gen_ai.completion.0.content': 'SECRET-10',
    'retrieval.documents.0.document.content': 'SECRET-11',
    'retrieval.documents.0.document.metadata': '{"SECRET-12":1}',
    'retrieval.documents.0.document.id': 'doc-1',
    'embedding.embeddings.0.embedding.text': 'SECRET-13',
    'embedding.embeddings.0.embedding.vector': [0.5, 0.25],
    'traceloop.entity.input': 'SECRET-14',
    'ai.prompt.messages': '[{"role":"user","content":"SECRET-15"}]',
    'ai.response.text': 'SECRET-16',
    'ai.toolCall.args': 'SECRET-17',
    'reranker.query': 'SECRET-18',
    'llm.prompt_template.variables': '{"x":"SECRET-19"}',
    'gen_ai.retrieval.query.text': 'SECRET-20',
  };
  const events = [
    event('gen_ai.user.message', { content: 'SECRET-E1' }),
    event('gen_ai.choice', { message: 'SECRET-E2' }),
    event('db.query.result', { 'db.query.result.document': 'SECRET-E3' }),
    event('exception', { 'exception.message': 'kept' }),
  ];

  it('stores no content anywhere in the row', () => {
    const row = rowOf(llm, { events, captureContent: false });
    expect(JSON.stringify(row)).not.toContain('SECRET');
    expect(row).toMatchObject({
      input_text: '',
      output_text: '',
      input_messages: '',
      output_messages: '',
      retrieval_documents: '',
    });
  });

  it('keeps everything else: canonical scalars, ids, vectors and other events', () => {
    const row = rowOf(llm, { events, captureContent: false });
    expect(row).toMatchObject({
      operation: 'chat',
      request_model: 'gpt-4o',
      input_tokens: 3,
      embedding: [0.5, 0.25],
    });
    expect(row.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'retrieval.documents.0.document.id': 'doc-1',
    });
    expect(JSON.parse(row.events_json)).toEqual([
      expect.objectContaining({ name: 'exception', attributes: { 'exception.message': 'kept' } }),
    ]);
  });

  it('stores the same span with content when capture is on', () => {
    const row = rowOf(llm, { events });
    expect(row.input_text).toBe('SECRET-3\n\nSECRET-1'); // system instructions first
    expect(row.attributes['input.value']).toBe('SECRET-5');
    expect(JSON.parse(row.events_json)).toHaveLength(4);
  });
});
