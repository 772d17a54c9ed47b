/**
 * The per-chunk fast paths of the stream writers (issue 11): a text delta built from precomputed
 * parts around `JSON.stringify(text)` must be byte for byte what stringifying the whole chunk object
 * gives, for OpenAI's `chat.completion.chunk` and Anthropic's `content_block_delta`, with text that
 * needs escaping, and after the block or the model changed.
 */
import type { ChatResponse, StreamEvent } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { AnthropicStreamEncoder, sseFrame } from '../src/anthropic/stream.js';
import { ChunkWriter } from '../src/openai/chat-response.js';

const TEXTS = ['plain', 'quote " backslash \\ newline \n tab \t', 'émoji 😀 and \u2028 separator', '</script>'];
const text = (value: string): StreamEvent => ({ type: 'text-delta', text: value });

function openAIChunk(model: string, delta: Record<string, unknown>): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 7,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
  });
}

describe('ChunkWriter text deltas', () => {
  it('writes the same JSON as the whole chunk object, the role only on the first', () => {
    const writer = new ChunkWriter('chatcmpl-1', 7, 'openai/gpt');
    expect(writer.write(text('hi'))).toEqual([openAIChunk('openai/gpt', { role: 'assistant', content: 'hi' })]);
    for (const value of TEXTS)
      expect(writer.write(text(value))).toEqual([openAIChunk('openai/gpt', { content: value })]);
    for (const payload of writer.write(text(TEXTS[1] as string)))
      expect(JSON.parse(payload).choices[0].delta.content).toBe(TEXTS[1]);
  });

  it('names the model that answered once the finish named it', () => {
    const writer = new ChunkWriter('chatcmpl-1', 7, 'group');
    writer.write(text('a'));
    const response = { provider: 'openai', model: 'gpt-x' } as ChatResponse;
    writer.write({
      type: 'finish',
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      response,
    });
    expect(writer.write(text('late'))).toEqual([openAIChunk('openai/gpt-x', { content: 'late' })]);
  });
});

describe('AnthropicStreamEncoder text deltas', () => {
  const delta = (index: number, value: string) =>
    sseFrame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: value } });

  it('writes the same frames as the whole delta object, in each block', () => {
    const encoder = new AnthropicStreamEncoder('msg_1', 'claude');
    encoder.start();
    const first = encoder.encode(text('a'));
    expect(first.endsWith(delta(0, 'a'))).toBe(true);
    for (const value of TEXTS) expect(encoder.encode(text(value))).toBe(delta(0, value));
    // A thinking block closes the text block; the next text opens block 2.
    encoder.encode({ type: 'reasoning-delta', text: 'hm' });
    const reopened = encoder.encode(text('b'));
    expect(reopened.endsWith(delta(2, 'b'))).toBe(true);
    expect(encoder.encode(text(TEXTS[2] as string))).toBe(delta(2, TEXTS[2] as string));
  });
});
