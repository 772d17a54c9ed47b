/**
 * streamGenerateContent decoding. With `?alt=sse` (the default endpoint) every SSE `data:` is a whole
 * GenerateContentResponse; without it Gemini streams one JSON array of them, which is decoded too.
 * Usage is cumulative on every chunk; function calls arrive whole.
 */
import { createSseStreamDecoder } from '../sse.js';
import type { CallContext, ProtocolStreamEvent, StreamDecoder } from '../types.js';
import { toGeminiError } from './errors.js';
import { type GeminiResponse, mapFinishReason, mapUsage, toToolCall } from './response.js';

/** Maps decoded chunks to events; one per call. */
function createChunkMapper(ctx: CallContext): (chunk: GeminiResponse, out: ProtocolStreamEvent[]) => void {
  let sentMetadata = false;
  let toolCount = 0;
  return (chunk, out) => {
    if (chunk.error !== undefined) {
      out.push({ type: 'error', error: toGeminiError(ctx, undefined, undefined, JSON.stringify(chunk)) });
      return;
    }
    if (!sentMetadata && (chunk.responseId !== undefined || chunk.modelVersion !== undefined)) {
      out.push({ type: 'metadata', id: chunk.responseId, model: chunk.modelVersion });
      sentMetadata = true;
    }
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.functionCall !== undefined) {
        const index = toolCount++;
        const call = toToolCall(part, chunk.responseId, index);
        out.push({ type: 'tool-call', index, id: call.id, name: call.name, arguments: JSON.stringify(call.arguments) });
      } else if (part.text) {
        out.push(
          part.thought === true
            ? { type: 'reasoning-delta', text: part.text }
            : { type: 'text-delta', text: part.text },
        );
      }
    }
    if (chunk.usageMetadata !== undefined) out.push({ type: 'usage', usage: mapUsage(chunk.usageMetadata) });
    if (candidate?.finishReason !== undefined) {
      out.push({
        type: 'finish',
        finishReason: mapFinishReason(candidate.finishReason, toolCount > 0),
        rawFinishReason: candidate.finishReason,
      });
    } else if (candidate === undefined && chunk.promptFeedback?.blockReason !== undefined) {
      out.push({ type: 'finish', finishReason: 'content-filter', rawFinishReason: chunk.promptFeedback.blockReason });
    }
  };
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

export function createGeminiStreamDecoder(ctx: CallContext): StreamDecoder {
  const map = createChunkMapper(ctx);
  const sse = createSseStreamDecoder((message, out) => {
    let chunk: GeminiResponse;
    try {
      chunk = JSON.parse(message.data) as GeminiResponse;
    } catch {
      return;
    }
    map(chunk, out);
  });
  const textDecoder = new TextDecoder();
  const array = createJsonArraySplitter();
  let mode: 'unknown' | 'sse' | 'json' = 'unknown';
  let pending: Uint8Array[] = [];

  const fromJson = (texts: string[]): ProtocolStreamEvent[] => {
    const out: ProtocolStreamEvent[] = [];
    for (const text of texts) {
      try {
        map(JSON.parse(text) as GeminiResponse, out);
      } catch {
        // an unparsable element: skip it, keep the rest of the stream
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
      const chunks = pending;
      pending = [];
      if (head.startsWith('[') || head.startsWith('{')) {
        mode = 'json';
        return fromJson(chunks.flatMap((c) => array.push(textDecoder.decode(c, { stream: true }))));
      }
      mode = 'sse';
      return chunks.flatMap((c) => sse.push(c));
    },
    end() {
      if (mode === 'json') return fromJson(array.push(textDecoder.decode()));
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
