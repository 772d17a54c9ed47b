/**
 * Provider configuration as users write it (issue 9, item 7), through `createSwitchboard` against a
 * real local HTTP server: Azure configured the way Microsoft's SDKs are (AZURE_OPENAI_ENDPOINT,
 * AZURE_OPENAI_DEPLOYMENT, AZURE_OPENAI_API_VERSION), an explicit base URL replacing a template, and
 * ExLLM's variable names working as aliases. The assertions are on what reached the wire.
 */
import type { ServerResponse } from 'node:http';
import { ConfigurationError, createCatalog, createSwitchboard } from '@switchboard/core';
import { createAzureOpenAI } from '@switchboard/provider-azure-openai';
import { createGemini } from '@switchboard/provider-gemini';
import { createLMStudio } from '@switchboard/provider-lmstudio';
import { createOllama } from '@switchboard/provider-ollama';
import { createOpenAI } from '@switchboard/provider-openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServer, type RecordedRequest, startServer } from '../support/local-server.js';

const HI = [{ role: 'user' as const, content: 'Hi' }];
const AZURE_KEY = '0123456789abcdef0123456789abcdef';

/** Answers in the shape of the protocol the request path belongs to. */
function answer(request: RecordedRequest, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  if (request.url.startsWith('/api/chat')) {
    res.end(
      JSON.stringify({
        model: 'llama3.2',
        created_at: '2026-01-01T00:00:00Z',
        message: { role: 'assistant', content: 'ok' },
        done: true,
        done_reason: 'stop',
        prompt_eval_count: 3,
        eval_count: 1,
      }),
    );
  } else if (request.url.includes(':generateContent')) {
    res.end(
      JSON.stringify({
        candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1, totalTokenCount: 4 },
        modelVersion: 'gemini-2.5-flash',
      }),
    );
  } else {
    res.end(
      JSON.stringify({
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1_733_000_000,
        model: 'gpt-4o',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      }),
    );
  }
}

let server: LocalServer;
let origin: string;
beforeAll(async () => {
  server = await startServer(answer);
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const lastRequest = () => server.requests.at(-1) as RecordedRequest;

describe('Azure OpenAI as Microsoft SDK users configure it', () => {
  it('AZURE_OPENAI_ENDPOINT + key + deployment + API version is enough: the deployment URL goes on the wire', async () => {
    const sb = createSwitchboard({
      providers: [createAzureOpenAI()],
      env: {
        AZURE_OPENAI_ENDPOINT: `${origin}/`,
        AZURE_OPENAI_API_KEY: AZURE_KEY,
        AZURE_OPENAI_DEPLOYMENT: 'prod-gpt4o',
        AZURE_OPENAI_API_VERSION: '2025-01-01-preview',
      },
      retry: false,
    });
    const res = await sb.chat({ model: 'azure-openai/gpt-4o', messages: HI });
    expect(res.text).toBe('ok');
    const request = lastRequest();
    expect(request.url).toBe('/openai/deployments/prod-gpt4o/chat/completions?api-version=2025-01-01-preview');
    expect(request.headers['api-key']).toBe(AZURE_KEY);
    expect(JSON.parse(request.body)).not.toHaveProperty('model');
  });

  it('without AZURE_OPENAI_DEPLOYMENT the deployment is the model id, as the catalog says', async () => {
    const sb = createSwitchboard({
      providers: [createAzureOpenAI()],
      env: { AZURE_OPENAI_ENDPOINT: origin, AZURE_OPENAI_API_KEY: AZURE_KEY },
      retry: false,
    });
    await sb.chat({ model: 'azure-openai/gpt-4o-mini', messages: HI });
    expect(lastRequest().url).toBe('/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21');
  });

  it('an explicit baseURL replaces the template: no resource is demanded', async () => {
    const sb = createSwitchboard({
      providers: [createAzureOpenAI({ apiKey: AZURE_KEY, baseURL: `${origin}/gateway/azure/{deployment}` })],
      env: {},
      retry: false,
    });
    await sb.chat({ model: 'azure-openai/gpt-4o', messages: HI });
    expect(lastRequest().url).toBe('/gateway/azure/gpt-4o/chat/completions?api-version=2024-10-21');
  });

  it('a baseURL from static config replaces the template the same way', async () => {
    const sb = createSwitchboard({
      providers: [createAzureOpenAI({ apiKey: AZURE_KEY })],
      config: { 'azure-openai': { baseURL: `${origin}/openai/deployments/fixed` } },
      env: {},
      retry: false,
    });
    await sb.chat({ model: 'azure-openai/gpt-4o', messages: HI });
    expect(lastRequest().url).toBe('/openai/deployments/fixed/chat/completions?api-version=2024-10-21');
  });

  it('with neither endpoint, resource nor base URL the error names every variable that would do', async () => {
    const sb = createSwitchboard({ providers: [createAzureOpenAI({ apiKey: AZURE_KEY })], env: {}, retry: false });
    const error = await sb.chat({ model: 'azure-openai/gpt-4o', messages: HI }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    for (const name of ['AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_RESOURCE_NAME', 'AZURE_OPENAI_BASE_URL', 'baseURL'])
      expect(message).toContain(name);
    expect(server.requests).toHaveLength(0);
  });

  it('sb.configured counts the endpoint as configuration, as a call would', async () => {
    const withEndpoint = createSwitchboard({
      providers: [createAzureOpenAI()],
      env: { AZURE_OPENAI_API_KEY: AZURE_KEY, AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com' },
    });
    expect(await withEndpoint.configured('azure-openai')).toBe(true);
    const keyOnly = createSwitchboard({ providers: [createAzureOpenAI()], env: { AZURE_OPENAI_API_KEY: AZURE_KEY } });
    expect(await keyOnly.configured('azure-openai')).toBe(false);
  });

  it('the catalog counts the endpoint (or a base URL) as configuration', () => {
    const catalog = createCatalog([createAzureOpenAI()]);
    expect(catalog.isConfigured('azure-openai', { AZURE_OPENAI_API_KEY: AZURE_KEY })).toBe(false);
    expect(
      catalog.isConfigured('azure-openai', {
        AZURE_OPENAI_API_KEY: AZURE_KEY,
        AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com',
      }),
    ).toBe(true);
    expect(
      createCatalog([createAzureOpenAI({ baseURL: origin })]).isConfigured('azure-openai', {
        AZURE_OPENAI_API_KEY: AZURE_KEY,
      }),
    ).toBe(true);
  });
});

describe("ExLLM's variable names work as aliases", () => {
  it('OPENAI_API_BASE points OpenAI at another server', async () => {
    const sb = createSwitchboard({
      providers: [createOpenAI()],
      env: { OPENAI_API_KEY: 'sk-test-alias', OPENAI_API_BASE: `${origin}/v1` },
      retry: false,
    });
    await sb.chat({ model: 'openai/gpt-4o', messages: HI });
    expect(lastRequest().url).toBe('/v1/chat/completions');
    expect(lastRequest().headers.authorization).toBe('Bearer sk-test-alias');
  });

  it('OPENAI_BASE_URL, the provider’s own name, wins when both are set', async () => {
    const sb = createSwitchboard({
      providers: [createOpenAI()],
      env: {
        OPENAI_API_KEY: 'sk-test-alias',
        OPENAI_BASE_URL: `${origin}/own`,
        OPENAI_API_BASE: 'http://127.0.0.1:9/v1',
      },
      retry: false,
    });
    await sb.chat({ model: 'openai/gpt-4o', messages: HI });
    expect(lastRequest().url).toBe('/own/chat/completions');
  });

  it('OLLAMA_API_BASE points Ollama at another server', async () => {
    const sb = createSwitchboard({ providers: [createOllama()], env: { OLLAMA_API_BASE: origin }, retry: false });
    const res = await sb.chat({ model: 'ollama/llama3.2', messages: HI });
    expect(res.text).toBe('ok');
    expect(lastRequest().url).toBe('/api/chat');
  });

  it('OLLAMA_HOST without a scheme, as Ollama itself reads it, works', async () => {
    const sb = createSwitchboard({
      providers: [createOllama()],
      env: { OLLAMA_HOST: `127.0.0.1:${server.port}` },
      retry: false,
    });
    await sb.chat({ model: 'ollama/llama3.2', messages: HI });
    expect(lastRequest().url).toBe('/api/chat');
  });

  it('LMSTUDIO_API_BASE points LM Studio at another server', async () => {
    const sb = createSwitchboard({
      providers: [createLMStudio()],
      env: { LMSTUDIO_API_BASE: `${origin}/v1` },
      retry: false,
    });
    await sb.chat({ model: 'lmstudio/llama-3.2-3b-instruct', messages: HI });
    expect(lastRequest().url).toBe('/v1/chat/completions');
  });

  it('GOOGLE_API_KEY is a Gemini key when GEMINI_API_KEY is unset', async () => {
    const sb = createSwitchboard({
      providers: [createGemini()],
      env: { GOOGLE_API_KEY: 'AIzaSyTest-google-alias-0123456789abcde', GEMINI_BASE_URL: `${origin}/v1beta` },
      retry: false,
    });
    await sb.chat({ model: 'gemini/gemini-2.5-flash', messages: HI });
    expect(lastRequest().url).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(lastRequest().headers['x-goog-api-key']).toBe('AIzaSyTest-google-alias-0123456789abcde');
  });

  it('a missing Gemini key names every accepted variable', async () => {
    const sb = createSwitchboard({ providers: [createGemini()], env: { GEMINI_BASE_URL: origin }, retry: false });
    const error = await sb.chat({ model: 'gemini/gemini-2.5-flash', messages: HI }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    for (const name of ['GEMINI_API_KEY', 'GOOGLE_API_KEY']) expect((error as Error).message).toContain(name);
  });
});
