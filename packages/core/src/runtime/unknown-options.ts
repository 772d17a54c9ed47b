/**
 * Unknown keys on `sb.chat`, `sb.stream` and `sb.embed` requests. TypeScript refuses a misspelled
 * key in an object literal, but JavaScript callers, requests built elsewhere and names brought from
 * other libraries (`max_tokens`, OpenAI's legacy `functions`) reach the runtime, where an ignored key
 * silently changes the answer (no token limit, no tools). Each one becomes a warning in
 * `res.warnings` (and the switchboard's logger) naming the key and the option it probably meant.
 *
 * Warned, not mapped: `max_tokens` is not quietly turned into `maxTokens`, because a mapping for a
 * few names would hide that the rest of the snake_case vocabulary is not understood; the warning
 * says the one fix. The call still goes out: refusing it would break callers over a key that may be
 * harmless (a field meant for their own middleware).
 */

import { closestName } from '../catalog/closest-name.js';
import type { CallOperation } from '../types/middleware.js';
import type { ChatRequest, EmbedRequest } from '../types/requests.js';
import { GENERATION_OPTION_NAMES } from './option-support.js';

/** Every key of `ChatRequest`; the check below fails to compile when one is missing. */
const CHAT_KEYS = [
  'model',
  'messages',
  ...GENERATION_OPTION_NAMES,
  'tools',
  'toolChoice',
  'maxSteps',
  'schema',
  'schemaName',
  'maxRetries',
  'timeout',
  'idleTimeout',
  'signal',
  'providerOptions',
  'headers',
  'trackCost',
  'retry',
  'cache',
  'fallback',
  'fallbackOnContentFilter',
  'fallbackOn',
  'budget',
  'tags',
  'requestId',
  'breaker',
  'rateLimit',
  'truncate',
  'onChunk',
] as const satisfies readonly (keyof ChatRequest)[];

/** Every key of `EmbedRequest`; checked like {@link CHAT_KEYS}. */
const EMBED_KEYS = [
  'model',
  'input',
  'dimensions',
  'encoding',
  'timeout',
  'signal',
  'providerOptions',
  'trackCost',
  'retry',
  'cache',
  'fallback',
  'fallbackOn',
  'budget',
  'tags',
  'requestId',
  'breaker',
  'rateLimit',
] as const satisfies readonly (keyof EmbedRequest)[];

/**
 * A key added to `ChatRequest` or `EmbedRequest` without being listed above would be warned about
 * as unknown on every call: these lines stop the build instead, naming the missing key.
 */
type MissingChatKeys = Exclude<keyof ChatRequest, (typeof CHAT_KEYS)[number]>;
type MissingEmbedKeys = Exclude<keyof EmbedRequest, (typeof EMBED_KEYS)[number]>;
const allChatKeysListed: [MissingChatKeys] extends [never] ? true : MissingChatKeys = true;
const allEmbedKeysListed: [MissingEmbedKeys] extends [never] ? true : MissingEmbedKeys = true;
void allChatKeysListed;
void allEmbedKeysListed;

const CHAT_KEY_SET: ReadonlySet<string> = new Set(CHAT_KEYS);
const EMBED_KEY_SET: ReadonlySet<string> = new Set(EMBED_KEYS);

/**
 * Names other APIs use for something Switchboard spells differently, where the edit distance alone
 * would not find it (or would find the wrong thing).
 */
const FOREIGN_NAMES: Readonly<Record<string, string>> = {
  functions: "OpenAI's legacy `functions` are `tools` here ({ name, description, parameters, execute? })",
  function_call: "OpenAI's legacy `function_call` is `toolChoice` here ('auto' | 'none' | 'required' | { name })",
  tool_choice: 'did you mean `toolChoice`?',
  response_format: 'structured output is `schema` here (a zod schema or a JSON Schema)',
  stop_sequences: 'did you mean `stop`?',
  max_completion_tokens: 'did you mean `maxTokens`?',
  max_output_tokens: 'did you mean `maxTokens`?',
  system: "a system prompt is a message here: { role: 'system', content }",
  stream: 'call `sb.stream()` for a streamed answer',
  n: 'one answer per call; make several calls (or `sb.batch`) for several answers',
  user: 'the end-user id belongs in `providerOptions` (it is provider-specific)',
};

/** One warning for an unknown key: what was ignored and what to write instead. */
function describeUnknownKey(operation: CallOperation, key: string): string {
  if (key === 'onChunk' && operation === 'chat')
    return 'Unknown option `onChunk` ignored: sb.chat has no chunks; pass it to sb.stream, which calls it with each text delta';
  const foreign = FOREIGN_NAMES[key];
  if (foreign !== undefined) return `Unknown option \`${key}\` ignored: ${foreign}`;
  const suggestion = closestName(key, operation === 'embed' ? EMBED_KEYS : CHAT_KEYS);
  return suggestion === undefined
    ? `Unknown option \`${key}\` ignored`
    : `Unknown option \`${key}\` ignored: did you mean \`${suggestion}\`?`;
}

/**
 * Warnings for the keys of a request that the operation does not know, or `undefined` when every
 * key is known (the common case: one Set lookup per key, nothing allocated). `onChunk` is known to
 * streams only. Keys whose value is `undefined` are skipped: spreading optional fields is not a typo.
 */
export function unknownOptionWarnings(
  operation: CallOperation,
  request: Record<string, unknown>,
): string[] | undefined {
  const known = operation === 'embed' ? EMBED_KEY_SET : CHAT_KEY_SET;
  let warnings: string[] | undefined;
  for (const key in request) {
    if (known.has(key) && !(key === 'onChunk' && operation === 'chat')) continue;
    if (request[key] === undefined || !Object.hasOwn(request, key)) continue;
    if (warnings === undefined) warnings = [];
    warnings.push(describeUnknownKey(operation, key));
  }
  return warnings;
}
