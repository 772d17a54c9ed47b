/**
 * NDJSON stream decoding for /api/chat: one JSON object per line, lines split anywhere across
 * chunks (UTF-8 code points too). Content and thinking arrive as deltas, tool calls whole, and the
 * final `done: true` line carries `done_reason` and the token counts. A line that is not JSON, text
 * that is not a string, or a body that ends before the `done: true` line ends the stream with an
 * `invalid-response` error after the events of the lines before it; `null` lines are tolerated.
 */

import type { CallContext } from '../../types/protocol.js';
import type { ProtocolStreamEvent, StreamDecoder } from '../adapter.js';
import { asNumber, asRecord, asString } from '../shared/index.js';
import {
  endedEarlyError,
  endsWithError,
  eventObject,
  failedEventError,
  parseEventJson,
  textField,
} from '../shared/stream-guard.js';
import { ollamaStreamError } from './errors.js';
import { mapDoneReason, ollamaToolCalls, ollamaUsage } from './response.js';

export function createOllamaStreamDecoder(ctx: CallContext): StreamDecoder {
  const decoder = new TextDecoder();
  let pending = '';
  let toolIndex = 0;
  let finished = false;
  let failed = false;

  /** Maps one line (throws StreamContentError on a line it cannot accept; the guard reports it). */
  const mapLine = (trimmed: string, events: ProtocolStreamEvent[]): void => {
    const parsed = eventObject(parseEventJson(trimmed));
    if (parsed === null) return; // a `null` line: nothing to map
    if (parsed.error !== undefined && parsed.error !== null) {
      events.push({ type: 'error', error: ollamaStreamError(ctx, parsed, trimmed) });
      return;
    }
    const message = asRecord(parsed.message);
    const thinking = textField(message.thinking, 'message.thinking');
    if (thinking !== undefined) events.push({ type: 'reasoning-delta', text: thinking });
    const content = textField(message.content, 'message.content');
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
  };

  /** One line, guarded: its events, or the error that ends the stream (after the lines before it). */
  const line = (text: string, events: ProtocolStreamEvent[]): void => {
    const trimmed = text.trim();
    if (trimmed === '') return;
    const before = events.length;
    try {
      mapLine(trimmed, events);
    } catch (error) {
      events.length = before;
      events.push(failedEventError(ctx, error, trimmed));
    }
    if (endsWithError(events, before)) failed = true;
  };

  const drain = (final: boolean): ProtocolStreamEvent[] => {
    const events: ProtocolStreamEvent[] = [];
    let newline = pending.indexOf('\n');
    while (newline >= 0 && !failed) {
      line(pending.slice(0, newline), events);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    if (final && pending !== '' && !failed) line(pending, events);
    if (final || failed) pending = '';
    return events;
  };

  return {
    push(chunk) {
      if (failed) return [];
      pending += decoder.decode(chunk, { stream: true });
      return drain(false);
    },
    end() {
      if (failed) return [];
      pending += decoder.decode();
      const events = drain(true);
      // No `done: true` line: the body was cut (cleanly) before the end; say so instead of finishing.
      if (!finished && !failed) events.push(endedEarlyError(ctx, 'the done line'));
      return events;
    },
  };
}
