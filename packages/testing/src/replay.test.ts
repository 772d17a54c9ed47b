import { createSwitchboard } from '@switchboard/core';
import { createOpenAI } from '@switchboard/provider-openai';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedExchange } from './exchange.js';
import { capturedRequests, mockProvider } from './mock-provider.js';
import { recordExchanges } from './record.js';
import type { ReplayRequest } from './replay/differences.js';
import { replayExchanges } from './replay.js';

const exchanges: RecordedExchange[] = [
  {
    request: {
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: { authorization: 'Bearer REDACTED' },
    },
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-4o-mini-2024-07-18',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'Hello from the recording' }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
      },
    },
  },
  {
    request: { method: 'POST', url: 'https://api.openai.com/v1/chat/completions' },
    response: {
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      chunks: [
        'data: {"id":"c2","choices":[{"index":0,"delta":{"role":"assistant","content":"Str"}}]}\n\n',
        ': keep-alive\n\ndata: {"id":"c2","choices":[{"index":0,"delta":{"content":"eamed"},"finish_reason":"stop"}]}\n\n',
        'data: {"id":"c2","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}\n\ndata: [DONE]\n\n',
      ],
    },
  },
];

const seen: ReplayRequest[] = [];
const server = setupServer(...replayExchanges(exchanges, { onRequest: (request) => seen.push(request) }));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('replayExchanges', () => {
  it('serves recorded JSON and streamed exchanges to a switchboard on the fetch transport', async () => {
    const sb = createSwitchboard({ providers: [createOpenAI({ apiKey: 'sk-test-key' })], transport: 'fetch' });
    const res = await sb.chat({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(res.text).toBe('Hello from the recording');
    expect(res.usage.totalTokens).toBe(14);
    const streamed = await sb.stream({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .response;
    expect(streamed.text).toBe('Streamed');
    expect(seen[0]?.headers.authorization).toBe('Bearer sk-test-key');
  });
});

describe('recordExchanges', () => {
  it('is inert without SWITCHBOARD_RECORD=1', () => {
    const recorder = recordExchanges({ enabled: process.env.SWITCHBOARD_RECORD === '1' });
    expect(recorder.active).toBe(process.env.SWITCHBOARD_RECORD === '1');
    if (!recorder.active) expect(recorder.handlers).toHaveLength(0);
  });
});

describe('mockProvider', () => {
  it('uses the generated mock catalog and captures requests', async () => {
    const mock = mockProvider({ response: 'scripted' });
    const sb = createSwitchboard({ providers: [mock] });
    const res = await sb.chat({ model: 'mock/mock-chat', messages: [{ role: 'user', content: 'ping' }] });
    expect(res.text).toBe('scripted');
    // The captured request keeps the message as the user sent it: a string stays a string.
    expect(capturedRequests(mock)[0]?.messages).toEqual([{ role: 'user', content: 'ping' }]);
  });
});
