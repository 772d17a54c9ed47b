/**
 * A fastify app with only the operations routes, over a real switchboard: the mock provider and the
 * OpenAI provider pointed at a local fake upstream (its key read from `OPENAI_API_KEY`, as a deployed
 * gateway reads it), with telemetry and metrics on, retries off and a breaker that opens after two
 * failures so fault tests stay short. Listens on 127.0.0.1, port 0; tests call it over real HTTP.
 */
import { createHash } from 'node:crypto';
import { createSwitchboard, MemoryStore, type Store, type Switchboard } from '@switchboard/core';
import { createMock } from '@switchboard/provider-mock';
import { createOpenAI } from '@switchboard/provider-openai';
import Fastify from 'fastify';
import type { GatewayContext, GatewaySettings } from '../src/context.js';
import { operationsRoutes } from '../src/routes/operations.js';
import { type OperationsUpstream, startOperationsUpstream } from './operations-upstream.js';

/** A key shaped like a real OpenAI project key; no answer may ever contain it. */
export const UPSTREAM_KEY = 'sk-proj-Q3opsT3stKey7f9c2b1e8d4a6f0c3e5b7d9a1c2e4f6a8b0d2c4e6f8a0b2';

export interface OperationsApp {
  baseURL: string;
  switchboard: Switchboard;
  upstream: OperationsUpstream;
  close(): Promise<void>;
}

/** Starts the app; `adminKey` sets the admin key (its hash goes in the settings). */
export async function startOperationsApp(options: { adminKey?: string; store?: Store } = {}): Promise<OperationsApp> {
  const upstream = await startOperationsUpstream();
  const switchboard = createSwitchboard({
    providers: [createMock(), createOpenAI({ baseURL: upstream.baseURL })],
    retry: false,
    breaker: { failureThreshold: 2, minimumCalls: 2, cooldownMs: 60_000 },
    telemetry: { tracer: false, metrics: true },
  }) as unknown as Switchboard;
  const settings: GatewaySettings = {
    host: '127.0.0.1',
    port: 0,
    bodyLimitBytes: 1_000_000,
    corsOrigins: [],
    requireKeys: false,
    ...(options.adminKey === undefined
      ? {}
      : { adminKeyHash: createHash('sha256').update(options.adminKey).digest('hex') }),
  };
  const context: GatewayContext = {
    switchboard,
    store: options.store ?? new MemoryStore(),
    settings,
    authenticate: async () => ({ id: 'anonymous' }),
    release: () => undefined,
  };
  const app = Fastify();
  await operationsRoutes(app, context);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseURL: address,
    switchboard,
    upstream,
    async close() {
      await app.close();
      await switchboard.close();
      await upstream.close();
    },
  };
}

/** Every body an app answered during a test, to search for the upstream key at the end. */
export const answered: string[] = [];

/** Calls the app over HTTP and keeps the body text. */
export async function call(
  app: OperationsApp,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read answer bodies field by field
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const response = await fetch(`${app.baseURL}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  answered.push(text, JSON.stringify([...response.headers]));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
