import { describe, expect, it } from 'vitest';
import { event, parsed, rowOf } from '../testing/fixtures.ts';

/** Attribute sets as OpenLLMetry (Traceloop) instrumentations emit them. */
describe('OpenLLMetry conventions', () => {
  const chat = {
    'llm.request.type': 'chat',
    'gen_ai.system': 'OpenAI',
    'gen_ai.request.model': 'gpt-3.5-turbo',
    'llm.is_streaming': false,
    'gen_ai.openai.api_base': 'https://api.openai.com/v1/',
    'gen_ai.prompt.0.role': 'system',
    'gen_ai.prompt.0.content': 'You are a helpful assistant',
    'gen_ai.prompt.1.role': 'user',
    'gen_ai.prompt.1.content': 'Tell me a joke about opentelemetry',
    'gen_ai.response.model': 'gpt-3.5-turbo-0125',
    'llm.usage.total_tokens': 35,
    'gen_ai.usage.completion_tokens': 15,
    'gen_ai.usage.prompt_tokens': 20,
    'gen_ai.usage.cache_read_input_tokens': 8,
    'gen_ai.completion.0.finish_reason': 'stop',
    'gen_ai.completion.0.role': 'assistant',
    'gen_ai.completion.0.content': 'Why did the span cross the road?',
    'traceloop.association.properties.user_id': 'u-7',
    'traceloop.association.properties.session_id': 's-9',
  };

  it('reads the request type, lowercases the system, reads legacy tokens and associations', () => {
    expect(rowOf(chat, { name: 'openai.chat' })).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      request_model: 'gpt-3.5-turbo',
      response_model: 'gpt-3.5-turbo-0125',
      input_tokens: 20,
      output_tokens: 15,
      cached_tokens: 8,
      total_tokens: 35,
      user_id: 'u-7',
      session_id: 's-9',
    });
  });

  it('reads indexed prompts and completions', () => {
    const row = rowOf(chat);
    expect(parsed(row.input_messages)).toEqual([
      { role: 'system', content: 'You are a helpful assistant' },
      { role: 'user', content: 'Tell me a joke about opentelemetry' },
    ]);
    expect(parsed(row.output_messages)).toEqual([
      { role: 'assistant', content: 'Why did the span cross the road?' },
    ]);
    expect(row.output_text).toBe('Why did the span cross the road?');
  });

  it('reads tool calls in completions and tool results in prompts', () => {
    const row = rowOf({
      'llm.request.type': 'chat',
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'Weather in Boston?',
      'gen_ai.prompt.1.role': 'assistant',
      'gen_ai.prompt.1.tool_calls.0.id': 'call_1',
      'gen_ai.prompt.1.tool_calls.0.name': 'get_weather',
      'gen_ai.prompt.1.tool_calls.0.arguments': '{"city": "Boston"}',
      'gen_ai.prompt.2.role': 'tool',
      'gen_ai.prompt.2.tool_call_id': 'call_1',
      'gen_ai.prompt.2.content': '72F',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 'call_2',
      'gen_ai.completion.0.tool_calls.0.name': 'get_forecast',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"city": "Boston", "days": 3}',
    });
    expect(parsed(row.input_messages)).toEqual([
      { role: 'user', content: 'Weather in Boston?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city": "Boston"}' }],
      },
      { role: 'tool', content: '72F', toolCallId: 'call_1' },
    ]);
    expect(parsed(row.output_messages)).toEqual([
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'call_2', name: 'get_forecast', arguments: '{"city": "Boston", "days": 3}' },
        ],
      },
    ]);
    expect(row.output_text).toBe('get_forecast({"city": "Boston", "days": 3})');
  });

  it('reads content stored as a JSON list of blocks (Anthropic instrumentation)', () => {
    const row = rowOf({
      'llm.request.type': 'chat',
      'gen_ai.system': 'Anthropic',
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': JSON.stringify([
        { type: 'text', text: 'Summarize:' },
        { type: 'text', text: 'a long text' },
      ]),
    });
    expect(row.provider).toBe('anthropic');
    expect(parsed(row.input_messages)).toEqual([
      { role: 'user', content: 'Summarize:\na long text' },
    ]);
  });

  it('does not mistake gen_ai.prompt.name for an indexed prompt', () => {
    const row = rowOf({ 'gen_ai.prompt.name': 'greeting', 'gen_ai.prompt.version': '3' });
    expect(row.input_messages).toBe('');
  });

  it('reads workflow and task spans with their entity input and output', () => {
    const row = rowOf({
      'traceloop.span.kind': 'workflow',
      'traceloop.workflow.name': 'joke_generator',
      'traceloop.entity.name': 'joke_generator',
      'traceloop.entity.input': '{"args": [], "kwargs": {"topic": "otel"}}',
      'traceloop.entity.output': '"Why did the span cross the road?"',
    });
    expect(row).toMatchObject({
      operation: 'chain',
      input_text: '{"args": [], "kwargs": {"topic": "otel"}}',
      output_text: '"Why did the span cross the road?"',
    });
    expect(rowOf({ 'traceloop.span.kind': 'task' }).operation).toBe('chain');
    expect(rowOf({ 'traceloop.span.kind': 'agent' }).operation).toBe('agent');
    expect(rowOf({ 'traceloop.span.kind': 'tool' }).operation).toBe('tool');
    expect(rowOf({ 'llm.request.type': 'embedding' }).operation).toBe('embedding');
    expect(rowOf({ 'llm.request.type': 'completion' }).operation).toBe('llm');
    expect(rowOf({ 'llm.request.type': 'rerank' }).operation).toBe('reranker');
  });

  it('reads the older llm.prompts.N / llm.completions.N and llm.usage.* names', () => {
    const row = rowOf({
      'llm.vendor': 'OpenAI',
      'llm.request.model': 'gpt-4',
      'llm.prompts.0.role': 'user',
      'llm.prompts.0.content': 'hi',
      'llm.completions.0.role': 'assistant',
      'llm.completions.0.content': 'hello',
      'llm.usage.prompt_tokens': 5,
      'llm.usage.completion_tokens': 1,
    });
    expect(row).toMatchObject({
      provider: 'openai',
      request_model: 'gpt-4',
      input_tokens: 5,
      output_tokens: 1,
      total_tokens: 6,
      input_text: 'hi',
      output_text: 'hello',
    });
  });

  it('reads vector DB query results from db.query.result events', () => {
    const row = rowOf(
      { 'db.system': 'chroma', 'db.operation': 'query' },
      {
        events: [
          event('db.query.result', {
            'db.query.result.id': 'id1',
            'db.query.result.distance': 0.12,
            'db.query.result.document': 'Paris is in France.',
            'db.query.result.metadata': '{"src": "a"}',
          }),
          event('db.query.result', { 'db.query.result.id': 'id2', 'db.query.result.score': 0.8 }),
        ],
      },
    );
    expect(parsed(row.retrieval_documents)).toEqual([
      { id: 'id1', content: 'Paris is in France.', metadata: { src: 'a' } },
      { id: 'id2', score: 0.8 },
    ]);
  });
});
