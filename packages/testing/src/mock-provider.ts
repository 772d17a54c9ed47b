/**
 * The mock provider for users' tests: the generated `@switchboard/provider-mock` catalog data (so
 * model ids, capabilities and prices match the YAML) driven by a scripted behaviour, in-process.
 */
import {
  getMockEmbedRequests,
  getMockRequests,
  type MockBehaviour,
  type MockEmbedRequest,
  type MockRequest,
  type ProviderSettings,
} from '@switchboard/core';
import { createMock, type MockProvider } from '@switchboard/provider-mock';

/**
 * A mock provider that answers with `behaviour` (echoes the last user message when empty). Pass it
 * to `createSwitchboard` like any provider and call `'mock/<model>'`.
 */
export function mockProvider(
  behaviour: MockBehaviour = {},
  settings: Omit<ProviderSettings, 'mock'> = {},
): MockProvider {
  return createMock({ ...settings, mock: behaviour });
}

/** The chat requests a mock provider received, as core prepared them (oldest first). */
export function capturedRequests(provider: { settings: object }): MockRequest[] {
  return getMockRequests(provider);
}

/** The embedding requests a mock provider received (oldest first). */
export function capturedEmbedRequests(provider: { settings: object }): MockEmbedRequest[] {
  return getMockEmbedRequests(provider);
}
