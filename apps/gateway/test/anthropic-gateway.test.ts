/**
 * The Anthropic API inside the whole gateway (`createGateway` from a config: providers by env
 * variable, an alias, the keys module): the official `@anthropic-ai/sdk` gets answers and streams
 * from an OpenAI-protocol upstream, its errors keep Anthropic's shape next to the OpenAI routes
 * (whose error body differs), and with keys required a wrong key is the SDK's AuthenticationError.
 */
import Anthropic, { AuthenticationError } from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicRoutes } from '../src/routes/anthropic.js';
import { createGateway, type Gateway, type GatewayOptions, ROUTE_MODULES } from '../src/server.js';
import { type FakeUpstream, startFakeUpstream } from './anthropic-upstream.js';

const UPSTREAM_KEY = 'sk-upstream-gateway-0123456789abcdef';
// The server registers the Anthropic module itself once it lists it; until then, add it.
const ROUTES = ROUTE_MODULES.includes(anthropicRoutes) ? ROUTE_MODULES : [...ROUTE_MODULES, anthropicRoutes];

let gateway: Gateway | undefined;
let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await gateway?.close(1000);
  await upstream?.close();
  gateway = undefined;
  upstream = undefined;
});

async function start(config: Partial<NonNullable<GatewayOptions['config']>> = {}): Promise<string> {
  upstream = await startFakeUpstream([{ type: 'text', chunks: ['Hello ', 'through ', 'the gateway.'] }]);
  gateway = await createGateway({
    port: 0,
    env: { ANTHROPIC_ROUTE_TEST_OPENAI_KEY: UPSTREAM_KEY },
    config: {
      providers: { openai: { apiKeyEnv: 'ANTHROPIC_ROUTE_TEST_OPENAI_KEY', baseURL: upstream.baseURL }, mock: null },
      aliases: { quick: 'openai/gpt-4o-mini' },
      ...config,
    } as GatewayOptions['config'],
    switchboard: { retry: false },
    routes: ROUTES,
  });
  return (await gateway.listen()).url;
}

describe('/v1/messages through createGateway', () => {
  it('answers and streams with the Anthropic SDK; the upstream key shows nowhere', async () => {
    const url = await start();
    const client = new Anthropic({ baseURL: url, apiKey: 'sk-ant-anything', maxRetries: 0 });
    const { data, response } = await client.messages
      .create({ model: 'quick', max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.model).toBe('quick');
    expect(data.content).toEqual([{ type: 'text', text: 'Hello through the gateway.' }]);
    expect(response.headers.get('x-switchboard-provider')).toBe('openai');
    expect(response.headers.get('x-request-id')).toMatch(/.+/);
    expect(JSON.stringify(data)).not.toContain(UPSTREAM_KEY);

    const stream = client.messages.stream({
      model: 'openai/gpt-4o-mini',
      max_tokens: 20,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Hello through the gateway.' }]);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('keeps the headers set by the server (CORS) on a stream', async () => {
    const url = await start({ cors: { origins: ['https://app.example'] } });
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://app.example' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        max_tokens: 20,
        stream: true,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(await response.text()).toContain('event: message_stop');
  });

  it("keeps Anthropic's error body on its routes while the OpenAI routes keep theirs", async () => {
    const url = await start();
    const post = (path: string) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const anthropic = await post('/v1/messages');
    expect(anthropic.status).toBe(400);
    expect(await anthropic.json()).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'model: is required' },
    });
    const openai = await post('/v1/chat/completions');
    expect(openai.status).toBe(400);
    expect(await openai.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('with keys required, a wrong key is an AuthenticationError in Anthropic shape', async () => {
    const url = await start({ keys: { required: true } } as never);
    const client = new Anthropic({ baseURL: url, apiKey: 'sk-not-a-virtual-key', maxRetries: 0 });
    const failure = await client.messages
      .create({ model: 'mock/mock-chat', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect((failure as AuthenticationError).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
    expect(upstream?.requests).toEqual([]);
  });
});
