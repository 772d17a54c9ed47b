/**
 * A caller's abort, as `sb.chat` and `sb.stream` report it against a real local server: an
 * `AbortedError` (kind `aborted`, `name === 'AbortError'`, the abort reason as `cause`), whether it
 * struck during the request, during a retry's backoff, or in the middle of a stream; never retried
 * and never a reason to fall back.
 */

import { AbortedError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard, HI } from './helpers.js';

const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function serve(...faults: Parameters<typeof startFaultServer>[0]): Promise<FaultServer> {
  const server = await startFaultServer(faults);
  servers.push(server);
  return server;
}
const arrived = async (server: FaultServer, count = 1): Promise<void> => {
  while (server.requests.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('an aborted call', () => {
  it('rejects with kind aborted, name AbortError and the reason as cause; no retry, no fallback', async () => {
    const hanging = await serve({ type: 'hang' });
    const backup = await serve({ type: 'ok', text: 'backup' });
    const sb = faultSwitchboard(hanging.baseURL, backup.baseURL);
    const controller = new AbortController();
    const call = sb
      .chat({
        model: 'openai/gpt-4o-mini',
        messages: HI,
        fallback: ['groq/llama-3.1-8b-instant'],
        signal: controller.signal,
      })
      .catch((caught: unknown) => caught);
    await arrived(hanging);
    const reason = new Error('the user closed the tab');
    controller.abort(reason);
    const error = await call;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ kind: 'aborted', name: 'AbortError', retryable: false, provider: 'openai' });
    expect((error as Error).cause).toBe(reason);
    expect((error as Error).message).toContain('the user closed the tab');
    expect(hanging.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(0);
  });

  it('during a retry backoff it is an AbortedError too (the sleep threw a bare AbortError)', async () => {
    const server = await serve({ type: 'status', status: 503, headers: { 'retry-after-ms': '30000' } });
    const sb = faultSwitchboard(server.baseURL);
    const controller = new AbortController();
    const call = sb.chat({ model: 'openai/gpt-4o-mini', messages: HI, signal: controller.signal }).catch((e) => e);
    await arrived(server);
    // The 503 is answered at once; the call then waits 30 s before its retry, and is aborted there.
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await call;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ kind: 'aborted', name: 'AbortError' });
    expect((error as Error).cause).toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('an embed aborted during its retry backoff is an AbortedError too', async () => {
    const server = await serve({ type: 'status', status: 503, headers: { 'retry-after-ms': '30000' } });
    const sb = faultSwitchboard(server.baseURL);
    const controller = new AbortController();
    const call = sb
      .embed({ model: 'openai/text-embedding-3-small', input: 'x', signal: controller.signal })
      .catch((e) => e);
    await arrived(server);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await call;
    expect(error).toBeInstanceOf(AbortedError);
    expect(error).toMatchObject({ kind: 'aborted', name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('a stream aborted midway ends with an AbortedError, keeping the text received', async () => {
    const server = await serve({ type: 'ok', chunks: ['one ', 'two ', 'three ', 'four'], delayMs: 100 });
    const sb = faultSwitchboard(server.baseURL);
    const controller = new AbortController();
    const stream = sb.stream({ model: 'openai/gpt-4o-mini', messages: HI, signal: controller.signal });
    let text = '';
    let ended: unknown;
    for await (const event of stream) {
      if (event.type === 'text-delta') {
        text += event.text;
        controller.abort();
      }
      if (event.type === 'error') ended = event.error;
    }
    expect(text).toBe('one ');
    expect(ended).toBeInstanceOf(AbortedError);
    await expect(stream.response).rejects.toMatchObject({ kind: 'aborted', name: 'AbortError' });
  });
});
