/**
 * Chat Completions stream decoder (SSE). Handles comment lines and keep-alives (in sse.ts),
 * `[DONE]`, usage-only final chunks (`choices: []`), cumulative usage on every chunk (Perplexity),
 * usage in Groq's `x_groq.usage`, tool calls with or without `index` (Mistral sends none), a whole
 * call in one delta (Groq, xAI), empty-id preamble chunks (Azure `prompt_filter_results`) and errors
 * sent as `data: {"error": {...}}` (or `event: error`) under HTTP 200. A line that is not JSON, text
 * that is not a string, or a body that ends with neither a finish_reason nor `[DONE]` ends the stream
 * with an `invalid-response` error (`data: null` and null fields are tolerated).
 */

import type { CallContext } from '../../types/protocol.js';
import type { ProtocolStreamEvent, StreamDecoder } from '../adapter.js';
import { asArray, asRecord, asString, isRecord, parseJsonSafe } from '../shared/json.js';
import { eventObject, parseEventJson, textField } from '../shared/stream-guard.js';
import { createSseStreamDecoder, type SseMessage } from '../sse.js';
import { streamError } from './errors.js';
import { citationsOf, mapFinishReason, reasoningFields, usageOf } from './response.js';

export function streamDecoder(ctx: CallContext): StreamDecoder {
  const dialect = ctx.descriptor.dialect ?? {};
  const reasoningKeys = reasoningFields(dialect);
  let sentId = false;
  let sentModel = false;
  let citationCount = 0;
  let finished = false;
  let sawDone = false;
  // Tool calls without an index are told apart by id; a delta with neither continues the last call.
  const indexById = new Map<string, number>();
  let nextIndex = 0;
  let lastIndex = -1;

  const resolveIndex = (tc: Record<string, unknown>, position: number): number => {
    const id = asString(tc.id);
    if (typeof tc.index === 'number') {
      if (id !== undefined) indexById.set(id, tc.index);
      nextIndex = Math.max(nextIndex, tc.index + 1);
      return tc.index;
    }
    if (id !== undefined) {
      const known = indexById.get(id);
      if (known !== undefined) return known;
      const index = nextIndex++;
      indexById.set(id, index);
      return index;
    }
    return lastIndex >= 0 ? lastIndex : position;
  };

  const onMessage = (message: SseMessage, out: ProtocolStreamEvent[]): void => {
    const data = message.data.trim();
    if (data === '') return;
    if (data === '[DONE]') {
      sawDone = true;
      return;
    }
    // Errors under HTTP 200: `event: error`, or an `error` object (OpenRouter also sends `choices` with
    // finish_reason "error" next to it; the text received so far stays with the runtime).
    if (message.event === 'error') {
      out.push({ type: 'error', error: streamError(ctx, parseJsonSafe(data) ?? { error: data }, data) });
      return;
    }
    const payload = eventObject(parseEventJson(data));
    if (payload === null) return; // `data: null`: nothing to map
    if (isRecord(payload.error) || typeof payload.error === 'string') {
      out.push({ type: 'error', error: streamError(ctx, payload, data) });
      return;
    }

    const id = asString(payload.id);
    const model = asString(payload.model);
    const citations = citationsOf(payload, dialect);
    const meta: { id?: string; model?: string; citations?: string[] } = {};
    if (id !== undefined && !sentId) {
      meta.id = id;
      sentId = true;
    }
    if (model !== undefined && !sentModel) {
      meta.model = model;
      sentModel = true;
    }
    if (citations !== undefined && citations.length !== citationCount) {
      meta.citations = citations;
      citationCount = citations.length;
    }
    if (Object.keys(meta).length > 0) out.push({ type: 'metadata', ...meta });

    const choices = asArray(payload.choices);
    const choice = asRecord(
      choices.find((c) => asRecord(c).index === 0 || asRecord(c).index === undefined) ?? choices[0],
    );
    const delta = asRecord(choice.delta ?? choice.message);

    for (const key of reasoningKeys) {
      const reasoning = textField(delta[key], key);
      if (reasoning !== undefined) {
        out.push({ type: 'reasoning-delta', text: reasoning });
        break;
      }
    }
    const content = delta.content;
    if (Array.isArray(content)) {
      for (const part of content) {
        const text = textField(asRecord(part).text, 'content[].text');
        if (text !== undefined) out.push({ type: 'text-delta', text });
      }
    } else {
      const text = textField(content, 'delta.content');
      if (text !== undefined) out.push({ type: 'text-delta', text });
    }
    const refusal = textField(delta.refusal, 'delta.refusal');
    if (refusal !== undefined) out.push({ type: 'text-delta', text: refusal });

    const toolCalls = asArray(delta.tool_calls);
    toolCalls.forEach((item, position) => {
      const tc = asRecord(item);
      const fn = asRecord(tc.function);
      const index = resolveIndex(tc, position);
      lastIndex = index;
      const event: { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string } = {
        type: 'tool-call-delta',
        index,
        argumentsDelta: isRecord(fn.arguments)
          ? JSON.stringify(fn.arguments)
          : (textField(fn.arguments, 'tool_calls[].function.arguments') ?? ''),
      };
      const tcId = asString(tc.id);
      const name = textField(fn.name, 'tool_calls[].function.name');
      if (tcId !== undefined) event.id = tcId;
      if (name !== undefined) event.name = name;
      if (event.id !== undefined || event.name !== undefined || event.argumentsDelta !== '') out.push(event);
    });

    const usage = usageOf(payload);
    if (usage !== undefined) out.push({ type: 'usage', usage });

    const rawFinish = asString(choice.finish_reason);
    if (rawFinish !== undefined && !finished) {
      finished = true;
      out.push({ type: 'finish', finishReason: mapFinishReason(rawFinish), rawFinishReason: rawFinish });
    }
  };

  // Lenient end check: some servers send a finish_reason but no [DONE], others [DONE] without one.
  return createSseStreamDecoder(onMessage, undefined, {
    ctx,
    isComplete: () => finished || sawDone,
    endMarker: 'a finish_reason or [DONE]',
  });
}
