import { readJsonLocation, readLocation } from '@switchboard/catalog-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamServer, type UpstreamServer } from './upstream-server.ts';

let server: UpstreamServer;

beforeAll(async () => {
  server = await startUpstreamServer({
    '/api.json': JSON.stringify({ acme: { models: {} } }),
    '/broken.json': '{"a":',
  });
});
afterAll(() => server.close());

describe('readLocation (undici download of an upstream catalog)', () => {
  it('downloads and parses a JSON body', async () => {
    expect(await readJsonLocation(`${server.url}/api.json`)).toEqual({ acme: { models: {} } });
  });

  it('names the URL and status of a failed download', async () => {
    await expect(readLocation(`${server.url}/missing.json`)).rejects.toThrow(
      `cannot download ${server.url}/missing.json: HTTP 404`,
    );
  });

  it('refuses a body above the size cap', async () => {
    await expect(readLocation(`${server.url}/api.json`, { maxBytes: 10 })).rejects.toThrow(/above the 10-byte cap/);
  });

  it('gives up on a server that never answers', async () => {
    await expect(readLocation(`${server.url}/hang`, { timeoutMs: 200 })).rejects.toThrow(
      `cannot download ${server.url}/hang`,
    );
  });

  it('names the location of a body that is not JSON', async () => {
    await expect(readJsonLocation(`${server.url}/broken.json`)).rejects.toThrow(
      `${server.url}/broken.json is not JSON`,
    );
  });

  it('reads a local file and names one that is missing', async () => {
    await expect(readLocation('/nonexistent/api.json')).rejects.toThrow('cannot read /nonexistent/api.json: ENOENT');
  });
});
