/**
 * Streams through the whole runtime against a real local HTTP server: a stream never loses or
 * invents data (issue 8, item 3b). A web page or a non-stream body on a streaming call, a body that
 * ends cleanly before its end marker, a line that is not JSON and a connection cut each end the
 * stream with the right error kind, keeping exactly the text delivered before.
 */
import type { ServerResponse } from 'node:http';
import { createSwitchboard, type StreamEvent } from '@switchboard/core';
import { createAnthropic } from '@switchboard/provider-anthropic';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startServer } from '../support/local-server.js';
import { HI, OPENAI_KEY, recordingClock } from './helpers.js';

let reply: (res: ServerResponse) => void | Promise<void> = (res) => {
  res.end();
};
let server: LocalServer;
beforeAll(async () => {
  server = await startServer((_request, res) => reply(res));
});
afterAll(() => server.close());

const switchboard = () =>
  createSwitchboard({
    providers: [
      createOpenAI({ apiKey: OPENAI_KEY, baseURL: `http://127.0.0.1:${server.port}/v1` }),
      createAnthropic({ apiKey: 'sk-ant-test-0123456789', baseURL: `http://127.0.0.1:${server.port}` }),
    ] as const,
    clock: recordingClock(),
  });

const sse = (value: unknown) => `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
const delta = (content: string, finish: string | null = null) =>
  sse({ id: 'c1', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

/** Iterates a stream; returns the text of the text-delta events and the last event. */
async function run(model: 'openai/gpt-4o-mini' | 'anthropic/claude-sonnet-4-5') {
  const stream = switchboard().stream({ model, messages: HI });
  let text = '';
  let last: StreamEvent | undefined;
  for await (const event of stream) {
    if (event.type === 'text-delta') text += event.text;
    last = event;
  }
  const settled = await stream.response.then(
    (response) => ({ response, error: undefined }),
    (error: { kind?: string; body?: unknown; partial?: { text: string } }) => ({ response: undefined, error }),
  );
  return { text, last, ...settled };
}

const writeSse = (res: ServerResponse, body: string) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(body);
};

describe('streams through the runtime: nothing lost, nothing invented', () => {
  it('a 200 web page on a streaming call is invalid-response with status, content type and first bytes', async () => {
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html><body>Sign in to the Wi-Fi${' padding'.repeat(500)}</body></html>`);
    };
    const { text, last, error } = await run('openai/gpt-4o-mini');
    expect(text).toBe('');
    expect(last?.type).toBe('error');
    expect(error?.kind).toBe('invalid-response');
    expect(error?.body).toMatchObject({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      bodyStart: expect.stringMatching(/^<!DOCTYPE html><html><body>Sign in to the Wi-Fi/),
    });
  });

  it('a whole JSON completion (a server that ignored stream: true) is invalid-response, not an empty success', async () => {
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'chat.completion', choices: [{ message: { content: 'hi' } }] }));
    };
    const { error, response } = await run('openai/gpt-4o-mini');
    expect(response).toBeUndefined();
    expect(error?.kind).toBe('invalid-response');
    expect(error?.body).toMatchObject({
      status: 200,
      contentType: 'application/json',
      bodyStart: expect.stringContaining('chat.completion'),
    });
  });

  it('a data line that is not JSON: "Hello " then invalid-response, never "Hello end"', async () => {
    reply = (res) =>
      writeSse(res, delta('Hello ') + sse('{"choices": [{"delta": {"content": "LOST"') + delta('end', 'stop'));
    const { text, error } = await run('openai/gpt-4o-mini');
    expect(text).toBe('Hello ');
    expect(error?.kind).toBe('invalid-response');
    expect(error?.partial?.text).toBe('Hello ');
  });

  it('a body that ends cleanly before finish_reason and [DONE] is invalid-response with the partial text', async () => {
    reply = (res) => writeSse(res, delta('One') + delta(' two'));
    const { text, error, response } = await run('openai/gpt-4o-mini');
    expect(response).toBeUndefined();
    expect(text).toBe('One two');
    expect(error?.kind).toBe('invalid-response');
    expect(error?.partial?.text).toBe('One two');
  });

  it('a connection cut midway is a network error with the partial text', async () => {
    reply = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(delta('One'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.socket?.destroy();
    };
    const { text, error } = await run('openai/gpt-4o-mini');
    expect(text).toBe('One');
    expect(error?.kind).toBe('network');
    expect(error?.partial?.text).toBe('One');
  });

  it('anthropic data: null and usage: null arriving with text in one read keep the text and finish', async () => {
    const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    reply = (res) =>
      writeSse(
        res,
        event('message_start', { type: 'message_start', message: { id: 'm1', model: 'claude', usage: null } }) +
          event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text' } }) +
          event('content_block_delta', {
            type: 'content_block_delta',
            index: 0,
            delta: { type: 'text_delta', text: 'Hi' },
          }) +
          event('ping', null) +
          event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: null }) +
          event('message_stop', { type: 'message_stop' }),
      );
    const { text, response, error } = await run('anthropic/claude-sonnet-4-5');
    expect(error).toBeUndefined();
    expect(text).toBe('Hi');
    expect(response?.text).toBe('Hi');
    expect(response?.finishReason).toBe('stop');
  });

  it('anthropic text that is an object is invalid-response (never "[object Object]"), keeping the text before', async () => {
    const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    const text = (value: unknown) =>
      event('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: value },
      });
    reply = (res) =>
      writeSse(
        res,
        event('message_start', { type: 'message_start', message: { id: 'm1', model: 'claude' } }) +
          text('Hello') +
          text({ injected: true }) +
          event('message_stop', { type: 'message_stop' }),
      );
    const result = await run('anthropic/claude-sonnet-4-5');
    expect(result.text).toBe('Hello');
    expect(result.error?.kind).toBe('invalid-response');
    expect(result.error?.partial?.text).toBe('Hello');
  });
});
