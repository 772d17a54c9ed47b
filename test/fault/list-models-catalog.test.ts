/**
 * `sb.listModels('openai')` against a local server answering as OpenAI's `/v1/models` does (id,
 * object, owned_by, nothing else): the catalog fills the context window and prices it knows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from './fault-server.js';
import { faultSwitchboard } from './helpers.js';

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('listModels and the catalog', () => {
  it('fills contextWindow and pricing from the catalog for a model it knows', async () => {
    server = await startFaultServer([{ type: 'ok' }]);
    const sb = faultSwitchboard(server.baseURL);
    const [listed] = await sb.listModels('openai');
    const entry = sb.catalog.requireModel('openai/gpt-4o-mini');
    expect(listed?.id).toBe('gpt-4o-mini');
    expect(listed?.contextWindow).toBe(entry.limits.context);
    expect(listed?.contextWindow).toBeGreaterThan(0);
    expect(listed?.pricing).toEqual({ input: entry.pricing?.input, output: entry.pricing?.output });
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/models']);
  });
});
