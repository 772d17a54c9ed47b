/**
 * Test-only helpers for the anthropic-messages and gemini adapter tests: load a provider's catalog
 * descriptor and the project's contract fixtures, build a CallContext, run a stream decoder over a
 * body split into small chunks (so every event straddles chunk boundaries) and fold the events.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ModelInfo, ProviderDescriptor, ProviderSpec } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import type { ToolCall, Usage } from '../../types/requests.js';
import type { ProtocolAdapter, ProtocolStreamEvent } from '../adapter.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

export interface Fixture {
  provenance: unknown;
  request?: { method: string; url: string; headers?: Record<string, string>; body?: unknown };
  response: { status: number; headers?: Record<string, string>; body?: unknown; bodyText?: string };
}

export function loadFixture(provider: string, name: string): Fixture {
  return JSON.parse(readFileSync(`${REPO_ROOT}test/contract/fixtures/${provider}/${name}.json`, 'utf8')) as Fixture;
}

export function loadDescriptor(provider: string): { descriptor: ProviderDescriptor; models: ProviderSpec['models'] } {
  const spec = parse(readFileSync(`${REPO_ROOT}catalog/providers/${provider}.yaml`, 'utf8')) as ProviderSpec;
  const { models, tests: _tests, ...descriptor } = spec;
  return { descriptor, models };
}

export function makeContext(descriptor: ProviderDescriptor, modelId: string, model?: ModelInfo): CallContext {
  return {
    descriptor,
    settings: {},
    model,
    modelId,
    baseURL: descriptor.baseURL,
    params: {},
    apiKey: 'test-key-0123456789',
    env: {},
  };
}

/** Response body text of a fixture (JSON bodies re-serialized). */
export function bodyText(fixture: Fixture): string {
  return fixture.response.bodyText ?? JSON.stringify(fixture.response.body);
}

export function fixtureHeaders(fixture: Fixture): Headers {
  return new Headers(fixture.response.headers ?? {});
}

/** Feeds `text` to a fresh decoder in `chunkSize`-byte pieces. */
export function decodeStream(
  adapter: ProtocolAdapter,
  ctx: CallContext,
  text: string,
  chunkSize = 7,
): ProtocolStreamEvent[] {
  const decoder = adapter.streamDecoder(ctx);
  const bytes = new TextEncoder().encode(text);
  const events: ProtocolStreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) events.push(...decoder.push(bytes.subarray(i, i + chunkSize)));
  events.push(...decoder.end());
  return events;
}

export interface Folded {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage: Partial<Usage>;
  finishReason?: string;
  rawFinishReason?: string;
  id?: string;
  model?: string;
  errors: { kind: string; message: string; retryable: boolean }[];
}

/** Accumulates decoder events the way the runtime does (tool calls by index, usage field by field). */
export function foldEvents(events: ProtocolStreamEvent[]): Folded {
  const out: Folded = { text: '', reasoning: '', toolCalls: [], usage: {}, errors: [] };
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for (const event of events) {
    switch (event.type) {
      case 'text-delta':
        out.text += event.text;
        break;
      case 'reasoning-delta':
        out.reasoning += event.text;
        break;
      case 'tool-call-delta': {
        const call = calls.get(event.index) ?? { id: '', name: '', args: '' };
        if (event.id) call.id = event.id;
        if (event.name) call.name = event.name;
        call.args += event.argumentsDelta;
        calls.set(event.index, call);
        break;
      }
      case 'tool-call':
        calls.set(event.index, { id: event.id, name: event.name, args: event.arguments });
        break;
      case 'usage':
        out.usage = { ...out.usage, ...event.usage };
        break;
      case 'finish':
        out.finishReason = event.finishReason;
        out.rawFinishReason = event.rawFinishReason;
        break;
      case 'metadata':
        if (event.id) out.id = event.id;
        if (event.model) out.model = event.model;
        break;
      case 'error':
        out.errors.push({ kind: event.error.kind, message: event.error.message, retryable: event.error.retryable });
        break;
    }
  }
  out.toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]) => ({ id: c.id, name: c.name, arguments: JSON.parse(c.args || '{}') as Record<string, unknown> }));
  return out;
}
