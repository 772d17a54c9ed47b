/**
 * The contract every protocol implements (request building, response parsing, stream decoding,
 * error mapping). It lives with the protocols, above the error classes its methods return.
 */

import type { SwitchboardError } from '../errors/errors.js';
import type { ProtocolId } from '../types/catalog.js';
import type {
  CallContext,
  HttpRequestSpec,
  PreparedChatRequest,
  PreparedEmbedRequest,
  ProtocolChatResult,
} from '../types/protocol.js';
import type { FinishReason, ListedModel, ReasoningBlock, Usage } from '../types/requests.js';

/** Events a stream decoder yields; the runtime accumulates them into the public stream. */
export type ProtocolStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'reasoning-delta'; text: string }
  /** A finished signed reasoning block (its text also came as reasoning-delta events). */
  | { type: 'reasoning-block'; block: ReasoningBlock }
  /** Part of a tool call. `index` identifies the call; `id`/`name` arrive on the first delta (or all). */
  | { type: 'tool-call-delta'; index: number; id?: string; name?: string; argumentsDelta: string }
  /** A call that arrived whole (Gemini, some OpenAI-compatible servers). */
  | { type: 'tool-call'; index: number; id: string; name: string; arguments: string }
  /** Usage so far: later events replace earlier values field by field (cumulative usage is fine). */
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason?: string }
  | { type: 'metadata'; id?: string; model?: string; citations?: string[] }
  /** An error the provider sent inside a 200 stream. */
  | { type: 'error'; error: SwitchboardError };

/** Turns response bytes into events. Created per call; keeps its own buffer. */
export interface StreamDecoder {
  push(chunk: Uint8Array): ProtocolStreamEvent[];
  /** Flushes what is left when the body ends. */
  end(): ProtocolStreamEvent[];
}

export interface ProtocolAdapter {
  readonly id: ProtocolId;
  chatRequest(ctx: CallContext, request: PreparedChatRequest): HttpRequestSpec;
  parseChat(ctx: CallContext, body: unknown): ProtocolChatResult;
  streamDecoder(ctx: CallContext): StreamDecoder;
  embedRequest?(ctx: CallContext, request: PreparedEmbedRequest): HttpRequestSpec;
  parseEmbed?(
    ctx: CallContext,
    body: unknown,
    request: PreparedEmbedRequest,
  ): { embeddings: number[][]; inputTokens: number; raw: unknown };
  listModelsRequest?(ctx: CallContext): HttpRequestSpec;
  parseModels?(ctx: CallContext, body: unknown): ListedModel[];
  /**
   * The request for the next page of the models list, or undefined when `body` was the last page.
   * `previous` is the request (as this adapter built it) that returned `body`. The runtime follows
   * pages up to a bound (see call-engine.ts), so a provider that pages (Gemini) lists every model.
   */
  nextModelsRequest?(ctx: CallContext, body: unknown, previous: HttpRequestSpec): HttpRequestSpec | undefined;
  /** Maps an error response (status, headers, body text) to a core error, using `ctx.descriptor.errors` first. */
  parseError(ctx: CallContext, status: number, headers: Headers, bodyText: string): SwitchboardError;
  /** Adds auth that is more than a header (AWS SigV4). Runs last, after headers are final. */
  sign?(ctx: CallContext, request: HttpRequestSpec): Promise<HttpRequestSpec>;
}
