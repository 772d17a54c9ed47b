/**
 * Safety and fault behaviour of the OpenAI surface in-process: a client that disconnects mid-stream
 * aborts the upstream request, bodies over the limit are refused before routing, `response_format`
 * reaches the provider as a schema, model groups route, and a non-loopback host is refused without
 * keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../src/config.js';
import { createGateway, type Gateway } from '../src/server.js';
import { type OpenAIUpstream, startOpenAIUpstream } from './openai-upstream.js';

let upstream: OpenAIUpstream;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gateway = await createGateway({
    port: 0,
    env: { GATEWAY_TEST_OPENAI_KEY: 'sk-test-0123456789abcdefghijklmnop' },
    config: parseGatewayConfig(
      [
        'server:',
        '  bodyLimitBytes: 2048',
        'providers:',
        '  openai:',
        '    apiKeyEnv: GATEWAY_TEST_OPENAI_KEY',
        `    baseURL: ${upstream.baseURL}`,
        '  mock:',
        'groups:',
        '  smart:',
        '    strategy: round-robin',
        '    deployments:',
        '      - model: openai/gpt-4o-mini',
        'cors:',
        '  origins: [https://app.example]',
      ].join('\n'),
      'faults.yaml',
    ),
    switchboard: { retry: false },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  await gateway?.close(1000);
  await upstream?.close();
});

function post(body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
}

describe('OpenAI surface faults and safety', () => {
  it('a client that disconnects mid-stream aborts the upstream request', async () => {
    const before = upstream.streamsCut;
    const controller = new AbortController();
    const response = await post(
      { model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'slow' }] },
      { signal: controller.signal },
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    // Wait (bounded by the test timeout) until the upstream sees its socket closed early.
    while (upstream.streamsCut === before) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(upstream.streamsCut).toBe(before + 1);
  });

  it('a body over the limit is refused with 413 before any upstream call', async () => {
    const count = upstream.requests.length;
    const response = await post({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'x'.repeat(4096) }],
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { type: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(upstream.requests.length).toBe(count);
  });

  it('response_format json_schema reaches the provider, once (no hidden re-asks), and the JSON comes back', async () => {
    const format = {
      type: 'json_schema',
      json_schema: { name: 'thing', schema: { type: 'object', properties: { a: { type: 'number' } } } },
    };
    const count = upstream.requests.length;
    const response = await post({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: '{"a":1}' }],
      response_format: format,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(JSON.parse(body.choices[0]?.message.content ?? '')).toEqual({ a: 1 });
    const sent = upstream.requests.at(-1)?.body as {
      response_format?: { type: string; json_schema?: { name: string } };
    };
    expect(sent.response_format?.type).toBe('json_schema');
    expect(sent.response_format?.json_schema?.name).toBe('thing');
    expect(upstream.requests.length).toBe(count + 1);

    const broken = await post({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'not json' }],
      response_format: format,
    });
    expect(broken.status).toBe(502);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_structured_output');
    expect(upstream.requests.length).toBe(count + 2);
  });

  it('an unknown response_format type is a 400 naming the field', async () => {
    const response = await post({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'yaml' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('response_format.type');
  });

  it('a model group routes to its deployment', async () => {
    const response = await post({ model: 'smart', messages: [{ role: 'user', content: 'group' }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchboard-provider')).toBe('openai');
    expect(((await response.json()) as { model: string }).model).toBe('openai/gpt-4o-mini');
  });

  it('CORS answers a preflight from an allowed origin only', async () => {
    const allowed = await fetch(`${url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const other = await fetch(`${url}/v1/models`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses to listen on a non-loopback host without keys, and allows it when keys are required', async () => {
    const open = await createGateway({ host: '0.0.0.0', port: 0, config: { providers: { mock: null } } });
    await expect(open.listen()).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0/);
    await open.close(0);
    const guarded = await createGateway({
      host: '0.0.0.0',
      port: 0,
      config: { providers: { mock: null }, keys: { required: true } },
    });
    await expect(guarded.listen()).resolves.toMatchObject({ host: '0.0.0.0' });
    await guarded.close(0);
  });
});

describe('config file errors', () => {
  it('name the file, line and column of each problem', () => {
    const text = [
      'providers:',
      '  openai:',
      '    apiKeyEnv: lower-case',
      'groups:',
      '  g:',
      '    deployments: []',
      'colour: red',
    ].join('\n');
    let message = '';
    try {
      parseGatewayConfig(text, 'gw.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/gw\.yaml:3:16: providers\.openai\.apiKeyEnv: must be an environment variable name/);
    expect(message).toMatch(/gw\.yaml:6:18: groups\.g\.deployments: a group needs at least one deployment/);
    expect(message).toMatch(/gw\.yaml:7:1: colour: unknown setting/);
  });

  it('report YAML syntax errors with their line', () => {
    expect(() => parseGatewayConfig('providers:\n  openai: [unclosed\n', 'broken.yaml')).toThrow(
      /broken\.yaml:\d+:\d+/,
    );
  });
});
