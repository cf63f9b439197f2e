import { describe, expect, it } from 'vitest';
import { readState, windowOf, writeState } from './url-state.ts';

describe('trace list URL state', () => {
  it('round-trips through the URL, leaving defaults out', () => {
    const state = readState(new URLSearchParams('q=service:api&range=1h&sort=duration&live=1'));
    expect(state).toEqual({
      q: 'service:api',
      range: '1h',
      from: '',
      to: '',
      sort: 'duration',
      order: 'desc',
      live: true,
    });
    expect(writeState(state).toString()).toBe('q=service%3Aapi&range=1h&sort=duration&live=1');
    expect(writeState(readState(new URLSearchParams(''))).toString()).toBe('');
  });

  it('keeps absolute windows and rejects unknown ranges', () => {
    const s = readState(new URLSearchParams('from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z'));
    expect(s.range).toBe('');
    expect(windowOf(s, 0)).toEqual({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' });
    expect(readState(new URLSearchParams('range=forever')).range).toBe('24h');
    expect(readState(new URLSearchParams('q=a&status=error')).q).toBe('a status:error');
  });

  it('makes relative windows open-ended from now minus the range', () => {
    const now = Date.parse('2026-11-01T12:00:00Z');
    expect(windowOf({ range: '1h', from: '', to: '' }, now)).toEqual({
      from: '2026-11-01T11:00:00.000Z',
    });
  });
});
