/**
 * Streams resumed by id (`recovery: true`, `sb.resumeStream(recoveryId)`) and the `summarize`
 * strategy, through `createSwitchboard` against a loopback server that cuts the stream midway. The
 * cross-process case (two Node processes on one Redis) is in test/redis/seeds-features.test.ts.
 */

import { MemoryStore, NotFoundError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI } from './helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(...args: Parameters<typeof startFaultServer>) {
  const server = await startFaultServer(...args);
  servers.push(server);
  return server;
}
const MODEL = 'openai/gpt-4o-mini';
type Body = { messages: { role: string; content: string }[]; stream?: boolean; max_completion_tokens?: number };
const chatBodies = (server: FaultServer) =>
  server.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as Body);

describe('resuming a stream by its recoveryId', () => {
  it('a cut stream is continued by id from another switchboard on the same store', async () => {
    const server = await start([
      { type: 'cut', chunks: ['The first ', 'half, ', 'never sent'], cutAfter: 2 },
      { type: 'ok', chunks: ['and the ', 'second half.'] },
    ]);
    const store = new MemoryStore();
    const a = faultSwitchboard(server.baseURL, server.baseURL, { store, retry: false });
    const b = faultSwitchboard(server.baseURL, server.baseURL, { store, retry: false });
    const stream = a.stream({ model: MODEL, messages: HI, recovery: true });
    expect(stream.recoveryId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(stream.response).rejects.toThrow();
    const resumed = await b.resumeStream(stream.recoveryId as string);
    expect(resumed.kept).toBe('The first half, ');
    let shown = '';
    for await (const event of resumed) if (event.type === 'text-delta') shown += event.text;
    expect(shown).toBe('and the second half.');
    expect((await resumed.response).text).toBe('The first half, and the second half.');
    // The continuation asked the model to go on from the text so far.
    const last = chatBodies(server)[1]?.messages.at(-1);
    expect(last?.content).toContain('The first half, ');
    // Finished: nothing is kept any more.
    await expect(b.resumeStream(stream.recoveryId as string)).rejects.toBeInstanceOf(NotFoundError);
    await a.close();
    await b.close();
    await store.close();
  });

  it('names an unknown id; a finished stream leaves nothing; tool loops refuse recovery', async () => {
    const server = await start([{ type: 'ok', chunks: ['all ', 'of it'] }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    await expect(sb.resumeStream('no-such-id')).rejects.toThrow("No recoverable stream 'no-such-id' in the store");
    const stream = sb.stream({ model: MODEL, messages: HI, recovery: { ttlMs: 60_000 } });
    expect((await stream.response).text).toBe('all of it');
    await expect(sb.resumeStream(stream.recoveryId as string)).rejects.toThrow(/No recoverable stream/);
    // Without recovery there is no id.
    const plain = sb.stream({ model: MODEL, messages: HI });
    expect(plain.recoveryId).toBeUndefined();
    await plain.response;
    expect(() =>
      sb.stream({
        model: MODEL,
        messages: HI,
        maxSteps: 3,
        tools: { t: { description: 'x', parameters: { type: 'object' }, execute: async () => 1 } },
        recovery: true,
      } as never),
    ).toThrow('`recovery` is not available for a streamed tool loop');
    await sb.close();
  });
});

describe('the summarize strategy', () => {
  it('asks the same model for a summary, then continues from the summary and the last words', async () => {
    const long = `${'Point one explained at length. '.repeat(30)}Point two begins`;
    const server = await start([
      { type: 'cut', chunks: [long, ' never'], cutAfter: 1 },
      { type: 'ok', text: 'SUMMARY: point one, point two started.' },
      { type: 'ok', chunks: [' and ends here.'] },
    ]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    const stream = sb.stream({ model: MODEL, messages: HI, maxTokens: 2000 });
    await expect(stream.response).rejects.toThrow();
    const resumed = stream.resume({ strategy: 'summarize', summaryMaxTokens: 123 });
    expect(resumed.method).toBe('summary');
    const response = await resumed.response;
    expect(response.text).toBe(`${long} and ends here.`);
    const [, summaryCall, continuation] = chatBodies(server);
    expect(summaryCall?.max_completion_tokens).toBe(123);
    expect(summaryCall?.messages).toHaveLength(1);
    expect(summaryCall?.messages[0]?.content).toContain('Summarize the following partial answer');
    const prompt = continuation?.messages.at(-1)?.content as string;
    expect(continuation?.messages[0]).toEqual({ role: 'user', content: 'Hi' });
    expect(prompt).toContain('SUMMARY: point one, point two started.');
    expect(prompt).toContain('Point two begins');
    // Only the last words go with the summary, not the whole answer.
    expect(prompt.length).toBeLessThan(long.length);
    // The summary call is paid for too: both calls' usage (5 + 7 tokens each in the fault server) count.
    expect(response.usage.inputTokens).toBe(10);
    await sb.close();
  });

  it('uses your summarize function when given', async () => {
    const server = await start([
      { type: 'cut', chunks: ['Alpha. ', 'Beta'], cutAfter: 2 },
      { type: 'ok', chunks: [' gamma.'] },
    ]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { retry: false });
    const stream = sb.stream({ model: MODEL, messages: HI });
    await expect(stream.response).rejects.toThrow();
    const seen: string[] = [];
    const resumed = stream.resume({
      strategy: 'summarize',
      summarize: (text) => {
        seen.push(text);
        return 'Mine.';
      },
    });
    expect((await resumed.response).text).toBe('Alpha. Beta gamma.');
    expect(seen).toEqual(['Alpha. Beta']);
    expect(chatBodies(server)).toHaveLength(2);
    expect(chatBodies(server)[1]?.messages.at(-1)?.content).toContain('Mine.');
    await sb.close();
  });
});
