/**
 * The contract between core's runtime and a wire protocol. An adapter is a set of pure functions
 * (request builder, response parser, stream decoder, error parser); the runtime owns transport,
 * auth headers, retries, cost and everything else. One adapter per protocol, driven by the
 * provider's catalog data (`ctx.descriptor.dialect`, `endpoints`, `errors`, ...).
 */
import type { ModelInfo, ProtocolId, ProviderDescriptor } from './catalog.js';
import type { ProviderSettings } from './provider.js';
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

export type {
  PreparedChatRequest,
  PreparedEmbedRequest,
  PreparedMessage,
  PreparedPart,
  PreparedTool,
} from './prepared.js';
