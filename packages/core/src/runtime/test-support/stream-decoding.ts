/**
 * Test-only helpers for the stream decoders' trust tests and the stream fuzz test: a minimal call
 * context per protocol, a body fed to a decoder in chunks of a given size (so events straddle chunk
 * boundaries), and readers of the resulting events.
 */

import type { SwitchboardError } from '../../errors/errors.js';
import type { ProtocolStreamEvent, StreamDecoder } from '../../protocols/adapter.js';
import type { ProtocolId, ProviderDescriptor } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';

/** The API key every trust test uses; it must never appear in an error. */
export const STREAM_TEST_KEY = 'sk-stream-test-0123456789abcdef';

/** A call context for `protocol` with provider id `provider` and model `m`. */
export function streamContext(protocol: ProtocolId, provider = 'p'): CallContext {
  const descriptor: ProviderDescriptor = {
    id: provider,
    name: provider,
    protocol,
    baseURL: 'https://api.example.com/v1',
    auth: { type: 'bearer', env: [] },
    endpoints: { chat: '/chat' },
    capabilities: [],
    defaultModel: 'm',
  };
  return {
    descriptor,
    settings: {},
    model: undefined,
    modelId: 'm',
    baseURL: descriptor.baseURL,
    params: {},
    apiKey: STREAM_TEST_KEY,
    env: {},
  };
}

/** Feeds `body` to `decoder` in `chunkSize`-byte chunks, then ends it; returns every event in order. */
export function decodeInChunks(
  decoder: StreamDecoder,
  body: string | Uint8Array,
  chunkSize: number,
): ProtocolStreamEvent[] {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const events: ProtocolStreamEvent[] = [];
  for (let i = 0; i < bytes.byteLength; i += chunkSize) {
    for (const event of decoder.push(bytes.subarray(i, i + chunkSize))) events.push(event);
  }
  for (const event of decoder.end()) events.push(event);
  return events;
}

/** The text of the text-delta events. */
export function textOf(events: readonly ProtocolStreamEvent[]): string {
  let text = '';
  for (const event of events) if (event.type === 'text-delta') text += event.text;
  return text;
}

/** The errors among the events. */
export function errorsOf(events: readonly ProtocolStreamEvent[]): SwitchboardError[] {
  return events.flatMap((event) => (event.type === 'error' ? [event.error] : []));
}

/** The SSE body of `payloads` (objects are JSON-encoded, strings sent as they are). */
export function sseBody(payloads: readonly (object | string | null)[]): string {
  return payloads.map((p) => `data: ${typeof p === 'string' ? p : JSON.stringify(p)}\n\n`).join('');
}
