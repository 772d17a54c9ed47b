import { describe, expect, it, vi } from 'vitest';
import type { ModelInfo } from '../../types/catalog.js';
import type { Message } from '../../types/requests.js';
import { countTokens } from '../tokens.js';
import { contextStats, contextWindow, validateContext } from './context-window.js';
import { fitMessages, groupMessages } from './fit-messages.js';
import { countMessageTokens, messageTokens } from './message-tokens.js';
import { prepareMessages } from './prepare-messages.js';
import { truncateForRequest } from './truncate-request.js';

const model = (context: number, id = 'gpt-4o', output?: number): ModelInfo => ({
  id,
  ref: `openai/${id}`,
  provider: 'openai',
  name: id,
  type: 'chat',
  status: 'active',
  limits: output === undefined ? { context } : { context, output },
  modalities: { input: ['text'], output: ['text'] },
  capabilities: [],
});

// OpenAI cookbook "How to count tokens with tiktoken" (example_messages): 129 prompt tokens for
// gpt-4-0613 (cl100k_base) and 124 for gpt-4o (o200k_base), the API's own prompt_tokens.
const cookbook: Message[] = [
  {
    role: 'system',
    content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
  },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' } as Message,
  {
    role: 'system',
    name: 'example_assistant',
    content: 'Things working well together will increase revenue.',
  } as Message,
  {
    role: 'system',
    name: 'example_user',
    content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  } as Message,
  {
    role: 'system',
    name: 'example_assistant',
    content: "Let's talk later when we're less busy about how to do better.",
  } as Message,
  {
    role: 'user',
    content: "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

/** A long conversation: system, then user/assistant turns with one tool exchange in the middle. */
function conversation(turns: number): Message[] {
  const out: Message[] = [{ role: 'system', content: 'You are terse.' }];
  for (let i = 0; i < turns; i += 1) {
    out.push({ role: 'user', content: `question ${i} ${'lorem ipsum dolor sit amet '.repeat(10)}` });
    if (i === Math.floor(turns / 2)) {
      out.push({ role: 'assistant', content: null, toolCalls: [{ id: `c${i}`, name: 'lookup', arguments: { q: i } }] });
      out.push({ role: 'tool', toolCallId: `c${i}`, name: 'lookup', content: `result ${i}` });
    }
    out.push({ role: 'assistant', content: `answer ${i} ${'consectetur adipiscing elit '.repeat(10)}` });
  }
  return out;
}

/** Every tool message is preceded (within its run) by the assistant that called it. */
function pairsIntact(messages: Message[]): boolean {
  const open = new Set<string>();
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) open.add(call.id);
    if (message.role === 'tool' && !open.has(message.toolCallId)) return false;
  }
  for (const message of messages)
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? [])
        if (!messages.some((m) => m.role === 'tool' && m.toolCallId === call.id)) return false;
  return true;
}

describe('token counting', () => {
  it('matches the OpenAI cookbook reference counts per model family', () => {
    expect(countMessageTokens(cookbook, 'gpt-4o')).toBe(124);
    expect(countMessageTokens(cookbook, 'gpt-4-0613')).toBe(129);
    expect(countMessageTokens(cookbook, 'gpt-3.5-turbo')).toBe(129);
    expect(countMessageTokens(cookbook, model(128_000, 'gpt-4o-mini'))).toBe(124);
  });

  it('per-message counts add up to the list count', () => {
    const sum = cookbook.reduce((total, message) => total + messageTokens(message, 'gpt-4o'), 3);
    expect(sum).toBe(124);
  });

  it('estimates for other families and says so', () => {
    const counted = countTokens(cookbook, 'claude-sonnet-4-5');
    expect(counted.exact).toBe(false);
    expect(counted.tokens).toBeGreaterThan(80);
  });
});

describe('context window', () => {
  it('validates with a reserve and reports how far over', () => {
    const small = model(150);
    const ok = validateContext(cookbook, small);
    expect(ok).toMatchObject({ fits: true, tokens: 124, limit: 150, available: 26, overBy: 0, exact: true });
    const tight = validateContext(cookbook, small, { reserveOutput: 50 });
    expect(tight).toMatchObject({ fits: false, limit: 100, available: 0, overBy: 24 });
    expect(contextWindow(small)).toBe(150);
    expect(() => contextWindow('openai/gpt-4o')).toThrow(/catalog/);
    expect(contextWindow('openai/gpt-4o', { catalog: { requireModel: () => small } })).toBe(150);
  });

  it('validateContext and countMessageTokens take the same arguments, in either form', () => {
    const small = model(150);
    const seen: string[] = [];
    const catalog = {
      requireModel: (ref: string) => {
        seen.push(ref);
        return small;
      },
    };
    // (messages, model, { catalog }) and (messages, { model, catalog }) for both helpers.
    expect(countMessageTokens(cookbook, 'openai/gpt-4o', { catalog })).toBe(124);
    expect(countMessageTokens(cookbook, { model: 'openai/gpt-4o', catalog })).toBe(124);
    expect(validateContext(cookbook, 'openai/gpt-4o', { catalog })).toMatchObject({ fits: true, tokens: 124 });
    expect(validateContext(cookbook, { model: 'openai/gpt-4o', catalog, reserveOutput: 50 })).toMatchObject({
      fits: false,
      limit: 100,
      overBy: 24,
    });
    expect(seen).toEqual(['openai/gpt-4o', 'openai/gpt-4o', 'openai/gpt-4o', 'openai/gpt-4o']);
    // The older forms keep working: a bare hint for counting, a catalog entry for the window.
    expect(countMessageTokens(cookbook, 'gpt-4o')).toBe(124);
    expect(countMessageTokens(cookbook, { model: small })).toBe(124);
    expect(validateContext(cookbook, small, { reserveOutput: 50 }).limit).toBe(100);
    expect(contextStats(cookbook, { model: 'openai/gpt-4o', catalog }).tokens).toBe(124);
    expect(contextWindow({ model: 'openai/gpt-4o', catalog })).toBe(150);
    // A string without a catalog cannot tell the window: the error says what to pass.
    expect(() => validateContext(cookbook, 'openai/gpt-4o')).toThrow(/\{ catalog: sb\.catalog \}/);
  });

  it('reports stats by role', () => {
    const stats = contextStats(cookbook, 'gpt-4o');
    expect(stats.count).toBe(6);
    expect(stats.tokens).toBe(124);
    expect(stats.byRole.system?.count).toBe(5);
    expect(stats.byRole.user?.count).toBe(1);
    expect((stats.byRole.system?.tokens ?? 0) + (stats.byRole.user?.tokens ?? 0)).toBe(121);
    expect(stats.averageTokens).toBeCloseTo(121 / 6);
  });
});

describe('truncation', () => {
  const messages = conversation(20);
  const limit = 600;

  it('groups tool results with their call', () => {
    const groups = groupMessages(messages);
    const toolIndex = messages.findIndex((m) => m.role === 'tool');
    expect(groups.find((g) => g.end === toolIndex + 1)?.start).toBe(toolIndex - 1);
  });

  it('smart keeps system, the first user turn, the last N and fits the budget', () => {
    const fitted = fitMessages(messages, { model: model(limit), preserveMessages: 3 });
    expect(fitted.fits).toBe(true);
    expect(countMessageTokens(fitted.messages, 'gpt-4o')).toBe(fitted.tokens);
    expect(fitted.tokens).toBeLessThanOrEqual(limit);
    expect(fitted.messages[0]).toBe(messages[0]);
    expect(fitted.messages[1]).toBe(messages[1]);
    expect(fitted.messages.slice(-3)).toEqual(messages.slice(-3));
    expect(fitted.dropped.length + fitted.messages.length).toBe(messages.length);
    expect(pairsIntact(fitted.messages)).toBe(true);
    // The order is preserved.
    const positions = fitted.messages.map((m) => messages.indexOf(m));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('never splits a tool call from its result, whatever the budget', () => {
    for (let budget = 150; budget <= 3000; budget += 37) {
      for (const strategy of ['smart', 'sliding-window'] as const) {
        const fitted = fitMessages(messages, { model: model(budget), strategy, preserveMessages: 2 });
        expect(pairsIntact(fitted.messages)).toBe(true);
        if (fitted.fits) expect(countMessageTokens(fitted.messages, 'gpt-4o')).toBeLessThanOrEqual(budget);
      }
    }
    // The preserved tail starts at a tool result: its call comes along.
    const toolIndex = messages.findIndex((m) => m.role === 'tool');
    const cut = messages.slice(0, toolIndex + 1);
    const fitted = fitMessages(cut, { model: model(200), preserveMessages: 1 });
    expect(fitted.messages.slice(-2)).toEqual(cut.slice(-2));
  });

  it('sliding-window keeps system and the newest messages, starting at a user turn', () => {
    const fitted = fitMessages(messages, { model: model(limit), strategy: 'sliding-window' });
    expect(fitted.fits).toBe(true);
    expect(fitted.messages[0]?.role).toBe('system');
    expect(fitted.messages[1]?.role).toBe('user');
    expect(fitted.messages.at(-1)).toBe(messages.at(-1));
    expect(fitted.messages).not.toContain(messages[1]);
  });

  it('returns messages unchanged when they fit, and says when pinned ones alone do not', () => {
    expect(fitMessages(messages, { model: model(1_000_000) }).dropped).toEqual([]);
    const over = fitMessages(messages, { model: model(100), preserveMessages: 4 });
    expect(over.fits).toBe(false);
    expect(over.messages.slice(-4)).toEqual(messages.slice(-4));
  });

  it('replaces the dropped middle with a summary that fits', async () => {
    const summarize = vi.fn(async (dropped: Message[]) => `${dropped.length} messages about lorem ipsum`);
    const out = await prepareMessages(messages, {
      model: model(limit),
      preserveMessages: 2,
      summarize,
      summaryTokens: 40,
    });
    expect(summarize).toHaveBeenCalledOnce();
    const summary = out.find((m) => typeof m.content === 'string' && m.content.startsWith('Summary of'));
    expect(summary?.role).toBe('system');
    expect(out.indexOf(summary as Message)).toBe(2);
    expect(countMessageTokens(out, 'gpt-4o')).toBeLessThanOrEqual(limit);
    expect(out.slice(-2)).toEqual(messages.slice(-2));
  });

  it('summarizes through a model when given one', async () => {
    const chat = vi.fn(async (_request: { model: unknown; maxTokens?: number }) => ({ text: 'they talked' }));
    const out = await prepareMessages(messages, {
      model: model(limit),
      summarize: { sb: { chat }, model: 'mock/mock-chat' },
    });
    expect(chat.mock.calls[0]?.[0]).toMatchObject({ model: 'mock/mock-chat', maxTokens: 512 });
    expect(out.some((m) => typeof m.content === 'string' && m.content.endsWith('they talked'))).toBe(true);
  });

  it("prepareMessages keeps the model's max output free by default, at most a quarter of the window", async () => {
    // The conversation is about 2.8k tokens: it would fill a 2000-token window to the brim without a reserve.
    const withOutput = await prepareMessages(messages, { model: model(2000, 'gpt-4o', 300) });
    expect(countMessageTokens(withOutput, 'gpt-4o')).toBeLessThanOrEqual(1700);
    expect(countMessageTokens(withOutput, 'gpt-4o')).toBeGreaterThan(1500);
    // Output limit unknown, or larger than a quarter of the window: a quarter of the window is kept.
    for (const info of [model(2000), model(2000, 'gpt-4o', 16_000)]) {
      const fitted = fitMessages(messages, { model: info });
      expect(fitted.limit).toBe(1500);
      expect(fitted.tokens).toBeLessThanOrEqual(1500);
    }
    // An explicit reserve (0 fills the window) or input budget wins.
    const full = fitMessages(messages, { model: model(2000, 'gpt-4o', 300), reserveOutput: 0 });
    expect(full.limit).toBe(2000);
    expect(full.tokens).toBeGreaterThan(1700); // what the default used to do: no room left to answer
    expect(fitMessages(messages, { model: model(2000, 'gpt-4o', 300), maxTokens: 1900 }).limit).toBe(1900);
  });

  it('the request option truncates with the request maxTokens as reserve', () => {
    const warnings: string[] = [];
    const out = truncateForRequest({ messages, maxTokens: 100, truncate: true }, model(700), warnings);
    expect(countMessageTokens(out, 'gpt-4o')).toBeLessThanOrEqual(600);
    expect(warnings[0]).toMatch(/^truncate: dropped \d+ of \d+ messages to fit 600 input tokens/);
    expect(truncateForRequest({ messages }, model(700), [])).toBe(messages);
    const unknown: string[] = [];
    expect(truncateForRequest({ messages, truncate: true }, undefined, unknown)).toBe(messages);
    expect(unknown[0]).toMatch(/context window is unknown/);
  });
});
