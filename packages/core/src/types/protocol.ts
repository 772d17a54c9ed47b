/**
 * The contract between core's runtime and a wire protocol. An adapter is a set of pure functions
 * (request builder, response parser, stream decoder, error parser); the runtime owns transport,
 * auth headers, retries, cost and everything else. One adapter per protocol, driven by the
 * provider's catalog data (`ctx.descriptor.dialect`, `endpoints`, `errors`, ...).
 */
import type { ModelInfo, ProtocolId, ProviderDescriptor } from './catalog.js';
import type { ProviderSettings } from './provider.js';
import type { SwitchboardError } from '../errors/errors.js';
import type {
  CacheControl,
  FinishReason,
  GenerationOptions,
  JsonSchema,
  ListedModel,
  ReasoningBlock,
  ToolCall,
  ToolChoice,
  Usage,
} from './requests.js';

/** Everything an adapter needs to know about the call's provider and model. */
export interface CallContext {
  descriptor: ProviderDescriptor;
  settings: Readonly<ProviderSettings>;
  /** Catalog facts about the model; undefined for a model id the catalog does not list. */
  model: ModelInfo | undefined;
  /** The model id to put on the wire. */
  modelId: string;
  /** Base URL with `{placeholders}` filled, no trailing slash. */
  baseURL: string;
  /** Values of the descriptor's `params` (resolved from settings, env and defaults). */
  params: Readonly<Record<string, string>>;
  /** The API key, or undefined when the provider needs none. Never log or echo it. */
  apiKey: string | undefined;
  /** Extra environment lookups (AWS credentials for SigV4). */
  env: Readonly<Record<string, string | undefined>>;
}

/** An HTTP request as an adapter describes it; the runtime sends it. */
export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  /** Serialized body (JSON text for every protocol here). */
  body?: string;
}

/** A content part after the runtime resolved files and URLs. */
/** `cacheControl` on parts, messages and tools: a prompt-cache breakpoint (only Anthropic sends it). */
export type PreparedPart =
  | { type: 'text'; text: string; cacheControl?: CacheControl }
  | {
      type: 'image';
      /** Set when the image is a remote URL the provider may fetch itself. */
      url?: string;
      /** Base64 (no data: prefix) when the bytes are known. */
      data?: string;
      mediaType: string;
      detail?: 'auto' | 'low' | 'high';
      cacheControl?: CacheControl;
    }
  | { type: 'file'; data: string; mediaType: string; filename?: string; cacheControl?: CacheControl };

export type PreparedMessage =
  | { role: 'system'; content: string; cacheControl?: CacheControl }
  | { role: 'user'; content: PreparedPart[]; cacheControl?: CacheControl }
  | {
      role: 'assistant';
      content: string;
      toolCalls: ToolCall[];
      /** Signed reasoning of that turn, replayed first (Anthropic); other protocols ignore it. */
      reasoningBlocks?: ReasoningBlock[];
      cacheControl?: CacheControl;
    }
  | { role: 'tool'; toolCallId: string; name?: string; content: string; cacheControl?: CacheControl };

export interface PreparedTool {
  name: string;
  description?: string;
  parameters: JsonSchema;
  cacheControl?: CacheControl;
}

/** A chat request with options already checked against the catalog (unsupported ones dropped). */
export interface PreparedChatRequest extends GenerationOptions {
  messages: PreparedMessage[];
  tools: PreparedTool[];
  toolChoice?: ToolChoice;
  /** Structured output: the provider's native JSON-schema mode, or a forced tool where there is none. */
  responseFormat?: { type: 'json-schema'; name: string; schema: JsonSchema } | { type: 'json-object' };
  providerOptions: Record<string, unknown>;
  stream: boolean;
}

export interface PreparedEmbedRequest {
  input: string[];
  dimensions?: number;
  encoding: 'float' | 'base64';
  providerOptions: Record<string, unknown>;
}

/** What an adapter makes of a complete (non-streamed) chat response. */
export interface ProtocolChatResult {
  text: string;
  reasoning?: string;
  /** Signed reasoning blocks to send back in the next turn (Anthropic thinking). */
  reasoningBlocks?: ReasoningBlock[];
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage: Usage;
  id?: string;
  /** The model the provider says served the call. */
  model?: string;
  citations?: string[];
  raw: unknown;
  /** Set by core when `@switchboard/testing`'s test cache answered (see runtime/transport.ts). */
  fromCache?: 'test';
}

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
