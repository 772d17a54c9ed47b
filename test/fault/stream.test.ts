import type { StreamEvent } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI, recordingClock } from './helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(...args: Parameters<typeof startFaultServer>) {
  const server = await startFaultServer(...args);
  servers.push(server);
  return server;
}

async function collect(stream: AsyncIterable<StreamEvent>) {
  let text = '';
  const events: StreamEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    if (event.type === 'text-delta') text += event.text;
  }
  return { text, events };
}

const CHUNKS = ['One', ' two', ' three', ' four', ' five'];

describe('streams under faults: no output lost or duplicated', () => {
  it('retries a 503 and a reset before the first event; the text arrives exactly once', async () => {
    const server = await start([{ type: 'status', status: 503 }, { type: 'reset' }, { type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI });
    const { text, events } = await collect(stream);
    expect(text).toBe(CHUNKS.join(''));
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(CHUNKS.length);
    expect(events.at(-1)?.type).toBe('finish');
    const response = await stream.response;
    expect(response.text).toBe(CHUNKS.join(''));
    expect(response.attempts).toHaveLength(3);
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a stream cut after its first event: the error carries exactly the partial text', async () => {
    const server = await start([{ type: 'cut', chunks: CHUNKS, cutAfter: 2 }]);
    const sb = faultSwitchboard(server.baseURL, server.baseURL, { clock: recordingClock() });
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI });
    const { text, events } = await collect(stream);
    expect(text).toBe('One two');
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type === 'error') {
      expect(last.partial.text).toBe('One two');
      expect((last.error as { kind?: string }).kind).toBe('network');
    }
    await expect(stream.response).rejects.toMatchObject({ kind: 'network' });
    expect(server.requests).toHaveLength(1);
  });

  it('delivers a slow trickle whole', async () => {
    const server = await start([{ type: 'ok', chunks: CHUNKS, delayMs: 30 }]);
    const sb = faultSwitchboard(server.baseURL);
    const { text } = await collect(sb.stream({ model: 'openai/gpt-4o-mini', messages: HI }));
    expect(text).toBe(CHUNKS.join(''));
  });

  it('falls back to another provider before the first event, once', async () => {
    const failing = await start([{ type: 'status', status: 503 }]);
    const healthy = await start([{ type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(failing.baseURL, healthy.baseURL, { clock: recordingClock() });
    const stream = sb.stream({
      model: 'openai/gpt-4o-mini',
      messages: HI,
      fallback: ['groq/llama-3.1-8b-instant'],
    });
    const { text } = await collect(stream);
    expect(text).toBe(CHUNKS.join(''));
    const response = await stream.response;
    expect(response.provider).toBe('groq');
    expect(response.attempts?.map((attempt) => attempt.provider)).toEqual(['openai', 'openai', 'openai', 'groq']);
    expect(failing.requests).toHaveLength(3);
    expect(healthy.requests).toHaveLength(1);
  });

  it('does not fall back after a stream was cut midway (the text would be duplicated)', async () => {
    const cutting = await start([{ type: 'cut', chunks: CHUNKS, cutAfter: 3 }]);
    const healthy = await start([{ type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(cutting.baseURL, healthy.baseURL, { clock: recordingClock() });
    const { text, events } = await collect(
      sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, fallback: ['groq/llama-3.1-8b-instant'] }),
    );
    expect(text).toBe('One two three');
    expect(events.at(-1)?.type).toBe('error');
    expect(healthy.requests).toHaveLength(0);
  });

  it('caches a finished stream and replays it as a stream', async () => {
    const server = await start([{ type: 'ok', chunks: CHUNKS }]);
    const sb = faultSwitchboard(server.baseURL);
    const first = await collect(sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, cache: true }));
    const replay = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, cache: true });
    const second = await collect(replay);
    expect(second.text).toBe(first.text);
    expect(second.events.filter((event) => event.type === 'text-delta')).toHaveLength(CHUNKS.length);
    expect((await replay.response).cached).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});
