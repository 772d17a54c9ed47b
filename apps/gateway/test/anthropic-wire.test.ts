/**
 * The Anthropic route on the wire, as a curl user or a non-JS client sees it: the `x-api-key`
 * header reaches authentication, the SSE body carries Anthropic's event names in their order (the
 * `event:` line matching each `data` type), and a body that is not JSON gets Anthropic's error body.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type AnthropicTestApp, startAnthropicApp } from './anthropic-app.js';

let app: AnthropicTestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function frames(body: string): { event: string; data: Record<string, unknown> }[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.+)$/m.exec(frame)?.[1] ?? 'null') as Record<string, unknown>;
      return { event, data };
    });
}

describe('/v1/messages on the wire', () => {
  it('streams thinking, text and a tool call as separate blocks, event names matching the data types', async () => {
    app = await startAnthropicApp({
      mock: {
        response: {
          reasoning: 'Let me think.',
          text: 'Checking.',
          toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: { q: 'x' } }],
        },
        chunks: ['Check', 'ing.'],
      },
    });
    const response = await fetch(`${app.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-curl', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'mock/mock-chat',
        max_tokens: 100,
        stream: true,
        messages: [{ role: 'user', content: 'Go' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-switchboard-provider')).toBe('mock');
    const received = frames(await response.text());
    for (const frame of received) expect(frame.data.type).toBe(frame.event);
    const summary = received.map(({ data }) => {
      const block = data.content_block as { type?: string } | undefined;
      const delta = data.delta as { type?: string; stop_reason?: string } | undefined;
      if (data.type === 'content_block_start') return `start:${data.index}:${block?.type}`;
      if (data.type === 'content_block_delta') return `delta:${data.index}:${delta?.type}`;
      if (data.type === 'content_block_stop') return `stop:${data.index}`;
      if (data.type === 'message_delta') return `message_delta:${delta?.stop_reason}`;
      return String(data.type);
    });
    // The mock sends its text chunks first, then the reasoning and the call's two argument pieces.
    expect(summary).toEqual([
      'message_start',
      'start:0:text',
      'delta:0:text_delta',
      'delta:0:text_delta',
      'stop:0',
      'start:1:thinking',
      'delta:1:thinking_delta',
      'stop:1',
      'start:2:tool_use',
      'delta:2:input_json_delta',
      'delta:2:input_json_delta',
      'stop:2',
      'message_delta:tool_use',
      'message_stop',
    ]);
    expect(app.authentications).toEqual([{ apiKey: 'sk-ant-curl', model: 'mock/mock-chat' }]);
  });

  it('answers a body that is not JSON with an invalid_request_error', async () => {
    app = await startAnthropicApp();
    const response = await fetch(`${app.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-curl' },
      body: '{"model": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(response.headers.get('x-request-id')).not.toBeNull();
  });
});
