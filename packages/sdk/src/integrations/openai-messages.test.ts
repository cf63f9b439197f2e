import { describe, expect, it } from 'vitest';
import {
  ChatStreamAssembler,
  chatInputMessages,
  chatInputMessagesJson,
  chatOutputMessages,
  chatOutputMessagesJson,
  choicesOf,
  type AssembledChoice,
} from './openai-messages.ts';

/** The hand-written JSON of the hot path is byte for byte what the generic conversion gives. */

const tricky =
  'quotes " and \\ backslash, newline\n, tab\t, unicode é ✓ 😀, control \u0001, </script>';
/** What JSON.stringify leaves as it is (DEL, line separators) and a lone surrogate, escaped. */
const edgy = 'DEL \u007f, separators \u2028\u2029, lone \ud800 surrogate, pair 😀 end';

describe('chatInputMessagesJson', () => {
  it.each([
    [[{ role: 'user', content: 'Hello' }]],
    [
      [
        { role: 'system', content: 'You are a geography assistant.' },
        { role: 'user', content: 'What is the capital of France?', name: 'alice' },
        { role: 'assistant', content: '' },
        { role: 'developer', content: tricky },
        { role: 'assistant', content: 'ok', tool_calls: [] },
        { role: 'custom "role"', content: edgy, name: 'n\u0002"' },
        { role: 'user', content: '\udfff' },
      ],
    ],
  ])('equals JSON.stringify(chatInputMessages(...)) for %j', (messages) => {
    expect(chatInputMessagesJson(messages)).toBe(JSON.stringify(chatInputMessages(messages)));
  });

  it.each([
    ['no messages', []],
    ['not an array', 'hi'],
    ['a tool result', [{ role: 'tool', tool_call_id: 'c1', content: '42' }]],
    ['content parts', [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]],
    ['null content', [{ role: 'assistant', content: null }]],
    [
      'tool calls',
      [{ role: 'assistant', content: '', tool_calls: [{ id: 'c', function: { name: 'f' } }] }],
    ],
    ['no role', [{ content: 'hi' }]],
  ])('leaves %s to the generic conversion', (_what, messages) => {
    expect(chatInputMessagesJson(messages)).toBeUndefined();
  });
});

describe('chatOutputMessagesJson', () => {
  const choice = (c: Partial<AssembledChoice>): AssembledChoice => ({
    index: 0,
    content: '',
    toolCalls: [],
    ...c,
  });

  it.each([
    [[choice({ content: 'Paris is the capital of France.', finishReason: 'stop' })]],
    [
      [
        choice({ content: tricky, finishReason: 'length' }),
        choice({ index: 1, content: '', refusal: 'I cannot help with that.' }),
        choice({ index: 2, content: 'both', refusal: tricky, finishReason: 'stop' }),
        choice({ index: 3 }),
        choice({ index: 4, content: edgy, refusal: '\ud800', finishReason: 'a"b' }),
      ],
    ],
    [
      [
        choice({ content: 'x', finishReason: 'content_filter' }),
        choice({ index: 1, content: 'y', finishReason: 'end_turn' }),
        choice({ index: 2, refusal: 'no', finishReason: 'tool_calls' }),
      ],
    ],
    [
      choicesOf({
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Hi', refusal: null },
            finish_reason: 'stop',
          },
        ],
      }),
    ],
  ])('equals JSON.stringify(chatOutputMessages(...)) for %j', (choices) => {
    expect(chatOutputMessagesJson(choices)).toBe(JSON.stringify(chatOutputMessages(choices)));
  });

  it('leaves tool calls and empty responses to the generic conversion', () => {
    expect(chatOutputMessagesJson([])).toBeUndefined();
    expect(
      chatOutputMessagesJson([
        choice({ toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' }] }),
      ]),
    ).toBeUndefined();
  });
});

describe('ChatStreamAssembler', () => {
  it('reassembles choices and tool calls by index, whatever order the chunks give them', () => {
    const a = new ChatStreamAssembler();
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
      id: 'c1',
      model: 'gpt-4o-mini',
      choices,
      ...extra,
    });
    expect(a.add(chunk([{ index: 1, delta: { role: 'assistant', content: '' } }]))).toBe(false);
    expect(a.add(chunk([{ index: 1, delta: { content: 'B' } }]))).toBe(true);
    expect(a.add(chunk([{ index: 0, delta: { content: 'A' } }]))).toBe(false);
    a.add(
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 1, id: 't2', function: { name: 'g', arguments: '{"y"' } },
              { index: 0, id: 't1', function: { name: 'f', arguments: '{}' } },
            ],
          },
        },
      ]),
    );
    a.add(
      chunk([{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: ':2}' } }] } }]),
    );
    a.add(chunk([{ index: 1, delta: { refusal: 'no' }, finish_reason: 'stop' }]));
    a.add(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]));
    a.add(chunk([], { usage: { prompt_tokens: 3, completion_tokens: 4 } }));
    expect(a.id).toBe('c1');
    expect(a.model).toBe('gpt-4o-mini');
    expect(a.usage).toEqual({ prompt_tokens: 3, completion_tokens: 4 });
    const result = a.result().map(({ index, content, refusal, toolCalls, finishReason }) => ({
      index,
      content,
      refusal,
      toolCalls,
      finishReason,
    }));
    expect(result).toEqual([
      {
        index: 0,
        content: 'A',
        refusal: undefined,
        toolCalls: [
          { id: 't1', name: 'f', arguments: '{}' },
          { id: 't2', name: 'g', arguments: '{"y":2}' },
        ],
        finishReason: 'tool_calls',
      },
      { index: 1, content: 'B', refusal: 'no', toolCalls: [], finishReason: 'stop' },
    ]);
  });
});
