/**
 * Which adapter speaks which wire protocol. The runtime looks a provider's `descriptor.protocol` up
 * here; `mock` has no HTTP adapter (the runtime calls it in-process, see `protocols/mock/`).
 *
 * ADAPTER AUTHORS: add your adapter with ONE import line and ONE entry in `BUILT_IN_ADAPTERS` below
 * (keep both sorted), then commit this file right away with only that change. Do not edit the rest.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { ProtocolId } from '../types/catalog.js';
import type { ProtocolAdapter } from './adapter.js';
// --- adapter imports (one line each) ---
import { anthropicMessagesAdapter } from './anthropic-messages/index.js';
import { bedrockConverseAdapter } from './bedrock-converse/index.js';
import { geminiAdapter } from './gemini/index.js';
import { ollamaAdapter } from './ollama/index.js';
import { openaiChatAdapter } from './openai-chat/index.js';

const BUILT_IN_ADAPTERS: ProtocolAdapter[] = [
  // --- adapter entries (one line each) ---
  anthropicMessagesAdapter,
  bedrockConverseAdapter,
  geminiAdapter,
  ollamaAdapter,
  openaiChatAdapter,
];

const adapters = new Map<ProtocolId, ProtocolAdapter>();
for (const adapter of BUILT_IN_ADAPTERS) adapters.set(adapter.id, adapter);

/**
 * Registers (or replaces) the adapter for a protocol. Lets tests and users plug in an adapter for a
 * protocol before core ships one, without editing core.
 */
export function registerProtocolAdapter(adapter: ProtocolAdapter): void {
  adapters.set(adapter.id, adapter);
}

/** The adapter for a protocol, or undefined when none is installed. */
export function findProtocolAdapter(protocol: ProtocolId): ProtocolAdapter | undefined {
  return adapters.get(protocol);
}

/** The adapter for a protocol; throws a ConfigurationError naming the protocol when none is installed. */
export function getProtocolAdapter(protocol: ProtocolId, provider?: string): ProtocolAdapter {
  const adapter = adapters.get(protocol);
  if (adapter === undefined) {
    throw new ConfigurationError(`No adapter is installed for protocol '${protocol}'`, {
      provider,
      setting: 'protocol',
    });
  }
  return adapter;
}

/** Protocols with an installed adapter, for diagnostics. */
export function listProtocolAdapters(): ProtocolId[] {
  return [...adapters.keys()].sort();
}
