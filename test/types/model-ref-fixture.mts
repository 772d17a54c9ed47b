/**
 * Calls whose model references the types must accept or refuse; compiled (never run) by
 * `model-ref-check.test.ts`, which expects an error on exactly the lines marked `// error`.
 * A `.mts` file so the test project's own type-check does not see the intended errors.
 */
import { type ChatRequest, createSwitchboard, type ModelRef } from '@switchboard/core';
import { anthropic } from '@switchboard/provider-anthropic';
import { ollama } from '@switchboard/provider-ollama';
import { openai } from '@switchboard/provider-openai';

const sb = createSwitchboard({ providers: [openai, anthropic, ollama] });
const messages = [{ role: 'user' as const, content: 'Hi' }];

await sb.chat({ model: 'openai/gpt-4o', messages });
await sb.chat({ model: 'openai/gpt-4o-2024-08-06', messages }); // a dated alias is a known reference
await sb.chat({ model: 'openai/gpt-4oo', messages }); // error
sb.stream({ model: 'anthropic/claude-sonet-4-5', messages }); // error
await sb.embed({ model: 'openai/text-embeding-3-small', input: 'a' }); // error
await sb.embed({ model: 'openai/text-embedding-3-small', input: 'a' });
await sb.chat({ model: 'ollama/my-own-finetune:7b', messages }); // open provider: whatever was pulled
await sb.chat({ model: 'smart', messages }); // a model group or a bare id: not judged
await sb.chat({ model: 'meta-llama/llama-3.1-8b', messages }); // not an installed provider's prefix
await sb.chat({ model: { provider: 'openai', model: 'gpt-6' }, messages }); // the pair: escape hatch
const newer: string = 'openai/gpt-6';
await sb.chat({ model: newer, messages }); // a value typed string: escape hatch
const fromConfig: ModelRef = 'openai/gpt-4o';
await sb.chat({ model: fromConfig, messages });
const built: ChatRequest = { model: 'openai/anything', messages };
await sb.chat(built);
sb.stream(built);
await sb.chat({ messages }); // the default model
