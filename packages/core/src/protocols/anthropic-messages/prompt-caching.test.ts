/**
 * Prompt caching on the Anthropic wire: `cache_control` breakpoints on system text blocks, tools,
 * content blocks and whole messages, as Anthropic's prompt-caching guide shows them, and the cache
 * read/write usage of its example answer.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
import { describe, expect, it } from 'vitest';
import type { PreparedChatRequest, PreparedMessage } from '../../types/protocol.js';
import { anthropicMessagesAdapter as adapter } from './index.js';
import { loadDescriptor, makeContext } from './test-helpers.js';

const { descriptor } = loadDescriptor('anthropic');
const ctx = makeContext(descriptor, 'claude-opus-4-1');
const body = (request: Partial<PreparedChatRequest> & { messages: PreparedMessage[] }) =>
  JSON.parse(adapter.chatRequest(ctx, { tools: [], providerOptions: {}, stream: false, ...request }).body ?? 'null');
const BOOK = '<the entire contents of Pride and Prejudice>';
const user = (text: string): PreparedMessage => ({ role: 'user', content: [{ type: 'text', text }] });

describe('anthropic prompt caching: request', () => {
  it("a marked system message becomes a system text block with cache_control (the guide's first example)", () => {
    const sent = body({
      maxTokens: 1024,
      messages: [
        {
          role: 'system',
          content:
            'You are an AI assistant tasked with analyzing literary works. Your goal is to provide insightful commentary on themes, characters, and writing style.\n',
        },
        { role: 'system', content: BOOK, cacheControl: { type: 'ephemeral' } },
        user('Analyze the major themes in Pride and Prejudice.'),
      ],
    });
    expect(sent.system).toEqual([
      {
        type: 'text',
        text: 'You are an AI assistant tasked with analyzing literary works. Your goal is to provide insightful commentary on themes, characters, and writing style.\n',
      },
      { type: 'text', text: BOOK, cache_control: { type: 'ephemeral' } },
    ]);
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Analyze the major themes in Pride and Prejudice.' }] },
    ]);
  });

  it('system prompts without marks stay one joined string, as before', () => {
    const sent = body({ messages: [{ role: 'system', content: 'A' }, { role: 'system', content: 'B' }, user('hi')] });
    expect(sent.system).toBe('A\n\nB');
  });

  it('marks on a tool, a content part, a whole message and a tool result; ttl 1h is sent, 5m default is not', () => {
    const sent = body({
      tools: [
        {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          parameters: { type: 'object' },
        },
        {
          name: 'get_time',
          description: 'Get the current time in a given time zone',
          parameters: { type: 'object' },
          cacheControl: { type: 'ephemeral', ttl: '1h' },
        },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: BOOK, cacheControl: { type: 'ephemeral', ttl: '5m' } },
            { type: 'text', text: 'What is the weather and time in New York?' },
          ],
        },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'toolu_1', name: 'get_time', arguments: { timezone: 'America/New_York' } }],
        },
        { role: 'tool', toolCallId: 'toolu_1', content: '10:42', cacheControl: { type: 'ephemeral' } },
        { ...user('And tomorrow?'), cacheControl: { type: 'ephemeral' } },
      ],
    });
    expect(sent.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        input_schema: { type: 'object' },
      },
      {
        name: 'get_time',
        description: 'Get the current time in a given time zone',
        input_schema: { type: 'object' },
        cache_control: { type: 'ephemeral', ttl: '1h' },
      },
    ]);
    expect(sent.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: BOOK, cache_control: { type: 'ephemeral', ttl: '5m' } },
          { type: 'text', text: 'What is the weather and time in New York?' },
        ],
      },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_time', input: { timezone: 'America/New_York' } }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '10:42', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'And tomorrow?', cache_control: { type: 'ephemeral' } },
        ],
      },
    ]);
  });

  it('marks on images and documents go on their blocks', () => {
    const sent = body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png', cacheControl: { type: 'ephemeral' } },
            {
              type: 'file',
              data: 'JVBERi0=',
              mediaType: 'application/pdf',
              cacheControl: { type: 'ephemeral', ttl: '1h' },
            },
          ],
        },
      ],
    });
    expect(sent.messages[0].content).toEqual([
      {
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
        cache_control: { type: 'ephemeral' },
      },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
        cache_control: { type: 'ephemeral', ttl: '1h' },
      },
    ]);
  });
});

describe('anthropic prompt caching: usage', () => {
  it("the guide's answer: input_tokens excludes cached tokens, core's inputTokens includes them", () => {
    const result = adapter.parseChat(ctx, {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'The major themes...' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 21, cache_creation_input_tokens: 188086, cache_read_input_tokens: 0, output_tokens: 393 },
    });
    expect(result.usage).toEqual({
      inputTokens: 21 + 188086,
      outputTokens: 393,
      totalTokens: 21 + 188086 + 393,
      cacheReadTokens: 0,
      cacheWriteTokens: 188086,
    });
  });
});
