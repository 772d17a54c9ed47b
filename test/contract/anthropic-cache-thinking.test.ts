/**
 * Prompt caching and thinking across turns through `createSwitchboard`, against a local node:http
 * server that checks the wire body: `cache_control` where the caller put `cacheControl`, cache usage
 * billed at the catalog's cache prices, signed thinking blocks replayed first in the assistant turn
 * (by the tool loop, and by `assistantMessage(res)` after a stream), and marks dropped with a warning
 * for a protocol without breakpoints.
 */
import type { ServerResponse } from 'node:http';
import type { Message } from '@switchboard/core';
import { assistantMessage, createSwitchboard, defineProvider } from '@switchboard/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServer, type RecordedRequest, startServer } from '../support/local-server.js';
import { loadProvider, TRANSPORTS, type TransportName, transportOption } from './harness.js';

let server: LocalServer;
/** The transport of the describe block running (every block runs on each of TRANSPORTS). */
let current: TransportName = 'undici';
let reply: (request: RecordedRequest, res: ServerResponse) => void;
beforeAll(async () => {
  server = await startServer((request, res) => reply(request, res));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const json = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const sentBody = (index: number) => JSON.parse(server.requests[index]?.body ?? 'null');

function board(id: string) {
  const provider = loadProvider(id);
  const definition = defineProvider(
    { descriptor: provider.descriptor as never, models: provider.models, aliases: {} },
    { baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: 'sk-test-key-0123456789' },
  );
  return createSwitchboard({ providers: [definition], retry: false, ...transportOption(current) });
}

const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';
const REDACTED =
  'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pabfmvpjlB3TCRvGv';

describe.each(TRANSPORTS)('[%s]', (transport) => {
  beforeAll(() => {
    current = transport;
  });

  describe('anthropic prompt caching through createSwitchboard', () => {
    it('sends cache_control on the marked system prompt, tool and message; bills cache reads and writes', async () => {
      reply = (_request, res) =>
        json(res, {
          id: 'msg_cache',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [{ type: 'text', text: 'Themes: pride, prejudice.' }],
          stop_reason: 'end_turn',
          usage: {
            input_tokens: 21,
            cache_creation_input_tokens: 1000,
            cache_read_input_tokens: 2000,
            output_tokens: 393,
          },
        });
      const res = await board('anthropic').chat({
        model: 'anthropic/claude-sonnet-4-5',
        tools: [
          { name: 'search', description: 'Search the book', parameters: { type: 'object', properties: {} } },
          {
            name: 'quote',
            parameters: { type: 'object', properties: {} },
            cacheControl: { type: 'ephemeral', ttl: '1h' },
          },
        ],
        messages: [
          { role: 'system', content: 'You analyze literary works.' },
          { role: 'system', content: '<Pride and Prejudice>', cacheControl: { type: 'ephemeral' } },
          { role: 'user', content: 'Analyze the major themes.', cacheControl: { type: 'ephemeral' } },
        ],
      });
      const body = sentBody(0);
      expect(body.system).toEqual([
        { type: 'text', text: 'You analyze literary works.' },
        { type: 'text', text: '<Pride and Prejudice>', cache_control: { type: 'ephemeral' } },
      ]);
      expect(body.tools[0].cache_control).toBeUndefined();
      expect(body.tools[1].cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
      expect(body.messages).toEqual([
        {
          role: 'user',
          content: [{ type: 'text', text: 'Analyze the major themes.', cache_control: { type: 'ephemeral' } }],
        },
      ]);
      expect(res.warnings).toEqual([]);
      expect(res.usage).toEqual({
        inputTokens: 3021,
        outputTokens: 393,
        totalTokens: 3414,
        cacheReadTokens: 2000,
        cacheWriteTokens: 1000,
      });
      // claude-sonnet-4-5 in the catalog: input 3, output 15, cacheRead 0.3, cacheWrite 3.75 per 1M tokens.
      expect(res.cost).toMatchObject({ input: 0.000063, cacheRead: 0.0006, cacheWrite: 0.00375, output: 0.005895 });
      expect(res.cost?.total).toBeCloseTo(0.000063 + 0.0006 + 0.00375 + 0.005895, 12);
    });

    it('refuses a fifth breakpoint or a bad ttl naming the field, and sends nothing', async () => {
      const mark = { type: 'ephemeral' as const };
      const sb = board('anthropic');
      const fifth = await sb
        .chat({
          model: 'anthropic/claude-sonnet-4-5',
          messages: [
            { role: 'system', content: 'a', cacheControl: mark },
            { role: 'system', content: 'b', cacheControl: mark },
            { role: 'user', content: [{ type: 'text', text: 'c', cacheControl: mark }], cacheControl: mark },
            { role: 'assistant', content: 'd', cacheControl: mark },
            { role: 'user', content: 'e' },
          ],
        })
        .catch((error: unknown) => error);
      expect(fifth).toMatchObject({ kind: 'invalid-request', field: 'messages[3].cacheControl' });
      expect((fifth as Error).message).toContain('at most 4');
      const ttl = await sb
        .chat({
          model: 'anthropic/claude-sonnet-4-5',
          messages: [{ role: 'user', content: 'hi', cacheControl: { type: 'ephemeral', ttl: '2h' as '1h' } }],
        })
        .catch((error: unknown) => error);
      expect(ttl).toMatchObject({ kind: 'invalid-request', field: 'messages[0].cacheControl.ttl' });
      expect(server.requests).toHaveLength(0);
    });

    it('a protocol without breakpoints (openai-chat) drops the marks with a warning', async () => {
      reply = (_request, res) =>
        json(res, {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
        });
      const res = await board('openai').chat({
        model: 'openai/gpt-4o-mini',
        messages: [
          { role: 'system', content: 'long prefix', cacheControl: { type: 'ephemeral' } },
          { role: 'user', content: 'hi' },
        ],
      });
      expect(res.warnings).toEqual([
        "Dropped option 'cacheControl': not supported by provider 'openai' (no prompt-cache breakpoints)",
      ]);
      expect(server.requests[0]?.body).not.toMatch(/cache_?control/i);
      expect(sentBody(0).messages[0]).toEqual({ role: expect.any(String), content: 'long prefix' });
    });
  });

  describe('anthropic thinking blocks through createSwitchboard', () => {
    it('the tool loop sends the signed thinking back first in the assistant turn', async () => {
      reply = (request, res) => {
        const body = JSON.parse(request.body);
        if (body.messages.length === 1)
          return json(res, {
            id: 'msg_1',
            type: 'message',
            content: [
              { type: 'thinking', thinking: 'I should call the weather tool.', signature: SIGNATURE },
              { type: 'redacted_thinking', data: REDACTED },
              { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
            ],
            stop_reason: 'tool_use',
            usage: { input_tokens: 50, output_tokens: 40 },
          });
        json(res, {
          id: 'msg_2',
          type: 'message',
          content: [{ type: 'text', text: 'It is sunny in Paris.' }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 90, output_tokens: 8 },
        });
      };
      const res = await board('anthropic').chat({
        model: 'anthropic/claude-sonnet-4-5',
        reasoning: { budgetTokens: 2000 },
        maxSteps: 2,
        tools: [{ name: 'get_weather', parameters: { type: 'object', properties: {} }, execute: () => '18°C, sunny' }],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      expect(res.text).toBe('It is sunny in Paris.');
      expect(server.requests).toHaveLength(2);
      const second = sentBody(1);
      expect(second.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
      expect(second.messages[1]).toEqual({
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should call the weather tool.', signature: SIGNATURE },
          { type: 'redacted_thinking', data: REDACTED },
          { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
        ],
      });
      expect(second.messages[2]).toEqual({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '18°C, sunny' }],
      });
    });

    it('a session keeps the signed thinking in its history and sends it with the next turn', async () => {
      reply = (_request, res) =>
        json(res, {
          id: `msg_${server.requests.length}`,
          type: 'message',
          content: [
            { type: 'thinking', thinking: `thought ${server.requests.length}`, signature: SIGNATURE },
            { type: 'text', text: `answer ${server.requests.length}` },
          ],
          stop_reason: 'end_turn',
        });
      const session = board('anthropic').session({
        model: 'anthropic/claude-sonnet-4-5',
        defaults: { reasoning: { budgetTokens: 1024 } },
      });
      await session.chat('first');
      await session.chat('second');
      expect(sentBody(1).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
      expect(sentBody(1).messages[1]).toEqual({
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'thought 1', signature: SIGNATURE },
          { type: 'text', text: 'answer 1' },
        ],
      });
    });

    it('refuses a malformed reasoning block naming the field, and sends nothing', async () => {
      const error = await board('anthropic')
        .chat({
          model: 'anthropic/claude-sonnet-4-5',
          messages: [
            { role: 'user', content: 'a' },
            { role: 'assistant', content: 'b', reasoningBlocks: [{ type: 'thinking', thinking: 'x' } as never] },
            { role: 'user', content: 'c' },
          ],
        })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'invalid-request', field: 'messages[1].reasoningBlocks[0].signature' });
      expect(server.requests).toHaveLength(0);
    });

    it('a streamed thinking block (thinking_delta + signature_delta) comes back through assistantMessage(res)', async () => {
      const sse = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      reply = (request, res) => {
        if (JSON.parse(request.body).stream !== true)
          return json(res, {
            id: 'msg_next',
            type: 'message',
            content: [{ type: 'text', text: 'Yes.' }],
            stop_reason: 'end_turn',
          });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          [
            sse('message_start', {
              message: { id: 'msg_s', model: 'claude-sonnet-4-5', usage: { input_tokens: 10, output_tokens: 1 } },
            }),
            sse('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
            sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'GCD(1071, 462): ' } }),
            sse('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: '21' } }),
            sse('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: SIGNATURE } }),
            sse('content_block_stop', { index: 0 }),
            sse('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
            sse('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'It is 21.' } }),
            sse('content_block_stop', { index: 1 }),
            sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 30 } }),
            sse('message_stop', {}),
          ].join(''),
        );
      };
      const sb = board('anthropic');
      const messages: Message[] = [{ role: 'user', content: 'GCD of 1071 and 462?' }];
      const first = await sb.stream({
        model: 'anthropic/claude-sonnet-4-5',
        reasoning: { budgetTokens: 1024 },
        messages,
      }).response;
      expect(first.reasoning).toBe('GCD(1071, 462): 21');
      expect(first.reasoningBlocks).toEqual([
        { type: 'thinking', thinking: 'GCD(1071, 462): 21', signature: SIGNATURE },
      ]);
      messages.push(assistantMessage(first), { role: 'user', content: 'Sure?' });
      await sb.chat({ model: 'anthropic/claude-sonnet-4-5', reasoning: { budgetTokens: 1024 }, messages });
      expect(sentBody(1).messages[1]).toEqual({
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'GCD(1071, 462): 21', signature: SIGNATURE },
          { type: 'text', text: 'It is 21.' },
        ],
      });
    });
  });
});
