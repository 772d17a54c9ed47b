/** Small builders shared by the state tests (not exported from the package). */
import type { ChatResponse, EmbedResponse, StreamEvent } from '../../types/requests.js';

export function chatResponse(text: string, extra: Partial<ChatResponse> = {}): ChatResponse {
  return {
    text,
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    model: 'gpt-test',
    provider: 'openai',
    cached: false,
    latencyMs: 123,
    warnings: [],
    raw: { id: 'resp_1', choices: [{ text }] },
    ...extra,
  };
}

export function embedResponse(): EmbedResponse {
  return {
    embeddings: [
      [0.1, 0.2],
      [0.3, 0.4],
    ],
    usage: { inputTokens: 4 },
    model: 'embed-test',
    provider: 'openai',
    cached: false,
    latencyMs: 50,
    raw: { data: [] },
  };
}

export function streamEvents(text: string[]): StreamEvent[] {
  const response = chatResponse(text.join(''));
  return [
    { type: 'reasoning-delta', text: 'thinking' },
    ...text.map((t): StreamEvent => ({ type: 'text-delta', text: t })),
    { type: 'tool-call-delta', index: 0, id: 'c1', name: 'f', argumentsDelta: '{"a":' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
    { type: 'tool-call', toolCall: { id: 'c1', name: 'f', arguments: { a: 1 } } },
    { type: 'finish', finishReason: 'stop', usage: response.usage, response },
  ];
}

export async function* iterate<T>(items: T[], failAfter?: number): AsyncIterable<T> {
  let i = 0;
  for (const item of items) {
    if (failAfter !== undefined && i === failAfter) throw new Error('connection reset');
    i++;
    yield item;
  }
}
