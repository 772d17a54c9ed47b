/**
 * Where the mock protocol records the requests it received, keyed by the provider's settings object
 * (unique per provider instance), so tests can assert what core sent without any network.
 */
import type { MockEmbedRequest, MockRequest } from '../../types/mock-behaviour.js';

const chatRequests = new WeakMap<object, MockRequest[]>();
const embedRequests = new WeakMap<object, MockEmbedRequest[]>();

/** Records a chat request against a provider's settings. */
export function recordMockRequest(settings: object, request: MockRequest): void {
  let list = chatRequests.get(settings);
  if (list === undefined) {
    list = [];
    chatRequests.set(settings, list);
  }
  list.push(request);
}

/** Records an embedding request against a provider's settings. */
export function recordMockEmbedRequest(settings: object, request: MockEmbedRequest): void {
  let list = embedRequests.get(settings);
  if (list === undefined) {
    list = [];
    embedRequests.set(settings, list);
  }
  list.push(request);
}

/** The chat requests a mock provider received, oldest first. */
export function getMockRequests(provider: { settings: object }): MockRequest[] {
  return chatRequests.get(provider.settings) ?? [];
}

/** The embedding requests a mock provider received, oldest first. */
export function getMockEmbedRequests(provider: { settings: object }): MockEmbedRequest[] {
  return embedRequests.get(provider.settings) ?? [];
}

/** Forgets what a mock provider received. */
export function clearMockRequests(provider: { settings: object }): void {
  chatRequests.delete(provider.settings);
  embedRequests.delete(provider.settings);
}
