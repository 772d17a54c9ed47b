/**
 * Cuts a conversation down to a token budget. Messages move in groups so that an assistant message
 * with tool calls is never separated from the tool results that answer it (providers reject a
 * result without its call, and a call without its result).
 */

import type { ModelInfo } from '../../types/catalog.js';
import type { ContextModel, ContextModelOptions, FitResult, TruncateOptions } from '../../types/context.js';
import type { Message } from '../../types/requests.js';
import { CHAT_REPLY_PRIMING_TOKENS } from '../tokens.js';
import { defaultOutputReserve, inputBudget, resolveContextModel } from './context-window.js';
import { messageTokens } from './message-tokens.js';

/** Options of {@link fitMessages}. */
export interface FitOptions extends TruncateOptions, ContextModelOptions {
  model: ContextModel;
}

interface Group {
  start: number;
  end: number; // exclusive
  tokens: number;
}

/** Splits messages into groups: a tool message joins the group before it (its assistant call). */
export function groupMessages(messages: readonly Message[]): { start: number; end: number }[] {
  const groups: { start: number; end: number }[] = [];
  messages.forEach((message, index) => {
    const last = groups.at(-1);
    if (message.role === 'tool' && last !== undefined) last.end = index + 1;
    else groups.push({ start: index, end: index + 1 });
  });
  return groups;
}

/** Default number of last messages always kept. */
export function defaultPreserve(strategy: TruncateOptions['strategy']): number {
  return strategy === 'sliding-window' ? 1 : 4;
}

/**
 * Fits messages to the budget (see {@link TruncateOptions}); returns them unchanged when they fit.
 * The budget is `maxTokens`, else the window less `reserveOutput`, which defaults to the model's
 * max output capped at 25 % of the window ({@link defaultOutputReserve}).
 * The pinned parts (system messages, the first user message for `smart`, the last N messages) are
 * kept even when they alone exceed the budget: the result then says `fits: false`.
 */
export function fitMessages(
  messages: readonly Message[],
  options: FitOptions,
  pinned?: ReadonlySet<Message>,
): FitResult {
  const model: ModelInfo = resolveContextModel(options.model, options);
  const strategy = options.strategy ?? 'smart';
  const limit = options.maxTokens ?? inputBudget(model, options.reserveOutput ?? defaultOutputReserve(model));
  const groups: Group[] = groupMessages(messages).map(({ start, end }) => {
    let tokens = 0;
    for (let i = start; i < end; i += 1) tokens += messageTokens(messages[i] as Message, model);
    return { start, end, tokens };
  });
  const total = groups.reduce((sum, group) => sum + group.tokens, CHAT_REPLY_PRIMING_TOKENS);
  if (total <= limit) return { messages: [...messages], dropped: [], tokens: total, limit, fits: true };

  const keep = new Set<Group>();
  for (const group of groups) {
    const first = messages[group.start] as Message;
    if (first.role === 'system' || pinned?.has(first)) keep.add(group);
  }
  if (strategy === 'smart') {
    const firstUser = groups.find((group) => (messages[group.start] as Message).role === 'user');
    if (firstUser !== undefined) keep.add(firstUser);
  }
  const preserve = Math.max(0, options.preserveMessages ?? defaultPreserve(strategy));
  let tailCount = 0;
  for (let g = groups.length - 1; g >= 0 && tailCount < preserve; g -= 1) {
    const group = groups[g] as Group;
    keep.add(group);
    tailCount += group.end - group.start;
  }

  let used = CHAT_REPLY_PRIMING_TOKENS;
  for (const group of keep) used += group.tokens;
  // Newest first: keep contiguous recent history, stop at the first group that does not fit.
  for (let g = groups.length - 1; g >= 0; g -= 1) {
    const group = groups[g] as Group;
    if (keep.has(group)) continue;
    if (used + group.tokens > limit) break;
    keep.add(group);
    used += group.tokens;
  }
  if (strategy === 'sliding-window') {
    // Providers such as Anthropic want the first turn after the system prompt to be the user's.
    for (const group of groups) {
      if (!keep.has(group)) continue;
      const first = messages[group.start] as Message;
      if (first.role === 'system') continue;
      if (first.role === 'user' || inPreservedTail(group, groups, preserve)) break;
      keep.delete(group);
      used -= group.tokens;
    }
  }

  const kept: Message[] = [];
  const dropped: Message[] = [];
  for (const group of groups)
    for (let i = group.start; i < group.end; i += 1) (keep.has(group) ? kept : dropped).push(messages[i] as Message);
  return { messages: kept, dropped, tokens: used, limit, fits: used <= limit };
}

/** True when the group belongs to the preserved tail (never dropped). */
function inPreservedTail(group: Group, groups: readonly Group[], preserve: number): boolean {
  let count = 0;
  for (let g = groups.length - 1; g >= 0 && count < preserve; g -= 1) {
    if (groups[g] === group) return true;
    count += (groups[g] as Group).end - (groups[g] as Group).start;
  }
  return false;
}
