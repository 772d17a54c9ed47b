/**
 * A 200 that is not an answer, served by a real local server through `sb.chat` and `sb.embed`:
 * `invalid-response` with the status, content type and first characters of the body (key removed),
 * retried, falling back to a target that answers well, and never cached.
 */

import { InvalidResponseError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnswerServer, type ScriptedAnswer, startAnswerServer } from './answer-server.js';
import { faultSwitchboard, HI, OPENAI_KEY, recordingClock } from './helpers.js';

const servers: AnswerServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(respond: Parameters<typeof startAnswerServer>[0]) {
  const server = await startAnswerServer(respond);
  servers.push(server);
  return server;
}

const json = (body: unknown): ScriptedAnswer => ({ body: JSON.stringify(body) });
const completion = (content: unknown) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
});
const GOOD_CHAT = json(completion('a real answer'));
const embeddings = (vectors: unknown[]) => ({
  object: 'list',
  model: 'text-embedding-3-small',
  data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
  usage: { prompt_tokens: 4, total_tokens: 4 },
});
const GOOD_EMBEDDINGS = json(embeddings([[0.5, 0.25]]));
const HTML_PAGE: ScriptedAnswer = {
  contentType: 'text/html; charset=utf-8',
  body: '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
};
const ANTHROPIC_MESSAGE = json({
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'Hello' }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 3, output_tokens: 1 },
});

/** The malformed 200s of issue 8, with the problem each must be reported as. */
const MALFORMED_CHAT: [string, ScriptedAnswer, string][] = [
  ['choices: null', json({ ...completion('x'), choices: null }), 'choices is null'],
  ['choices: []', json({ ...completion('x'), choices: [] }), 'choices is an empty array'],
  ['content: 42', json(completion(42)), 'choices[0].message.content is a number'],
  ['content: an object', json(completion({ text: 'x' })), 'choices[0].message.content is an object'],
  ['a null body', { body: 'null' }, 'the body is null'],
  ['[1,2,3]', { body: '[1,2,3]' }, 'the body is an array'],
  ['an empty body', { body: '' }, 'the body is empty'],
  ['an HTML page', HTML_PAGE, 'the body is not JSON'],
  ['truncated JSON', { body: '{"id": "chatcmpl-1", "choices": [' }, 'the body is not JSON'],
  ['an Anthropic message', ANTHROPIC_MESSAGE, 'choices is missing'],
];

/** Checks the facts every invalid-response from the wire carries. */
function expectHttpFacts(error: unknown, answer: ScriptedAnswer, problem: string): void {
  expect(error).toBeInstanceOf(InvalidResponseError);
  const invalid = error as InvalidResponseError;
  expect(invalid.kind).toBe('invalid-response');
  expect(invalid.retryable).toBe(true);
  expect(invalid.status).toBe(200);
  expect(invalid.provider).toBe('openai');
  expect(invalid.message).toContain(problem);
  expect(invalid.message).toContain('HTTP 200');
  const body = invalid.body as { status: number; contentType: string; bodyStart: string };
  expect(body.status).toBe(200);
  expect(body.contentType).toBe(answer.contentType ?? 'application/json');
  const cut = answer.body.length > 200 ? '...' : '';
  expect(body.bodyStart).toBe(`${answer.body.slice(0, 200)}${cut}`.replace(/\s+/g, ' '));
}

describe('sb.chat: a 200 that is not a chat completion', () => {
  for (const [name, answer, problem] of MALFORMED_CHAT) {
    it(`${name} -> invalid-response with status, content type and the first bytes`, async () => {
      const server = await start(() => answer);
      const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
      const error = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch((caught: unknown) => caught);
      expectHttpFacts(error, answer, problem);
    });
  }

  it('keeps the key out of the body preview (a page echoing it)', async () => {
    const page = { contentType: 'text/html', body: `<html>Invalid token ${OPENAI_KEY} for this gateway</html>` };
    const server = await start(() => page);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    const error = (await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI }).catch((caught: unknown) => caught)) as
      | InvalidResponseError
      | undefined;
    expect(error?.kind).toBe('invalid-response');
    expect(JSON.stringify(error?.body)).not.toContain(OPENAI_KEY);
    expect(error?.message).not.toContain(OPENAI_KEY);
    expect((error?.body as { bodyStart?: string } | undefined)?.bodyStart).toContain('<html>Invalid token');
  });

  it('is retried: a proper answer on the second attempt is served', async () => {
    const server = await start((_, index) => (index === 0 ? json(completion(42)) : GOOD_CHAT));
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI });
    expect(res.text).toBe('a real answer');
    expect(res.attempts?.map((attempt) => attempt.error?.kind)).toEqual(['invalid-response', undefined]);
    expect(server.requests).toHaveLength(2);
  });

  it('falls back to a second target that answers well once retries are spent', async () => {
    const broken = await start(() => HTML_PAGE);
    const healthy = await start(() => GOOD_CHAT);
    const sb = faultSwitchboard(broken.baseURL, healthy.baseURL, { clock: recordingClock() });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] });
    expect(res).toMatchObject({ text: 'a real answer', provider: 'groq' });
    expect(res.attempts?.map((attempt) => `${attempt.provider}:${attempt.error?.kind ?? 'ok'}`)).toEqual([
      'openai:invalid-response',
      'openai:invalid-response',
      'openai:invalid-response',
      'groq:ok',
    ]);
  });

  it('is never cached: the next identical call asks the provider again', async () => {
    const server = await start((_, index) => (index === 0 ? json({ ...completion('x'), choices: [] }) : GOOD_CHAT));
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    const request = { model: 'openai/gpt-4o-mini', messages: HI, cache: true } as const;
    await expect(sb.chat(request)).rejects.toMatchObject({ kind: 'invalid-response' });
    const second = await sb.chat(request);
    expect(second).toMatchObject({ text: 'a real answer', cached: false });
    const third = await sb.chat(request);
    expect(third).toMatchObject({ text: 'a real answer', cached: true });
    expect(server.requests).toHaveLength(2);
  });
});

const MALFORMED_EMBEDDINGS: [string, ScriptedAnswer, string][] = [
  ['data missing', json({ object: 'list', model: 'text-embedding-3-small' }), 'data is missing'],
  ['data: []', json(embeddings([])), 'data has 0 embeddings for 1 inputs'],
  ['a vector of text', json(embeddings([['0.5', '0.25']])), 'data[0].embedding[0] is a string'],
  ['a null body', { body: 'null' }, 'the body is null'],
  ['an empty body', { body: '' }, 'the body is empty'],
  ['an HTML page', HTML_PAGE, 'the body is not JSON'],
  ['a chat completion', json(completion('hi')), 'data is missing'],
];

describe('sb.embed: a 200 that is not an embeddings list', () => {
  for (const [name, answer, problem] of MALFORMED_EMBEDDINGS) {
    it(`${name} -> invalid-response with status, content type and the first bytes`, async () => {
      const server = await start(() => answer);
      const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
      const error = await sb
        .embed({ model: 'openai/text-embedding-3-small', input: 'hello' })
        .catch((caught: unknown) => caught);
      expectHttpFacts(error, answer, problem);
    });
  }

  it('is retried: a proper answer on the second attempt is served', async () => {
    const server = await start((_, index) => (index === 0 ? json(embeddings([])) : GOOD_EMBEDDINGS));
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const res = await sb.embed({ model: 'openai/text-embedding-3-small', input: 'hello' });
    expect(res.embeddings).toEqual([[0.5, 0.25]]);
    expect(res.attempts?.map((attempt) => attempt.error?.kind)).toEqual(['invalid-response', undefined]);
  });

  it('falls back to a second model that answers well', async () => {
    // The server answers the small model with a chat completion and the large one properly.
    const server = await start((request) =>
      request.body.model === 'text-embedding-3-large' ? GOOD_EMBEDDINGS : json(completion('not a vector')),
    );
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const res = await sb.embed({
      model: 'openai/text-embedding-3-small',
      input: 'hello',
      fallback: ['openai/text-embedding-3-large'],
    });
    expect(res).toMatchObject({ embeddings: [[0.5, 0.25]], model: 'text-embedding-3-large' });
    expect(res.attempts?.map((attempt) => attempt.error?.kind ?? 'ok')).toEqual([
      'invalid-response',
      'invalid-response',
      'invalid-response',
      'ok',
    ]);
  });

  it('is never cached: the next identical call asks the provider again', async () => {
    const server = await start((_, index) => (index === 0 ? { body: '' } : GOOD_EMBEDDINGS));
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    const request = { model: 'openai/text-embedding-3-small', input: 'hello', cache: true } as const;
    await expect(sb.embed(request)).rejects.toMatchObject({ kind: 'invalid-response' });
    expect(await sb.embed(request)).toMatchObject({ embeddings: [[0.5, 0.25]], cached: false });
    expect(await sb.embed(request)).toMatchObject({ embeddings: [[0.5, 0.25]], cached: true });
    expect(server.requests).toHaveLength(2);
  });
});

describe('sb.listModels: a 200 that is not a models list', () => {
  it('is invalid-response with the HTTP facts, not an empty list', async () => {
    const answer = json({ object: 'list', models_typo: [] });
    const server = await start(() => answer);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    const error = await sb.listModels('openai').catch((caught: unknown) => caught);
    expectHttpFacts(error, answer, 'data is missing');
  });
});
