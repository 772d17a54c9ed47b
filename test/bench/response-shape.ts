/**
 * What checking the shape of a complete chat answer costs per call, and what zod would cost for the
 * same lenient check: the figures behind the choice documented in
 * packages/core/src/protocols/shared/shape.ts. A standalone script (not part of `pnpm bench`):
 *
 *   node --import ./test/bench/source-hooks.ts test/bench/response-shape.ts
 *
 * Each figure is the best of 15 rounds of 50,000 parses of a recorded OpenAI answer (already
 * JSON-parsed, as the adapter receives it), in nanoseconds per parse; JSON.parse of the same text is
 * printed for scale.
 */
import { readFileSync } from 'node:fs';
import type { CallContext, ProviderDescriptor } from '@switchboard/core';
import { getProtocolAdapter } from '@switchboard/core';
import { z } from 'zod';

/** The built-in openai-chat adapter, looked up once through core's public registry (not timed). */
const openaiChatAdapter = getProtocolAdapter('openai-chat');

const text = readFileSync(
  new URL('../../../shared/fixtures/openai/chat-nonstream.vercel.json', import.meta.url),
  'utf8',
);
const body: unknown = JSON.parse(text);

const descriptor: ProviderDescriptor = {
  id: 'openai',
  name: 'OpenAI',
  protocol: 'openai-chat',
  baseURL: 'https://api.openai.com/v1',
  auth: { type: 'bearer', env: [] },
  endpoints: { chat: '/chat/completions' },
  capabilities: [],
  defaultModel: 'gpt-4.1-nano',
};
const ctx: CallContext = {
  descriptor,
  settings: {},
  model: undefined,
  modelId: 'gpt-4.1-nano',
  baseURL: descriptor.baseURL,
  params: {},
  apiKey: 'sk-bench',
  env: {},
};

/** The same lenient check in zod: unknown keys kept, required fields required, nullish elsewhere. */
const count = z.number().nullish();
const zodChatSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        finish_reason: z.string().nullish(),
        message: z.looseObject({
          content: z
            .union([z.string(), z.array(z.union([z.string(), z.looseObject({ text: z.string().nullish() })]))])
            .nullish(),
          refusal: z.string().nullish(),
          tool_calls: z
            .array(
              z.looseObject({
                id: z.string().nullish(),
                function: z.looseObject({ name: z.string(), arguments: z.unknown() }),
              }),
            )
            .nullish(),
        }),
      }),
    )
    .min(1),
  usage: z.looseObject({ prompt_tokens: count, completion_tokens: count, total_tokens: count }).nullish(),
});

/** Nanoseconds per call: the best of `rounds` rounds (the least disturbed by other processes). */
function nanosecondsPerCall(fn: () => unknown, calls = 50_000, rounds = 15): number {
  let sink = 0;
  for (let i = 0; i < calls; i++) sink ^= fn() === undefined ? 0 : 1;
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink ^= fn() === undefined ? 0 : 1;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / calls);
  }
  if (sink === 2) console.log('');
  return best;
}

const figures = {
  'JSON.parse of the body (for scale)': nanosecondsPerCall(() => JSON.parse(text)),
  'openai-chat parseChat (current sources)': nanosecondsPerCall(() => openaiChatAdapter.parseChat(ctx, body)),
  'zod lenient schema, safeParse only': nanosecondsPerCall(() => zodChatSchema.safeParse(body)),
};
console.log(`node ${process.version}, ${text.length} characters of body`);
for (const [name, ns] of Object.entries(figures)) console.log(`${name.padEnd(44)} ${(ns / 1000).toFixed(3)} µs`);
