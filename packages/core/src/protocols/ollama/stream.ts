/**
 * NDJSON stream decoding for /api/chat: one JSON object per line, lines split anywhere across
 * chunks (UTF-8 code points too). Content and thinking arrive as deltas, tool calls whole, and the
 * final `done: true` line carries `done_reason` and the token counts.
 */
import { ProviderError } from '../../runtime/errors.js';
import { asNumber, asRecord, asString, isRecord, parseJsonSafe } from '../shared/index.js';
import type { CallContext, ProtocolStreamEvent, StreamDecoder } from '../types.js';
import { ollamaStreamError } from './errors.js';
import { mapDoneReason, ollamaToolCalls, ollamaUsage } from './response.js';

export function createOllamaStreamDecoder(ctx: CallContext): StreamDecoder {
  const decoder = new TextDecoder();
  let pending = '';
  let toolIndex = 0;
  let finished = false;
  let errored = false;

  const line = (text: string): ProtocolStreamEvent[] => {
    const trimmed = text.trim();
    if (trimmed === '') return [];
    const parsed = parseJsonSafe(trimmed);
    if (!isRecord(parsed)) {
      errored = true;
      return [
        {
          type: 'error',
          error: new ProviderError(`Ollama stream: a line is not JSON: ${trimmed.slice(0, 200)}`, {
            provider: ctx.descriptor.id,
            model: ctx.modelId,
          }),
        },
      ];
    }
    if (parsed.error !== undefined) {
      errored = true;
      return [{ type: 'error', error: ollamaStreamError(ctx, parsed, trimmed) }];
    }
    const events: ProtocolStreamEvent[] = [];
    const message = asRecord(parsed.message);
    const thinking = asString(message.thinking);
    if (thinking !== undefined) events.push({ type: 'reasoning-delta', text: thinking });
    const content = asString(message.content);
    if (content !== undefined) events.push({ type: 'text-delta', text: content });
    for (const call of ollamaToolCalls(parsed, toolIndex)) {
      events.push({
        type: 'tool-call',
        index: toolIndex++,
        id: call.id,
        name: call.name,
        arguments: JSON.stringify(call.arguments),
      });
    }
    if (parsed.done === true) {
      finished = true;
      const model = asString(parsed.model);
      if (model !== undefined) events.push({ type: 'metadata', model });
      if (asNumber(parsed.prompt_eval_count) !== undefined || asNumber(parsed.eval_count) !== undefined) {
        events.push({ type: 'usage', usage: ollamaUsage(parsed) });
      }
      const raw = asString(parsed.done_reason);
      const finishReason = mapDoneReason(raw, toolIndex > 0);
      events.push(
        raw === undefined ? { type: 'finish', finishReason } : { type: 'finish', finishReason, rawFinishReason: raw },
      );
    }
    return events;
  };

  const drain = (final: boolean): ProtocolStreamEvent[] => {
    const events: ProtocolStreamEvent[] = [];
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      events.push(...line(pending.slice(0, newline)));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    if (final && pending !== '') {
      events.push(...line(pending));
      pending = '';
    }
    return events;
  };

  return {
    push(chunk) {
      pending += decoder.decode(chunk, { stream: true });
      return drain(false);
    },
    end() {
      pending += decoder.decode();
      const events = drain(true);
      if (!finished && !errored) {
        // No done line: keep what arrived, say why it stopped.
        events.push({ type: 'finish', finishReason: 'other' });
      }
      return events;
    },
  };
}
