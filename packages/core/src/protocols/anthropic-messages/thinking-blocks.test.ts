/**
 * Extended thinking carried into later turns: signed `thinking` and `redacted_thinking` blocks are
 * kept from the answer (whole or streamed as thinking_delta + signature_delta) and replayed
 * unchanged as the first blocks of that assistant turn in the next request.
 * https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#preserving-thinking-blocks
 */
import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../../errors/errors.js';
import type { ProtocolStreamEvent } from '../adapter.js';
import { anthropicMessagesAdapter as adapter } from './index.js';
import { bodyText, decodeStream, loadDescriptor, loadFixture, makeContext } from './test-helpers.js';

const { descriptor } = loadDescriptor('anthropic');
const ctx = makeContext(descriptor, 'claude-sonnet-4-5');
const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';
const REDACTED =
  'EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pabfmvpjlB3TCRvGv';

describe('anthropic thinking blocks: answers', () => {
  it('keeps thinking with its signature and redacted thinking, in order, next to the reasoning text', () => {
    const result = adapter.parseChat(ctx, {
      type: 'message',
      content: [
        { type: 'thinking', thinking: 'Let me check the weather tool.', signature: SIGNATURE },
        { type: 'redacted_thinking', data: REDACTED },
        { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { location: 'Paris' } },
      ],
      stop_reason: 'tool_use',
    });
    expect(result.reasoning).toBe('Let me check the weather tool.');
    expect(result.reasoningBlocks).toEqual([
      { type: 'thinking', thinking: 'Let me check the weather tool.', signature: SIGNATURE },
      { type: 'redacted-thinking', data: REDACTED },
    ]);
  });

  it('refuses redacted thinking without its data (it could not be replayed)', () => {
    expect(() => adapter.parseChat(ctx, { content: [{ type: 'redacted_thinking' }], stop_reason: 'end_turn' })).toThrow(
      InvalidResponseError,
    );
  });

  it('streams: thinking_delta and signature_delta make one signed block at content_block_stop', () => {
    const events = decodeStream(
      adapter,
      ctx,
      bodyText(loadFixture('anthropic', 'messages-stream-thinking.synthesized')),
    );
    const blocks = events.filter(
      (event): event is Extract<ProtocolStreamEvent, { type: 'reasoning-block' }> => event.type === 'reasoning-block',
    );
    expect(blocks.map((event) => event.block)).toEqual([
      {
        type: 'thinking',
        thinking:
          'I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\n\nSo GCD(1071, 462) = 21',
        signature: SIGNATURE,
      },
    ]);
  });

  it('streams: a redacted block comes whole; a thinking block that never got a signature is not kept', () => {
    const sse = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const text = [
      sse('message_start', { message: { id: 'msg_1', usage: { input_tokens: 5, output_tokens: 1 } } }),
      sse('content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: REDACTED } }),
      sse('content_block_stop', { index: 0 }),
      sse('content_block_start', { index: 1, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      sse('content_block_delta', { index: 1, delta: { type: 'thinking_delta', thinking: 'unsigned' } }),
      sse('content_block_stop', { index: 1 }),
      sse('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
      sse('message_stop', {}),
    ].join('');
    const events = decodeStream(adapter, ctx, text);
    expect(events.filter((event) => event.type === 'reasoning-block')).toEqual([
      { type: 'reasoning-block', block: { type: 'redacted-thinking', data: REDACTED } },
    ]);
    expect(events).toContainEqual({ type: 'reasoning-delta', text: 'unsigned' });
  });
});

describe('anthropic thinking blocks: the next request', () => {
  it("replays the blocks unchanged before the turn's text and tool_use", () => {
    const sent = JSON.parse(
      adapter.chatRequest(ctx, {
        reasoning: { budgetTokens: 2000 },
        tools: [{ name: 'get_weather', parameters: { type: 'object' } }],
        providerOptions: {},
        stream: false,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            content: 'Checking.',
            toolCalls: [{ id: 'toolu_01', name: 'get_weather', arguments: { location: 'Paris' } }],
            reasoningBlocks: [
              { type: 'thinking', thinking: 'Let me check the weather tool.', signature: SIGNATURE },
              { type: 'redacted-thinking', data: REDACTED },
            ],
          },
          { role: 'tool', toolCallId: 'toolu_01', content: '18°C, sunny' },
        ],
      }).body ?? 'null',
    );
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(sent.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Let me check the weather tool.', signature: SIGNATURE },
        { type: 'redacted_thinking', data: REDACTED },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { location: 'Paris' } },
      ],
    });
  });
});
