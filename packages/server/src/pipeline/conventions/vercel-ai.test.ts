import { describe, expect, it } from 'vitest';
import { parsed, rowOf } from '../testing/fixtures.ts';

/** Attribute sets as the Vercel AI SDK's telemetry (AI SDK 4 and 5) records them. */
describe('Vercel AI SDK conventions', () => {
  it('reads a generateText span: prompt object, response, usage, metadata', () => {
    const row = rowOf(
      {
        'operation.name': 'ai.generateText story-agent',
        'resource.name': 'story-agent',
        'ai.operationId': 'ai.generateText',
        'ai.model.id': 'gpt-4o',
        'ai.model.provider': 'openai.chat',
        'ai.telemetry.functionId': 'story-agent',
        'ai.telemetry.metadata.userId': 'user-123',
        'ai.telemetry.metadata.sessionId': 'chat-456',
        'ai.telemetry.metadata.tags': ['beta'],
        'ai.settings.maxRetries': 2,
        'ai.prompt': '{"system":"You are a storyteller.","prompt":"Write about a cat."}',
        'ai.response.text': 'Once upon a time, a cat...',
        'ai.response.finishReason': 'stop',
        'ai.usage.promptTokens': 20,
        'ai.usage.completionTokens': 40,
      },
      { name: 'ai.generateText' },
    );
    expect(row).toMatchObject({
      operation: 'chain',
      provider: 'openai',
      request_model: 'gpt-4o',
      // The usage of a whole call is its provider calls' (doGenerate children), counted there.
      input_tokens: 0,
      output_tokens: 0,
      total_tokens: 0,
      user_id: 'user-123',
      session_id: 'chat-456',
      tags: ['beta'],
      input_text: 'You are a storyteller.\n\nWrite about a cat.',
      output_text: 'Once upon a time, a cat...',
    });
    expect(parsed(row.input_messages)).toEqual([
      { role: 'system', content: 'You are a storyteller.' },
      { role: 'user', content: 'Write about a cat.' },
    ]);
  });

  it('reads a doGenerate span: provider messages, tool calls, gen_ai attributes first', () => {
    const row = rowOf({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.id': 'claude-3-5-sonnet-latest',
      'ai.model.provider': 'anthropic.messages',
      'ai.prompt.messages': JSON.stringify([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather in SF?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool-call', toolCallId: 'call_1', toolName: 'weather', input: { city: 'SF' } },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_1',
              toolName: 'weather',
              output: { type: 'json', value: { tempF: 61 } },
            },
          ],
        },
      ]),
      'ai.response.text': '',
      'ai.response.toolCalls': JSON.stringify([
        {
          toolCallType: 'function',
          toolCallId: 'call_2',
          toolName: 'forecast',
          args: '{"days":2}',
        },
      ]),
      'ai.response.model': 'claude-3-5-sonnet-20241022',
      'ai.usage.inputTokens': 50,
      'ai.usage.outputTokens': 10,
      'ai.usage.totalTokens': 60,
      'ai.usage.cachedInputTokens': 32,
      'gen_ai.system': 'anthropic.messages',
      'gen_ai.request.model': 'claude-3-5-sonnet-latest',
      'gen_ai.response.model': 'claude-3-5-sonnet-20241022',
      'gen_ai.usage.input_tokens': 50,
      'gen_ai.usage.output_tokens': 10,
    });
    expect(row).toMatchObject({
      operation: 'llm',
      provider: 'anthropic',
      request_model: 'claude-3-5-sonnet-latest',
      response_model: 'claude-3-5-sonnet-20241022',
      input_tokens: 50,
      output_tokens: 10,
      cached_tokens: 32,
      total_tokens: 60,
    });
    expect(parsed(row.input_messages)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in SF?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"SF"}' }],
      },
      { role: 'tool', content: '{"tempF":61}', toolCallId: 'call_1' },
    ]);
    expect(parsed(row.output_messages)).toEqual([
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_2', name: 'forecast', arguments: '{"days":2}' }],
      },
    ]);
  });

  it('reads tool call spans', () => {
    const row = rowOf({
      'ai.operationId': 'ai.toolCall',
      'ai.toolCall.name': 'weather',
      'ai.toolCall.id': 'call_1',
      'ai.toolCall.args': '{"city":"SF"}',
      'ai.toolCall.result': '{"tempF":61}',
    });
    expect(row).toMatchObject({
      operation: 'tool',
      input_text: '{"city":"SF"}',
      output_text: '{"tempF":61}',
    });
  });

  it('reads embedding spans and generated objects', () => {
    const embed = rowOf({
      'ai.operationId': 'ai.embedMany.doEmbed',
      'ai.model.id': 'text-embedding-3-small',
      'ai.model.provider': 'openai.embedding',
      'ai.values': ['"sunny day"', '"rainy day"'],
      'ai.usage.tokens': 6,
    });
    expect(embed).toMatchObject({
      operation: 'embedding',
      provider: 'openai',
      input_tokens: 6,
      input_text: 'sunny day\n\nrainy day',
    });
    expect(rowOf({ 'ai.operationId': 'ai.embed', 'ai.value': '"hello"' }).input_text).toBe('hello');
    const object = rowOf({
      'ai.operationId': 'ai.generateObject',
      'ai.response.object': '{"name":"Lasagna"}',
    });
    expect(object.output_text).toBe('{"name":"Lasagna"}');
  });

  it('reads the AI SDK 3 result attributes', () => {
    const row = rowOf({
      'ai.operationId': 'ai.streamText.doStream',
      'ai.result.text': 'Hi!',
      'ai.finishReason': 'stop',
    });
    expect(row.operation).toBe('llm');
    expect(row.output_text).toBe('Hi!');
  });

  it('counts the tokens of AI SDK 6 traces once: on the provider calls, not their aggregates', () => {
    // Attribute sets as ai@6 records them (copied from a real run against a local provider).
    const usage = {
      'ai.usage.inputTokens': 117,
      'ai.usage.inputTokenDetails.noCacheTokens': 85,
      'ai.usage.inputTokenDetails.cacheReadTokens': 32,
      'ai.usage.outputTokens': 10,
      'ai.usage.totalTokens': 127,
    };
    const step = rowOf({
      'operation.name': 'ai.generateText.doGenerate weather-bot',
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'openai.chat',
      'ai.model.id': 'gpt-4o-mini',
      'gen_ai.system': 'openai.chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'ai.response.finishReason': 'tool-calls',
      'ai.response.toolCalls':
        '[{"toolCallId":"call_1","toolName":"get_weather","input":"{\\"city\\":\\"Paris\\"}"}]',
      ...usage,
    });
    expect(step).toMatchObject({
      operation: 'llm',
      provider: 'openai',
      input_tokens: 117,
      output_tokens: 10,
      cached_tokens: 32,
      total_tokens: 127,
    });
    expect(parsed(step.output_messages)).toEqual([
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
    ]);
    for (const id of ['ai.generateText', 'ai.streamText', 'ai.embed', 'ai.embedMany']) {
      const whole = rowOf({ 'ai.operationId': id, 'ai.model.id': 'gpt-4o-mini', ...usage });
      expect(whole, id).toMatchObject({
        input_tokens: 0,
        output_tokens: 0,
        cached_tokens: 0,
        total_tokens: 0,
      });
    }
  });

  it('keeps dotted provider names of other conventions as they are', () => {
    expect(rowOf({ 'gen_ai.system': 'aws.bedrock' }).provider).toBe('aws.bedrock');
  });
});
