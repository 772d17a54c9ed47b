import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../types/requests.js';
import { DiskCacheBackend } from './disk-cache-backend.js';
import { ResponseCache } from './response-cache.js';
import { chatResponse, embedResponse, iterate, streamEvents } from './test-helpers.js';

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

describe('DiskCacheBackend', () => {
  let dir: string;
  let now: number;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sb-disk-cache-'));
    now = 1_000_000;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const request: ChatRequest = { model: 'openai/gpt-test', messages: [{ role: 'user', content: 'hi' }] };

  it('round-trips chat, stream and embedding entries across cache instances (a restart)', async () => {
    const first = new ResponseCache({ backend: new DiskCacheBackend({ dir }) });
    await first.set(request, chatResponse('from disk'));
    const recorder = first.recordStream('stream-key');
    for await (const _ of recorder.wrap(iterate(streamEvents(['a', 'b'])))) {
      /* consume */
    }
    expect(await recorder.done).toBe(true);
    await first.setEmbedding('embed-key', embedResponse());

    const second = new ResponseCache({ backend: new DiskCacheBackend({ dir }) });
    expect(await second.get(request)).toMatchObject({ text: 'from disk', cached: true });
    expect((await second.replay('stream-key'))?.filter((e) => e.type === 'text-delta')).toHaveLength(2);
    expect((await second.getEmbedding('embed-key'))?.embeddings).toHaveLength(2);
    expect(second.stats()).toMatchObject({ hits: 3, backend: 'disk', entries: undefined });
  });

  it('shards files by hash and leaves no temp files behind', async () => {
    const backend = new DiskCacheBackend({ dir });
    await Promise.all(Array.from({ length: 20 }, (_, i) => backend.set(`k${i}`, `v${i}`)));
    await Promise.all(Array.from({ length: 20 }, (_, i) => backend.set(`k${i}`, `w${i}`)));
    const files = await allFiles(dir);
    expect(files).toHaveLength(20);
    for (const file of files) expect(file).toMatch(/[/\\][0-9a-f]{2}[/\\][0-9a-f]{64}\.json$/);
    expect(await backend.get('k7')).toBe('w7');
  });

  it('honours TTL on read and removes the expired file', async () => {
    const backend = new DiskCacheBackend({ dir, now: () => now });
    await backend.set('k', 'v', 1000);
    await backend.set('forever', 'v');
    now += 999;
    expect(await backend.get('k')).toBe('v');
    now += 2;
    expect(await backend.get('k')).toBeUndefined();
    expect(await allFiles(dir)).toHaveLength(1);
    now += 10 ** 9;
    expect(await backend.get('forever')).toBe('v');
  });

  it('treats a corrupt file as a miss', async () => {
    const backend = new DiskCacheBackend({ dir });
    await backend.set('k', 'v');
    await writeFile(backend.pathOf('k'), '{not json', 'utf8');
    expect(await backend.get('k')).toBeUndefined();
    const cache = new ResponseCache({ backend });
    await backend.set('garbage', '"just a string"');
    expect(await cache.get('garbage')).toBeUndefined();
  });

  it('deletes and clears only its own shard folders', async () => {
    const backend = new DiskCacheBackend({ dir });
    await backend.set('a', '1');
    await backend.set('b', '2');
    await writeFile(join(dir, 'README.txt'), 'keep me', 'utf8');
    expect(await backend.delete('a')).toBe(true);
    expect(await backend.delete('a')).toBe(false);
    await backend.clear();
    expect(await backend.get('b')).toBeUndefined();
    expect(await readdir(dir)).toEqual(['README.txt']);
    await new DiskCacheBackend({ dir: join(dir, 'missing') }).clear();
  });

  it('never writes an API key, an auth header or the cache key into a file', async () => {
    const secret = 'sk-ant-SECRET-abcdef0123456789';
    const cache = new ResponseCache({ backend: new DiskCacheBackend({ dir }) });
    const secretRequest = {
      ...request,
      apiKey: secret,
      headers: { authorization: `Bearer ${secret}`, 'x-api-key': secret },
    } as ChatRequest;
    await cache.set(secretRequest, chatResponse('ok', { raw: { echoed: secret } }));
    await cache.setEmbedding({ model: 'openai/e', input: 'x' }, { ...embedResponse(), raw: { secret } });
    const key = cache.chatKey(secretRequest);
    const files = await allFiles(dir);
    expect(files).toHaveLength(2);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      expect(text).not.toContain(secret);
      expect(text.toLowerCase()).not.toContain('authorization');
      expect(text).not.toContain(key.slice('chat:'.length));
      expect(file).not.toContain(secret);
    }
    expect((await cache.get(request))?.text).toBe('ok');
  });
});
