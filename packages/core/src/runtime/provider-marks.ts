/**
 * Checks the provider-specific marks a chat request may carry before anything is sent: prompt-cache
 * breakpoints (`cacheControl` on messages, content parts and tools) and replayed reasoning blocks
 * (`reasoningBlocks` on assistant messages). A bad mark is refused naming its field, since the
 * provider's own 400 would name a wire path the caller never wrote; more than four breakpoints is
 * refused too (Anthropic's limit). For a protocol that takes no breakpoints the marks are dropped
 * with one warning, as unsupported generation options are (`option-support.ts`).
 *
 * The usual request (no marks) costs a few property reads per message and tool.
 */
import type { ProtocolId } from '../types/catalog.js';
import type { ChatRequest, ToolDefinition } from '../types/requests.js';
import { fail, isRecord, RequestValidationError } from './validate-field.js';

/** Anthropic accepts at most this many `cache_control` breakpoints in one request. */
export const MAX_CACHE_BREAKPOINTS = 4;

/** Protocols that send `cacheControl` marks on the wire. */
const CACHE_PROTOCOLS: ReadonlySet<ProtocolId> = new Set<ProtocolId>(['anthropic-messages']);

function checkCacheControl(value: unknown, field: string, marks: string[]): void {
  if (value === undefined) return;
  if (!isRecord(value) || value.type !== 'ephemeral')
    fail(field, "a cache breakpoint { type: 'ephemeral', ttl?: '5m' | '1h' }", value);
  if (value.ttl !== undefined && value.ttl !== '5m' && value.ttl !== '1h')
    fail(`${field}.ttl`, "'5m' or '1h'", value.ttl);
  marks.push(field);
}

function checkReasoningBlocks(value: unknown, field: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(field, 'an array of reasoning blocks (res.reasoningBlocks)', value);
  for (let index = 0; index < value.length; index++) {
    const block: unknown = value[index];
    const path = `${field}[${index}]`;
    if (isRecord(block) && block.type === 'thinking') {
      if (typeof block.thinking !== 'string') fail(`${path}.thinking`, 'a string', block.thinking);
      if (typeof block.signature !== 'string') fail(`${path}.signature`, 'a string', block.signature);
    } else if (isRecord(block) && block.type === 'redacted-thinking') {
      if (typeof block.data !== 'string') fail(`${path}.data`, 'a string', block.data);
    } else
      fail(path, "a { type: 'thinking', thinking, signature } or { type: 'redacted-thinking', data } block", block);
  }
}

/**
 * Validates every mark of `request` (its `tools` already listed) and, when the provider's protocol
 * does not send cache breakpoints, records that they were dropped in `warnings`. Custom providers
 * (`provider` undefined) receive the request as it is and get no warning.
 */
export function checkProviderMarks(
  request: ChatRequest,
  tools: readonly ToolDefinition[],
  provider: { id: string; protocol: ProtocolId } | undefined,
  warnings: string[],
): void {
  const marks: string[] = [];
  const messages = request.messages;
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as unknown as Record<string, unknown>;
    const content = message.content;
    if (message.cacheControl !== undefined)
      checkCacheControl(message.cacheControl, `messages[${index}].cacheControl`, marks);
    if (message.reasoningBlocks !== undefined)
      checkReasoningBlocks(message.reasoningBlocks, `messages[${index}].reasoningBlocks`);
    if (!Array.isArray(content)) continue;
    for (let part = 0; part < content.length; part++) {
      const mark = (content[part] as { cacheControl?: unknown } | null)?.cacheControl;
      if (mark !== undefined) checkCacheControl(mark, `messages[${index}].content[${part}].cacheControl`, marks);
    }
  }
  for (const tool of tools) {
    if (tool.cacheControl !== undefined) checkCacheControl(tool.cacheControl, `tools.${tool.name}.cacheControl`, marks);
  }
  if (marks.length === 0) return;
  if (marks.length > MAX_CACHE_BREAKPOINTS)
    throw new RequestValidationError(
      marks[MAX_CACHE_BREAKPOINTS] as string,
      `is cache breakpoint ${MAX_CACHE_BREAKPOINTS + 1}: at most ${MAX_CACHE_BREAKPOINTS} per request (found ${marks.length}: ${marks.join(', ')})`,
    );
  if (provider !== undefined && !CACHE_PROTOCOLS.has(provider.protocol))
    warnings.push(
      `Dropped option 'cacheControl': not supported by provider '${provider.id}' (no prompt-cache breakpoints)`,
    );
}
