/**
 * A fastify app holding only the Anthropic routes, over a real switchboard with two providers: the
 * in-process mock (scripted by the test) and OpenAI pointed at a local fake upstream. Independent of
 * the gateway's server module, so the Anthropic surface is tested on its own; the official
 * `@anthropic-ai/sdk` drives it on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { createSwitchboard, MemoryStore, type MockBehaviour } from '@switchboard/core';
import { createMock } from '@switchboard/provider-mock';
import { createOpenAI } from '@switchboard/provider-openai';
import fastify from 'fastify';
import type { Caller, GatewayContext } from '../src/context.js';
import { anthropicRoutes } from '../src/routes/anthropic.js';
import { type FakeUpstream, startFakeUpstream, type UpstreamAnswer } from './anthropic-upstream.js';

/** A model group (`fast`) and a gateway alias (`quick`), as a config file would declare them. */
const GROUPS = { fast: { deployments: [{ model: 'mock/mock-chat' }] } };
const ALIASES: Record<string, string> = { quick: 'openai/gpt-4o-mini' };

export const UPSTREAM_KEY = 'sk-upstream-test-key-0123456789abcdef';

export interface AnthropicTestApp {
  client: Anthropic;
  baseURL: string;
  upstream: FakeUpstream;
  /** Every `authenticate` call: the key header (`x-api-key`, else `authorization`) and the model. */
  readonly authentications: { apiKey: unknown; model: string | undefined }[];
  /** How many callers were released. */
  released(): number;
  close(): Promise<void>;
}

export interface AnthropicTestOptions {
  mock?: MockBehaviour;
  upstream?: UpstreamAnswer[];
  /** The caller `authenticate` returns (budget, tags). */
  caller?: Caller;
}

export async function startAnthropicApp(options: AnthropicTestOptions = {}): Promise<AnthropicTestApp> {
  const upstream = await startFakeUpstream(
    options.upstream ?? [{ type: 'text', chunks: ['Hello ', 'from ', 'upstream.'] }],
  );
  const switchboard = createSwitchboard({
    providers: [
      createMock({ mock: options.mock ?? {} }),
      createOpenAI({ apiKey: UPSTREAM_KEY, baseURL: upstream.baseURL }),
    ],
    retry: false,
    breaker: false,
    modelGroups: GROUPS,
  });
  const authentications: AnthropicTestApp['authentications'] = [];
  let releases = 0;
  const context: GatewayContext = {
    switchboard,
    store: new MemoryStore(),
    settings: { host: '127.0.0.1', port: 0, bodyLimitBytes: 1_000_000, corsOrigins: [], requireKeys: false },
    config: { groups: GROUPS, aliases: ALIASES } as GatewayContext['config'],
    resolveModelName: (model) => ALIASES[model] ?? model,
    async authenticate(headers, model) {
      // Anthropic's SDK sends the key as a bearer token; curl-style clients as `x-api-key`.
      authentications.push({ apiKey: headers['x-api-key'] ?? headers.authorization, model });
      return options.caller ?? { id: 'anonymous' };
    },
    release() {
      releases += 1;
    },
  };
  // Request ids as the gateway's server makes them (a UUID unless the client sent one).
  const app = fastify({ genReqId: () => randomUUID() });
  await anthropicRoutes(app, context);
  const baseURL = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = new Anthropic({ baseURL, apiKey: 'sk-ant-client-key', maxRetries: 0 });
  return {
    client,
    baseURL,
    upstream,
    authentications,
    released: () => releases,
    async close() {
      await app.close();
      await switchboard.close();
      await upstream.close();
    },
  };
}
