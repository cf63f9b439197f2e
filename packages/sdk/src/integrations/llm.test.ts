import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { classifyError } from './llm.ts';

const headers = new Headers();

describe('classifyError', () => {
  it.each([
    [new OpenAI.RateLimitError(429, {}, 'slow down', headers), 'rate_limit', 429],
    [new OpenAI.AuthenticationError(401, {}, 'bad key', headers), 'auth', 401],
    [new OpenAI.PermissionDeniedError(403, {}, 'no', headers), 'auth', 403],
    [new OpenAI.BadRequestError(400, {}, 'bad', headers), 'bad_request', 400],
    [new OpenAI.UnprocessableEntityError(422, {}, 'bad', headers), 'bad_request', 422],
    [new OpenAI.NotFoundError(404, {}, 'gone', headers), 'not_found', 404],
    [new OpenAI.InternalServerError(500, {}, 'oops', headers), 'server', 500],
    [new OpenAI.APIConnectionTimeoutError(), 'timeout', undefined],
    [new OpenAI.APIConnectionError({ message: 'refused' }), 'connection', undefined],
    [new OpenAI.APIUserAbortError(), 'cancelled', undefined],
    [new Anthropic.RateLimitError(429, {}, 'slow', headers), 'rate_limit', 429],
    [new Anthropic.InternalServerError(529, {}, 'overloaded', headers), 'server', 529],
    [new Error('plain'), 'unknown', undefined],
    ['a string', 'unknown', undefined],
  ])('%s → %s', (error, type, status) => {
    expect(classifyError(error)).toEqual({ type, status });
  });
});
