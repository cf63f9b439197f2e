import { describe, expect, it } from 'vitest';
import { redactDeep } from './content.ts';
import { chainRedactors, redactPii } from './redact.ts';
import type { Settings } from './sdk.ts';

const ctx = { key: 'gen_ai.input.messages' };

describe('redactPii', () => {
  it.each([
    ['write to jane.doe+x@mail.example.org today', 'write to [REDACTED_EMAIL] today'],
    ['card 4111 1111 1111 1111 or 5500-0000-0000-0004', 'card [REDACTED_CARD] or [REDACTED_CARD]'],
    ['ssn 123-45-6789', 'ssn [REDACTED_SSN]'],
    ['call +1 (415) 555-0132', 'call [REDACTED_PHONE]'],
    ['iban DE89 3704 0044 0532 0130 00', 'iban [REDACTED_IBAN]'],
    ['key sk-proj-abc123def456ghi789jkl', 'key [REDACTED_SECRET]'],
    ['nothing to see: order 42 costs 19.99', 'nothing to see: order 42 costs 19.99'],
  ])('%s', (input, output) => {
    expect(redactPii(input, ctx)).toBe(output);
  });
});

describe('chainRedactors', () => {
  it('runs in order and stops at undefined', () => {
    const upper = (t: string) => t.toUpperCase();
    const drop = (t: string) => (t.includes('SECRET') ? undefined : t);
    expect(chainRedactors(upper, drop)('hello', ctx)).toBe('HELLO');
    expect(chainRedactors(upper, drop)('a secret', ctx)).toBeUndefined();
  });
});

describe('redactDeep', () => {
  const settings = (redact?: Settings['redact'], maxContentLength = 1000): Settings => ({
    tracer: undefined as never,
    captureContent: true,
    redact,
    maxContentLength,
    contextApplied: true,
  });

  it('redacts every content string, not the structure fields', () => {
    const messages = [
      { role: 'user', parts: [{ type: 'text', content: 'mail a@b.co' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_a@b.co', name: 'send', arguments: { to: 'a@b.co' } },
        ],
      },
    ];
    expect(redactDeep(messages, 'k', settings(redactPii), 0)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'mail [REDACTED_EMAIL]' }] },
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            id: 'call_a@b.co',
            name: 'send',
            arguments: { to: '[REDACTED_EMAIL]' },
          },
        ],
      },
    ]);
  });

  it('cuts long strings, and a throwing redactor records nothing', () => {
    expect(redactDeep(['x'.repeat(20)], 'k', settings(undefined, 5), 0)).toEqual([
      'xxxxx…[truncated]',
    ]);
    const boom = () => {
      throw new Error('boom');
    };
    expect(redactDeep([{ content: 'secret' }], 'k', settings(boom), 0)).toEqual([{ content: '' }]);
  });
});
