/**
 * The one validation step at the entry of `sb.chat`, `sb.stream` and `sb.embed`: types, ranges,
 * roles, content parts, tools and their schemas, model references. A request that would be refused
 * by the provider (`temperature: 'hot'`, `messages: []`), or would throw a TypeError that names no
 * field deep in an adapter (`messages: null`), fails here with a `RequestValidationError`
 * (an `InvalidRequestError`, kind `invalid-request`, not retryable) naming the field path, and
 * nothing is sent.
 *
 * Hand-written rather than a zod schema: packages/core/bench/validate-request.ts measured the two on a realistic
 * request and the hand-written checks are several times faster, which matters because this runs on
 * every call of the hot path (sb.chat is held to 1.3x raw undici). A plain text call costs a few
 * dozen type checks; tools add one WeakMap lookup each once their schema has been compiled.
 */
import type { CallOperation } from '../types/middleware.js';
import { validateTimeouts } from './timeouts.js';
import { unknownOptionWarnings } from './unknown-options.js';
import {
  checkBoolean,
  checkInteger,
  checkRange,
  checkString,
  fail,
  isRecord,
  RequestValidationError,
} from './validate-field.js';
import { checkSchema } from './validate-json-schema.js';
import { validateMessages } from './validate-messages.js';
import { validateToolChoice, validateTools } from './validate-tools.js';

export { RequestValidationError } from './validate-field.js';

/** Most stop sequences accepted (Gemini takes 5, OpenAI 4; the provider enforces its own lower limit). */
const MAX_STOP_SEQUENCES = 16;
/** The rule for `schemaName`: it becomes a tool or response-format name, so the tool name rule. */
const SCHEMA_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Throws `RequestValidationError` naming the first bad field of a chat, stream or embed request.
 * Called once per user call, before any middleware, cache lookup or network. Returns warnings for
 * keys the operation does not know (`max_tokens`, `functions`; see `unknown-options.ts`), or
 * `undefined` when there are none: they are ignored, so the caller reports them in `res.warnings`.
 */
export function validateRequest(operation: CallOperation, request: unknown): string[] | undefined {
  if (!isRecord(request)) fail('request', 'an object', request);
  if (operation === 'embed') validateEmbedRequest(request);
  else validateChatRequest(request);
  return unknownOptionWarnings(operation, request);
}

/** `'<provider>/<model>'` (or a group name), or `{ provider, model }` with both non-empty. */
export function validateModelRef(field: string, model: unknown): void {
  if (typeof model === 'string') {
    if (model.length === 0) fail(field, "a model reference ('<provider>/<model>')", model);
    return;
  }
  if (!isRecord(model)) fail(field, "a model reference ('<provider>/<model>' or { provider, model })", model);
  checkString(`${field}.provider`, model.provider, true);
  checkString(`${field}.model`, model.model, true);
}

/** Checks the fields chat and stream requests take. */
export function validateChatRequest(request: Record<string, unknown>): void {
  validateModelRef('model', request.model);
  validateMessages(request.messages);
  if (request.temperature !== undefined) checkRange('temperature', request.temperature, 0, 2);
  if (request.topP !== undefined) checkRange('topP', request.topP, 0, 1);
  if (request.maxTokens !== undefined) checkInteger('maxTokens', request.maxTokens, 1);
  if (request.frequencyPenalty !== undefined) checkRange('frequencyPenalty', request.frequencyPenalty, -2, 2);
  if (request.presencePenalty !== undefined) checkRange('presencePenalty', request.presencePenalty, -2, 2);
  if (request.seed !== undefined && !Number.isSafeInteger(request.seed)) fail('seed', 'an integer', request.seed);
  if (request.stop !== undefined) validateStop(request.stop);
  if (request.reasoning !== undefined) validateReasoning(request.reasoning);
  if (request.maxSteps !== undefined) checkInteger('maxSteps', request.maxSteps, 0);
  if (request.maxRetries !== undefined) checkInteger('maxRetries', request.maxRetries, 0);
  if (request.onChunk !== undefined && typeof request.onChunk !== 'function')
    fail('onChunk', 'a function (text) => void', request.onChunk);
  const toolNames = request.tools === undefined ? [] : validateTools(request.tools);
  if (request.toolChoice !== undefined) validateToolChoice(request.toolChoice, toolNames);
  if (request.schema !== undefined) checkSchema('schema', request.schema);
  if (
    request.schemaName !== undefined &&
    (typeof request.schemaName !== 'string' || !SCHEMA_NAME.test(request.schemaName))
  )
    fail('schemaName', '1 to 64 letters, digits, underscores or hyphens', request.schemaName);
  validateCommon(request);
}

/** Checks the fields embed requests take. */
export function validateEmbedRequest(request: Record<string, unknown>): void {
  validateModelRef('model', request.model);
  const input = request.input;
  if (typeof input === 'string') {
    if (input.length === 0) fail('input', 'a non-empty string or a non-empty array of strings', input);
  } else if (Array.isArray(input)) {
    if (input.length === 0) fail('input', 'a non-empty string or a non-empty array of strings', input);
    for (let index = 0; index < input.length; index++) checkString(`input[${index}]`, input[index], true);
  } else fail('input', 'a non-empty string or a non-empty array of strings', input);
  if (request.dimensions !== undefined) checkInteger('dimensions', request.dimensions, 1);
  if (request.encoding !== undefined && request.encoding !== 'float' && request.encoding !== 'base64')
    fail('encoding', "'float' or 'base64'", request.encoding);
  validateCommon(request);
}

function validateStop(stop: unknown): void {
  if (typeof stop === 'string') {
    if (stop.length === 0) fail('stop', 'a non-empty string or an array of them', stop);
    return;
  }
  if (!Array.isArray(stop)) fail('stop', 'a string or an array of strings', stop);
  if (stop.length > MAX_STOP_SEQUENCES)
    throw new RequestValidationError(
      'stop',
      `has ${stop.length} sequences; at most ${MAX_STOP_SEQUENCES} are accepted`,
    );
  for (let index = 0; index < stop.length; index++) checkString(`stop[${index}]`, stop[index], true);
}

function validateReasoning(reasoning: unknown): void {
  if (!isRecord(reasoning)) fail('reasoning', '{ effort?, budgetTokens? }', reasoning);
  const effort = reasoning.effort;
  if (effort !== undefined && effort !== 'low' && effort !== 'medium' && effort !== 'high')
    fail('reasoning.effort', "'low', 'medium' or 'high'", effort);
  if (reasoning.budgetTokens !== undefined) checkInteger('reasoning.budgetTokens', reasoning.budgetTokens, 1);
}

/** Fields chat and embed share: fallbacks, tags, budgets, headers, provider options, switches. */
function validateCommon(request: Record<string, unknown>): void {
  // Timeouts (`timeout`, `idleTimeout`): a ConfigurationError naming the field (runtime/timeouts.ts).
  validateTimeouts(request);
  const fallback = request.fallback;
  if (fallback !== undefined) {
    if (!Array.isArray(fallback)) fail('fallback', 'an array of model references', fallback);
    for (let index = 0; index < fallback.length; index++) validateModelRef(`fallback[${index}]`, fallback[index]);
  }
  const tags = request.tags;
  if (tags !== undefined) {
    if (!Array.isArray(tags)) fail('tags', 'an array of strings', tags);
    for (let index = 0; index < tags.length; index++) checkString(`tags[${index}]`, tags[index], false);
  }
  if (request.budget !== undefined) checkString('budget', request.budget, true);
  if (request.requestId !== undefined) checkString('requestId', request.requestId, true);
  const headers = request.headers;
  if (headers !== undefined) {
    if (!isRecord(headers)) fail('headers', 'an object of header strings', headers);
    for (const name of Object.keys(headers))
      if (headers[name] !== undefined) checkString(`headers.${name}`, headers[name], false);
  }
  if (request.providerOptions !== undefined && !isRecord(request.providerOptions))
    fail('providerOptions', 'an object', request.providerOptions);
  if (request.trackCost !== undefined) checkBoolean('trackCost', request.trackCost);
  if (request.breaker !== undefined) checkBoolean('breaker', request.breaker);
  const signal = request.signal as { aborted?: unknown; addEventListener?: unknown } | undefined;
  // Duck-typed: a polyfilled or cross-realm AbortSignal is fine.
  if (signal !== undefined && (typeof signal?.aborted !== 'boolean' || typeof signal.addEventListener !== 'function'))
    fail('signal', 'an AbortSignal', signal);
}
