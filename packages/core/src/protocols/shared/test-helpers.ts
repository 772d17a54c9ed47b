/**
 * Test-only helpers for the response shape tests of every protocol: a parse that must fail with
 * `invalid-response` naming the field, and a context that needs no catalog.
 */
import { expect } from 'vitest';
import type { ProtocolId, ProviderDescriptor } from '../../types/catalog.js';
import type { CallContext, PreparedEmbedRequest } from '../../types/protocol.js';

/** A call context for `protocol` with a recognisable key (checked to be redacted). */
export function shapeContext(protocol: ProtocolId, modelId = 'model-1'): CallContext {
  const descriptor: ProviderDescriptor = {
    id: 'provider-1',
    name: 'Provider 1',
    protocol,
    baseURL: 'https://api.example.com',
    auth: { type: 'bearer', env: [] },
    endpoints: { chat: '/chat' },
    capabilities: [],
    defaultModel: modelId,
  };
  return {
    descriptor,
    settings: {},
    model: undefined,
    modelId,
    baseURL: descriptor.baseURL,
    params: {},
    apiKey: 'test-key-0123456789abcdef',
    env: {},
  };
}

/** An embeddings request for `count` texts. */
export function embedRequestFor(count: number): PreparedEmbedRequest {
  return {
    input: Array.from({ length: count }, (_, index) => `text ${index}`),
    encoding: 'float',
    providerOptions: {},
  };
}

/** `parse` must throw `invalid-response` whose message contains `problem`. */
export function expectInvalidResponse(parse: () => unknown, problem: string): void {
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected invalid-response: ${problem}`).toBeDefined();
  const { kind, message } = caught as { kind: string; message: string };
  expect(kind).toBe('invalid-response');
  expect(message).toContain(problem);
  expect(message).toContain("Provider 'provider-1' sent an invalid response");
}
