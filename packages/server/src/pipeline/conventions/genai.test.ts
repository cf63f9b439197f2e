import { describe, expect, it } from 'vitest';
import { attrs, event, parsed, rowOf } from '../testing/fixtures.ts';

/** Attribute sets as the OTel GenAI semantic conventions (1.37+) describe them. */
describe('OTel GenAI conventions', () => {
  const chat = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.request.temperature': 0.2,
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.response.id': 'chatcmpl-CAbc',
    'gen_ai.response.finish_reasons': ['tool_call'],
    'gen_ai.usage.input_tokens': 97,
    'gen_ai.usage.output_tokens': 52,
    'gen_ai.usage.cache_read.input_tokens': 64,
    'gen_ai.conversation.id': 'conv_5j66UpCpwteGg4YSxUnt7lPY',
    'server.address': 'api.openai.com',
    'gen_ai.system_instructions': JSON.stringify([
      { type: 'text', content: 'You are a weather assistant.' },
    ]),
    'gen_ai.input.messages': JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            id: 'call_VSPygqK',
            name: 'get_weather',
            arguments: { location: 'Paris' },
          },
        ],
      },
      {
        role: 'tool',
        parts: [{ type: 'tool_call_response', id: 'call_VSPygqK', response: 'rainy, 57°F' }],
      },
    ]),
    'gen_ai.output.messages': JSON.stringify([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'It is rainy and 57°F in Paris.' }],
        finish_reason: 'stop',
      },
    ]),
  };

  it('reads operation, provider, models, tokens and conversation', () => {
    const row = rowOf(chat);
    expect(row).toMatchObject({
      operation: 'chat',
      provider: 'openai',
      request_model: 'gpt-4o',
      response_model: 'gpt-4o-2024-08-06',
      input_tokens: 97,
      output_tokens: 52,
      cached_tokens: 64,
      total_tokens: 149,
      session_id: 'conv_5j66UpCpwteGg4YSxUnt7lPY',
    });
  });

  it('turns parts-format messages and system instructions into canonical messages', () => {
    const row = rowOf(chat);
    expect(parsed(row.input_messages)).toEqual([
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_VSPygqK', name: 'get_weather', arguments: '{"location":"Paris"}' }],
      },
      { role: 'tool', content: 'rainy, 57°F', toolCallId: 'call_VSPygqK' },
    ]);
    expect(parsed(row.output_messages)).toEqual([
      { role: 'assistant', content: 'It is rainy and 57°F in Paris.' },
    ]);
    expect(row.input_text).toBe(
      'You are a weather assistant.\n\nWeather in Paris?\n\nget_weather({"location":"Paris"})\n\nrainy, 57°F',
    );
    expect(row.output_text).toBe('It is rainy and 57°F in Paris.');
  });

  it('reads messages recorded in structured form (AnyValue kvlists) too', () => {
    const row = rowOf({
      'gen_ai.operation.name': 'chat',
      'gen_ai.input.messages': [
        attrs({
          role: 'user',
          parts: [
            attrs({ type: 'text', content: 'Describe this' }),
            attrs({ type: 'uri', modality: 'image', uri: 'https://example.com/cat.png' }),
            attrs({
              type: 'blob',
              modality: 'image',
              mime_type: 'image/png',
              content: new Uint8Array(9),
            }),
          ],
        }),
      ],
    });
    expect(parsed(row.input_messages)).toEqual([
      { role: 'user', content: 'Describe this\n[image: https://example.com/cat.png]\n[image]' },
    ]);
  });

  it('maps every operation name, and falls through on an unknown one', () => {
    const ops = {
      chat: 'chat',
      text_completion: 'llm',
      generate_content: 'llm',
      embeddings: 'embedding',
      execute_tool: 'tool',
      invoke_agent: 'agent',
      create_agent: 'agent',
      invoke_workflow: 'chain',
      retrieval: 'retrieval',
    };
    for (const [name, op] of Object.entries(ops)) {
      expect(rowOf({ 'gen_ai.operation.name': name }).operation).toBe(op);
    }
    const row = rowOf({ 'gen_ai.operation.name': 'teleport', 'openinference.span.kind': 'TOOL' });
    expect(row.operation).toBe('tool');
  });

  it('reads tool execution spans', () => {
    const row = rowOf({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_mszuSIzqtI65i1wAUOE8w5H4',
      'gen_ai.tool.call.arguments': '{"location":"Paris"}',
      'gen_ai.tool.call.result': '{"temperature_range":{"high":75,"low":60}}',
    });
    expect(row.operation).toBe('tool');
    expect(row.input_text).toBe('{"location":"Paris"}');
    expect(row.output_text).toBe('{"temperature_range":{"high":75,"low":60}}');
  });

  it('reads retrieval spans', () => {
    const row = rowOf({
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': 'kb-weather',
      'gen_ai.retrieval.query.text': 'weather in Seattle',
      'gen_ai.retrieval.documents': JSON.stringify([
        { id: 'doc_123', score: 0.95, content: 'Seattle is rainy.' },
        { id: 'doc_456', score: 0.7 },
      ]),
    });
    expect(row.operation).toBe('retrieval');
    expect(row.input_text).toBe('weather in Seattle');
    expect(parsed(row.retrieval_documents)).toEqual([
      { id: 'doc_123', content: 'Seattle is rainy.', score: 0.95 },
      { id: 'doc_456', score: 0.7 },
    ]);
  });

  it('falls back to gen_ai.system and the pre-1.27 token names', () => {
    const row = rowOf({
      'gen_ai.system': 'az.ai.inference',
      'gen_ai.usage.prompt_tokens': '12',
      'gen_ai.usage.completion_tokens': 3.0,
    });
    expect(row).toMatchObject({
      provider: 'az.ai.inference',
      input_tokens: 12,
      output_tokens: 3,
      total_tokens: 15,
    });
  });

  it('reads messages from the event-based conventions (1.28 - 1.36)', () => {
    const row = rowOf(
      {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      },
      {
        events: [
          event('gen_ai.system.message', { content: 'You are terse.' }),
          event('gen_ai.user.message', { content: 'Weather in Paris?' }),
          event('gen_ai.assistant.message', {
            tool_calls: [
              attrs({
                id: 'call_1',
                type: 'function',
                function: attrs({ name: 'get_weather', arguments: '{"city":"Paris"}' }),
              }),
            ],
          }),
          event('gen_ai.tool.message', { content: 'rainy', id: 'call_1' }),
          event('gen_ai.choice', {
            index: 1,
            finish_reason: 'stop',
            message: attrs({ content: 'Second choice.' }),
          }),
          event('gen_ai.choice', {
            index: 0,
            finish_reason: 'stop',
            message: attrs({ role: 'assistant', content: 'Rainy.' }),
          }),
        ],
      },
    );
    expect(parsed(row.input_messages)).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
      { role: 'tool', content: 'rainy', toolCallId: 'call_1' },
    ]);
    expect(parsed(row.output_messages)).toEqual([
      { role: 'assistant', content: 'Rainy.' },
      { role: 'assistant', content: 'Second choice.' },
    ]);
  });

  it('reads the inference operation details event', () => {
    const row = rowOf(
      { 'gen_ai.operation.name': 'chat' },
      {
        events: [
          event('gen_ai.client.inference.operation.details', {
            'gen_ai.input.messages': [
              attrs({ role: 'user', parts: [attrs({ type: 'text', content: 'Hi' })] }),
            ],
            'gen_ai.output.messages': [
              attrs({ role: 'assistant', parts: [attrs({ type: 'text', content: 'Hello!' })] }),
            ],
          }),
        ],
      },
    );
    expect(row.input_text).toBe('Hi');
    expect(row.output_text).toBe('Hello!');
  });

  it('prefers attributes over events', () => {
    const row = rowOf(
      { 'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"attr"}]}]' },
      { events: [event('gen_ai.user.message', { content: 'event' })] },
    );
    expect(row.input_text).toBe('attr');
  });

  it('leaves content empty, and keeps the span, when messages are not valid JSON', () => {
    const row = rowOf({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': '[{"role":' });
    expect(row.operation).toBe('chat');
    expect(row.input_messages).toBe('');
    expect(row.attributes['gen_ai.input.messages']).toBe('[{"role":');
  });
});
