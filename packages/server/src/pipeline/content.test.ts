import { describe, expect, it } from 'vitest';
import { contentText, messagesText, toDocuments, toMessages } from './content.ts';
import { MAX_CONTENT_CHARS } from './limits.ts';
import { attrs } from './testing/fixtures.ts';

describe('toMessages', () => {
  it('reads OpenAI chat messages: string or parts content, tool_calls, function_call', () => {
    expect(
      toMessages([
        { role: 'developer', content: 'Be kind.' },
        {
          role: 'user',
          name: 'bob',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
        { role: 'assistant', function_call: { name: 'g', arguments: '{}' } },
      ]),
    ).toEqual([
      { role: 'developer', content: 'Be kind.' },
      {
        role: 'user',
        name: 'bob',
        content: 'Look:\n[image_url: https://x.test/a.png]\n[image_url]',
      },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'f', arguments: '{"a":1}' }],
      },
      { role: 'tool', content: 'ok', toolCallId: 'call_1' },
      { role: 'assistant', content: '', toolCalls: [{ name: 'g', arguments: '{}' }] },
    ]);
  });

  it('reads Anthropic blocks and splits tool results into tool messages', () => {
    expect(
      toMessages([
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'x' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'found' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              content: [{ type: 'text', text: 'r2' }],
            },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [{ id: 'toolu_1', name: 'search', arguments: '{"q":"x"}' }],
      },
      { role: 'tool', content: 'found', toolCallId: 'toolu_1' },
      { role: 'tool', content: '[{"type":"text","text":"r2"}]', toolCallId: 'toolu_2' },
    ]);
  });

  it('normalizes role aliases and accepts JSON strings, kvlists and bare strings', () => {
    expect(toMessages('[{"role":"Human","content":"a"},{"role":"model","content":"b"}]')).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
    ]);
    expect(toMessages([attrs({ role: 'user', content: 'kv' })])).toEqual([
      { role: 'user', content: 'kv' },
    ]);
    expect(toMessages(['just text'], 'user')).toEqual([{ role: 'user', content: 'just text' }]);
  });

  it('returns undefined for values that hold no messages', () => {
    expect(toMessages('not json')).toBeUndefined();
    expect(toMessages('{"role":"user"}')).toBeUndefined();
    expect(toMessages([1, null, true])).toBeUndefined();
    expect(toMessages(undefined)).toBeUndefined();
  });

  it('cuts enormous content', () => {
    const [m] = toMessages([{ role: 'user', content: 'x'.repeat(MAX_CONTENT_CHARS + 1) }])!;
    expect(m!.content.length).toBeLessThan(MAX_CONTENT_CHARS + 50);
    expect(m!.content).toContain('…[truncated');
  });
});

describe('messagesText', () => {
  it('joins contents, rendering tool calls of content-less messages', () => {
    expect(
      messagesText([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '', toolCalls: [{ name: 'f', arguments: '{}' }] },
        { role: 'assistant', content: '' },
      ]),
    ).toBe('a\n\nf({})');
  });
});

describe('contentText', () => {
  it('keeps strings and serializes other values, with bigint and bytes made JSON-safe', () => {
    expect(contentText('s')).toBe('s');
    expect(contentText(null)).toBe('');
    expect(contentText(attrs({ n: 2n ** 70n, b: new Uint8Array([1]) }))).toBe(
      '{"n":"1180591620717411303424","b":"AQ=="}',
    );
  });
});

describe('toDocuments', () => {
  it('reads documents of several shapes and drops empty ones', () => {
    expect(
      toDocuments([
        { id: 1, text: 'a', relevance_score: '0.5' },
        { page_content: 'b', metadata: attrs({ k: 'v' }) },
        {},
        'bare',
      ]),
    ).toEqual([
      { id: '1', content: 'a', score: 0.5 },
      { content: 'b', metadata: { k: 'v' } },
      { content: 'bare' },
    ]);
  });
});
