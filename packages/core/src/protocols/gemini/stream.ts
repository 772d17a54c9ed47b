/**
 * streamGenerateContent decoding. With `?alt=sse` (the default endpoint) every SSE `data:` is a whole
 * GenerateContentResponse; without it Gemini streams one JSON array of them, which is decoded too.
 * Usage is cumulative on every chunk; function calls arrive whole. A chunk that is not JSON, text that
 * is not a string, or a body that ends before a candidate's finishReason ends the stream with an
 * `invalid-response` error; `data: null` and `candidates: null` (usage-only chunks) are tolerated.
 */

import type { CallContext } from '../../types/protocol.js';
import type { ProtocolStreamEvent, StreamDecoder } from '../adapter.js';
import { asArray, asRecord, asString, isRecord } from '../shared/json.js';
import {
  endedEarlyError,
  endsWithError,
  eventObject,
  failedEventError,
  parseEventJson,
  StreamContentError,
  textField,
} from '../shared/stream-guard.js';
import { createSseStreamDecoder } from '../sse.js';
import { toGeminiError } from './errors.js';
import { type GeminiPart, mapFinishReason, mapUsage, toToolCall } from './response.js';

/** Maps decoded chunks (parsed JSON, not yet checked) to events; one per call. */
function createChunkMapper(ctx: CallContext): {
  map(value: unknown, out: ProtocolStreamEvent[]): void;
  /** True once a candidate finished (or the prompt was blocked): the stream's end marker. */
  finished(): boolean;
} {
  let sentMetadata = false;
  let toolCount = 0;
  let finished = false;
  const map = (value: unknown, out: ProtocolStreamEvent[]): void => {
    const chunk = eventObject(value);
    if (chunk === null) return; // `data: null`: nothing to map
    if (chunk.error !== undefined && chunk.error !== null) {
      out.push({ type: 'error', error: toGeminiError(ctx, undefined, undefined, JSON.stringify(chunk)) });
      return;
    }
    const responseId = asString(chunk.responseId);
    const modelVersion = asString(chunk.modelVersion);
    if (!sentMetadata && (responseId !== undefined || modelVersion !== undefined)) {
      out.push({ type: 'metadata', id: responseId, model: modelVersion });
      sentMetadata = true;
    }
    // `candidates: null` (or absent) on a usage-only chunk.
    const candidates = asArray(chunk.candidates);
    const candidate = candidates.length > 0 ? asRecord(candidates[0]) : undefined;
    for (const item of asArray(asRecord(candidate?.content).parts)) {
      const part = asRecord(item);
      if (part.functionCall !== undefined && part.functionCall !== null) {
        const call = asRecord(part.functionCall);
        textField(call.name, 'functionCall.name');
        if (call.args !== undefined && call.args !== null && !isRecord(call.args)) {
          throw new StreamContentError('functionCall.args is not an object');
        }
        const index = toolCount++;
        const toolCall = toToolCall(part as GeminiPart, responseId, index);
        out.push({
          type: 'tool-call',
          index,
          id: toolCall.id,
          name: toolCall.name,
          arguments: JSON.stringify(toolCall.arguments),
        });
        continue;
      }
      const text = textField(part.text, 'parts[].text');
      if (text !== undefined) {
        out.push(part.thought === true ? { type: 'reasoning-delta', text } : { type: 'text-delta', text });
      }
    }
    if (isRecord(chunk.usageMetadata)) out.push({ type: 'usage', usage: mapUsage(chunk.usageMetadata) });
    const rawFinish = asString(candidate?.finishReason);
    const blockReason = asString(asRecord(chunk.promptFeedback).blockReason);
    if (rawFinish !== undefined) {
      finished = true;
      out.push({ type: 'finish', finishReason: mapFinishReason(rawFinish, toolCount > 0), rawFinishReason: rawFinish });
    } else if (candidate === undefined && blockReason !== undefined) {
      finished = true;
      out.push({ type: 'finish', finishReason: 'content-filter', rawFinishReason: blockReason });
    }
  };
  return { map, finished: () => finished };
}

/**
 * Splits a streamed JSON array (`[{...}\n,\r\n{...}]`) into its top-level objects as they complete,
 * tracking strings and escapes so braces inside text do not count.
 */
export function createJsonArraySplitter(): { push(text: string): string[]; end(): string[] } {
  let buffer = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let scanned = 0;
  return {
    push(text) {
      buffer += text;
      const done: string[] = [];
      for (let i = scanned; i < buffer.length; i++) {
        const c = buffer[i];
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') inString = true;
        else if (c === '{') {
          if (depth === 0) start = i;
          depth++;
        } else if (c === '}') {
          depth--;
          if (depth === 0 && start >= 0) {
            done.push(buffer.slice(start, i + 1));
            start = -1;
          }
        }
      }
      if (depth === 0) {
        buffer = '';
        scanned = 0;
      } else {
        buffer = buffer.slice(start);
        start = 0;
        scanned = buffer.length;
      }
      return done;
    },
    end() {
      buffer = '';
      return [];
    },
  };
}

const END_MARKER = 'a candidate with a finishReason';

export function createGeminiStreamDecoder(ctx: CallContext): StreamDecoder {
  const chunks = createChunkMapper(ctx);
  const sse = createSseStreamDecoder(
    (message, out) => {
      if (message.data.trim() !== '') chunks.map(parseEventJson(message.data), out);
    },
    undefined,
    { ctx, isComplete: chunks.finished, endMarker: END_MARKER },
  );
  const textDecoder = new TextDecoder();
  const array = createJsonArraySplitter();
  let mode: 'unknown' | 'sse' | 'json' = 'unknown';
  let pending: Uint8Array[] = [];
  let failed = false;

  // JSON-array mode: the same guard as SSE messages get (see createSseStreamDecoder).
  const fromJson = (texts: string[]): ProtocolStreamEvent[] => {
    const out: ProtocolStreamEvent[] = [];
    if (failed) return out;
    for (const text of texts) {
      const before = out.length;
      try {
        chunks.map(parseEventJson(text), out);
      } catch (error) {
        out.length = before;
        out.push(failedEventError(ctx, error, text));
      }
      if (endsWithError(out, before)) {
        failed = true;
        break;
      }
    }
    return out;
  };

  return {
    push(chunk) {
      if (mode === 'sse') return sse.push(chunk);
      if (mode === 'json') return fromJson(array.push(textDecoder.decode(chunk, { stream: true })));
      // Decide from the first non-blank character: `[` or `{` is a JSON array (no alt=sse), else SSE.
      pending.push(chunk);
      const head = new TextDecoder().decode(Buffer.concat(pending)).trimStart();
      if (head.length === 0) return [];
      const buffered = pending;
      pending = [];
      if (head.startsWith('[') || head.startsWith('{')) {
        mode = 'json';
        return fromJson(buffered.flatMap((c) => array.push(textDecoder.decode(c, { stream: true }))));
      }
      mode = 'sse';
      return buffered.flatMap((c) => sse.push(c));
    },
    end() {
      if (mode === 'json') {
        const out = fromJson(array.push(textDecoder.decode()));
        if (!failed && !chunks.finished()) out.push(endedEarlyError(ctx, END_MARKER));
        return out;
      }
      if (mode === 'unknown') {
        mode = 'sse';
        const out = pending.flatMap((c) => sse.push(c));
        pending = [];
        return [...out, ...sse.end()];
      }
      return sse.end();
    },
  };
}
