/**
 * `anonymous(headers)`, the synchronous answer a route takes before awaiting `authenticate`: the
 * anonymous caller exactly when `authenticate` would resolve with it without the Store (no keys
 * required, no virtual key presented), and undefined whenever the full check must run (keys
 * required, or a virtual key presented, which is still looked up and refused when unknown).
 */
import { MemoryStore } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { generateVirtualKey } from '../src/keys/secret.js';
import { ANONYMOUS, createVirtualKeys } from '../src/keys/virtual-keys.js';

describe('anonymous', () => {
  it('without required keys: the anonymous caller for no key or a non-virtual one, as authenticate answers', async () => {
    const vk = createVirtualKeys({ store: new MemoryStore(), requireKeys: false, cacheMs: 0 });
    for (const headers of [{}, { authorization: 'Bearer sk-upstream-looking' }, { 'x-api-key': 'other' }]) {
      expect(vk.anonymous(headers)).toBe(ANONYMOUS);
      expect(await vk.authenticate(headers)).toBe(ANONYMOUS);
    }
  });

  it('undefined for a presented virtual key (authenticate looks it up and refuses an unknown one)', async () => {
    const vk = createVirtualKeys({ store: new MemoryStore(), requireKeys: false, cacheMs: 0 });
    const headers = { authorization: `Bearer ${generateVirtualKey()}` };
    expect(vk.anonymous(headers)).toBeUndefined();
    await expect(vk.authenticate(headers)).rejects.toMatchObject({ status: 401 });
  });

  it('undefined whenever keys are required, with or without a key', async () => {
    const vk = createVirtualKeys({ store: new MemoryStore(), requireKeys: true, cacheMs: 0 });
    const { key } = await vk.keys.create({});
    expect(vk.anonymous({})).toBeUndefined();
    expect(vk.anonymous({ 'x-api-key': key })).toBeUndefined();
    expect(vk.anonymous({ authorization: 'Bearer sk-upstream-looking' })).toBeUndefined();
  });
});
