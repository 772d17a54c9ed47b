/**
 * `prepareMessages`: fits a conversation to a model's window and, when asked, replaces what was
 * dropped with a summary (written by a function of yours or by a model through a switchboard).
 */

import type { Summarizer } from '../../types/context.js';
import type { Message } from '../../types/requests.js';
import { type FitOptions, fitMessages } from './fit-messages.js';

/** Options of {@link prepareMessages}. */
export interface PrepareMessagesOptions extends FitOptions {
  /** Summarize the dropped messages into one message placed where they were. */
  summarize?: Summarizer;
  /** Tokens set aside for the summary (default 512). */
  summaryTokens?: number;
  /** Role of the summary message (default `system`). */
  summaryRole?: 'system' | 'user';
}

const DEFAULT_PROMPT =
  'Summarize the following conversation excerpt in a few sentences. Keep names, decisions, numbers and open questions.';

function transcript(messages: readonly Message[]): string {
  return messages
    .map((message) => {
      const content = message.content;
      const text =
        typeof content === 'string'
          ? content
          : content === null
            ? ''
            : content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join(' ');
      const calls =
        message.role === 'assistant' && message.toolCalls?.length
          ? ` [called ${message.toolCalls.map((call) => call.name).join(', ')}]`
          : '';
      return `${message.role}: ${text}${calls}`;
    })
    .join('\n');
}

async function summarizeDropped(summarize: Summarizer, dropped: Message[], maxTokens: number): Promise<string> {
  if (typeof summarize === 'function') return summarize(dropped);
  const res = await summarize.sb.chat({
    model: summarize.model,
    maxTokens: summarize.maxTokens ?? maxTokens,
    messages: [
      { role: 'system', content: summarize.prompt ?? DEFAULT_PROMPT },
      { role: 'user', content: transcript(dropped) },
    ],
  });
  return res.text;
}

/**
 * Returns messages that fit the model's window (see `fitMessages` for the strategies). With
 * `summarize`, the dropped middle becomes one message, `Summary of N earlier messages: ...`, and
 * further old messages are dropped if the summary itself does not fit.
 */
export async function prepareMessages(
  messages: readonly Message[],
  options: PrepareMessagesOptions,
): Promise<Message[]> {
  if (options.summarize === undefined) return fitMessages(messages, options).messages;
  const summaryTokens = options.summaryTokens ?? 512;
  const first = fitMessages(messages, options);
  if (first.dropped.length === 0) return first.messages;
  const budget = first.limit - summaryTokens;
  const fitted = fitMessages(messages, { ...options, maxTokens: Math.max(0, budget) });
  const text = (await summarizeDropped(options.summarize, fitted.dropped, summaryTokens)).trim();
  if (text === '') return fitted.messages;
  const summary: Message = {
    role: options.summaryRole ?? 'system',
    content: `Summary of ${fitted.dropped.length} earlier messages: ${text}`,
  };
  // Put the summary where the dropped messages were: before the first kept message that came after them.
  const firstDropped = messages.indexOf(fitted.dropped[0] as Message);
  const at = fitted.messages.findIndex((message) => messages.indexOf(message) > firstDropped);
  const withSummary = [...fitted.messages];
  withSummary.splice(at === -1 ? withSummary.length : at, 0, summary);
  return fitMessages(withSummary, { ...options, maxTokens: first.limit }, new Set([summary])).messages;
}
