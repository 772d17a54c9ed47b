/**
 * Base URL and parameter resolution as users write configuration (issue 9, item 7): an explicit base
 * URL replaces the template, a setting's variables are a list where the first set one wins, and a
 * missing part is reported with every source that would give it.
 */
import { describe, expect, it } from 'vitest';
import type { ProviderDescriptor } from '../types/catalog.js';
import { type EndpointSource, envNameList, firstEnv, resolveEndpoint } from './provider-endpoint.js';

/** Azure OpenAI's descriptor parts, as catalog/providers/azure-openai.yaml writes them. */
const AZURE: Pick<ProviderDescriptor, 'baseURL' | 'auth' | 'params'> = {
  baseURL: '{endpoint}/openai/deployments/{deployment}',
  auth: { type: 'header', header: 'api-key', env: ['AZURE_OPENAI_API_KEY'], baseURLEnv: 'AZURE_OPENAI_BASE_URL' },
  params: [
    { name: 'endpoint', env: 'AZURE_OPENAI_ENDPOINT', default: 'https://{resource}.openai.azure.com' },
    { name: 'resource', env: 'AZURE_OPENAI_RESOURCE_NAME', required: true },
    { name: 'deployment', env: 'AZURE_OPENAI_DEPLOYMENT', default: '{model}' },
    { name: 'apiVersion', env: 'AZURE_OPENAI_API_VERSION', default: '2024-10-21', required: true },
  ],
};

const azure = (settings: EndpointSource['settings'] = {}): EndpointSource => ({
  id: 'azure-openai',
  descriptor: AZURE,
  settings,
});

describe('environment variable lists', () => {
  it('takes one name or a list, and the first set, non-empty one wins', () => {
    expect(envNameList('A')).toEqual(['A']);
    expect(envNameList(undefined)).toEqual([]);
    expect(firstEnv({ A: '', B: 'b', C: 'c' }, ['A', 'B', 'C'])).toBe('b');
    expect(firstEnv({ C: 'c' }, 'C')).toBe('c');
    expect(firstEnv({}, ['A', 'B'])).toBeUndefined();
  });

  it('a base-URL alias is read when the first name is unset, and loses to it when both are set', () => {
    const openai: EndpointSource = {
      id: 'openai',
      descriptor: {
        baseURL: 'https://api.openai.com/v1',
        auth: { type: 'bearer', env: ['OPENAI_API_KEY'], baseURLEnv: ['OPENAI_BASE_URL', 'OPENAI_API_BASE'] },
      },
      settings: {},
    };
    expect(resolveEndpoint(openai, { OPENAI_API_BASE: 'http://alias:1/v1' }).endpoint?.baseURL).toBe(
      'http://alias:1/v1',
    );
    expect(
      resolveEndpoint(openai, { OPENAI_API_BASE: 'http://alias:1/v1', OPENAI_BASE_URL: 'http://own:2/v1/' }).endpoint
        ?.baseURL,
    ).toBe('http://own:2/v1');
    expect(resolveEndpoint(openai, {}).endpoint?.baseURL).toBe('https://api.openai.com/v1');
  });

  it('a parameter may list variables too', () => {
    const source: EndpointSource = {
      id: 'p',
      descriptor: {
        baseURL: 'https://{region}.example.com',
        auth: { type: 'none', env: [] },
        params: [{ name: 'region', env: ['P_REGION', 'AWS_REGION'], required: true }],
      },
      settings: {},
    };
    expect(resolveEndpoint(source, { AWS_REGION: 'eu' }).endpoint?.baseURL).toBe('https://eu.example.com');
  });
});

describe('Azure OpenAI: the endpoint, the resource or a whole base URL', () => {
  it('AZURE_OPENAI_ENDPOINT gets the deployment path, and no resource is asked for', () => {
    const { endpoint, problem } = resolveEndpoint(
      azure(),
      { AZURE_OPENAI_ENDPOINT: 'https://my-res.openai.azure.com/', AZURE_OPENAI_DEPLOYMENT: 'prod-4o' },
      'gpt-4o',
    );
    expect(problem).toBeUndefined();
    expect(endpoint?.baseURL).toBe('https://my-res.openai.azure.com/openai/deployments/prod-4o');
    expect(endpoint?.params).toMatchObject({ deployment: 'prod-4o', apiVersion: '2024-10-21' });
  });

  it('the resource name builds the endpoint; the deployment defaults to the model id', () => {
    const { endpoint } = resolveEndpoint(azure(), { AZURE_OPENAI_RESOURCE_NAME: 'r1' }, 'gpt-4o-mini');
    expect(endpoint?.baseURL).toBe('https://r1.openai.azure.com/openai/deployments/gpt-4o-mini');
  });

  it('AZURE_OPENAI_API_VERSION fills the api version', () => {
    const env = { AZURE_OPENAI_RESOURCE_NAME: 'r1', AZURE_OPENAI_API_VERSION: '2025-01-01-preview' };
    expect(resolveEndpoint(azure(), env, 'm').endpoint?.params.apiVersion).toBe('2025-01-01-preview');
  });

  it('an explicit baseURL setting replaces the template: no resource needed, placeholders still filled', () => {
    const { endpoint, problem } = resolveEndpoint(
      azure({ baseURL: 'http://127.0.0.1:9/openai/deployments/{deployment}' }),
      {},
      'gpt-4o',
    );
    expect(problem).toBeUndefined();
    expect(endpoint?.baseURL).toBe('http://127.0.0.1:9/openai/deployments/gpt-4o');
  });

  it('the base-URL variable replaces the template the same way', () => {
    const { endpoint } = resolveEndpoint(azure(), { AZURE_OPENAI_BASE_URL: 'https://gateway.example.com/azure' }, 'm');
    expect(endpoint?.baseURL).toBe('https://gateway.example.com/azure');
  });

  it('with nothing set, the problem names every way to give the endpoint', () => {
    const { problem } = resolveEndpoint(azure(), {}, 'gpt-4o');
    expect(problem?.setting).toBe('AZURE_OPENAI_ENDPOINT');
    for (const source of [
      'AZURE_OPENAI_ENDPOINT',
      'params.endpoint',
      'AZURE_OPENAI_RESOURCE_NAME',
      'params.resource',
      'baseURL',
      'AZURE_OPENAI_BASE_URL',
    ])
      expect(problem?.message).toContain(source);
  });

  it('without a model id (health checks) the deployment must be set', () => {
    const { problem } = resolveEndpoint(azure(), { AZURE_OPENAI_RESOURCE_NAME: 'r1' });
    expect(problem?.message).toContain("needs parameter 'deployment'");
    expect(problem?.message).toContain('AZURE_OPENAI_DEPLOYMENT');
  });
});

describe('other rules', () => {
  it('a required parameter the template does not hold is still required, naming its variables', () => {
    const source: EndpointSource = {
      id: 'p',
      descriptor: {
        baseURL: 'https://api.example.com',
        auth: { type: 'none', env: [] },
        params: [{ name: 'project', env: ['P_PROJECT', 'P_PROJECT_ID'], required: true }],
      },
      settings: { baseURL: 'http://127.0.0.1:1' },
    };
    const { problem } = resolveEndpoint(source, {});
    expect(problem?.message).toBe(
      "Missing required parameter 'project' for provider 'p': set P_PROJECT, P_PROJECT_ID or params.project",
    );
    expect(resolveEndpoint(source, { P_PROJECT_ID: 'x' }).endpoint?.params.project).toBe('x');
  });

  it('a host without a scheme (OLLAMA_HOST=127.0.0.1:11434, as Ollama reads it) is http', () => {
    const ollama: EndpointSource = {
      id: 'ollama',
      descriptor: {
        baseURL: 'http://localhost:11434',
        auth: { type: 'bearer', env: [], optional: true, baseURLEnv: ['OLLAMA_HOST', 'OLLAMA_API_BASE'] },
      },
      settings: {},
    };
    expect(resolveEndpoint(ollama, { OLLAMA_HOST: '127.0.0.1:11434' }).endpoint?.baseURL).toBe(
      'http://127.0.0.1:11434',
    );
    expect(resolveEndpoint(ollama, { OLLAMA_API_BASE: 'https://box:1/' }).endpoint?.baseURL).toBe('https://box:1');
  });
});
