/** A request after core prepared it for a protocol: what every adapter builds its body from. */
import type { CacheControl, GenerationOptions, JsonSchema, ReasoningBlock, ToolCall, ToolChoice } from './requests.js';

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
