import { describe, expect, it } from 'vitest';
import { identifiers, toolArguments } from './fake-text.ts';

describe('toolArguments (the fake provider’s tool calls)', () => {
  const lookup = {
    type: 'object',
    properties: { order_id: { type: 'string' }, amount: { type: 'number' } },
  };

  it('gives an id parameter the prompt’s identifier, not its first word', () => {
    const args = toolArguments(lookup, 'Lookup order E-5232 and explain the tracking status.');
    expect(args.order_id).toBe('E-5232');
    expect(typeof args.amount).toBe('number');
  });

  it('falls back to the prompt’s words when it has no identifier', () => {
    const args = toolArguments(
      { type: 'object', properties: { city: { type: 'string' }, user_id: { type: 'string' } } },
      'What is the weather in Paris today?',
    );
    expect(args.city).toBe('Paris');
    expect(typeof args.user_id).toBe('string');
    expect(args.user_id).not.toBe('');
  });

  it('finds identifiers with a digit, in order, once each', () => {
    expect(identifiers('Refund A17 for #9921, then A17 again; order 2024-11-03-')).toEqual([
      'A17',
      '#9921',
      '2024-11-03',
    ]);
    expect(identifiers('no numbers here')).toEqual([]);
  });
});
