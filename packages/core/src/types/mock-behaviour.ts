/**
 * What the in-process `mock` protocol does, set through `ProviderSettings.mock`. Tests and demos use
 * it to exercise the whole runtime (preparation, tool loops, streaming, cost) with no network.
 */
import type { ErrorKind } from './catalog.js';
import type { PreparedChatRequest, PreparedMessage, PreparedPart } from './prepared.js';
import type { ChatResponse } from './requests.js';

/**
 * A message as a mock handler sees it: a user message keeps the content the user wrote, so a
 * string stays a string (core prepares every user message as a list of parts for the wire
 * adapters; a handler should not have to unwrap `[{ type: 'text', text }]`). A list with images or
 * files, or with a cache mark, stays a list.
 */
export type MockMessage =
  | Exclude<PreparedMessage, { role: 'user' }>
  | (Omit<Extract<PreparedMessage, { role: 'user' }>, 'content'> & { content: string | PreparedPart[] });

/**
 * A request as the mock provider received it (after core prepared it: options filtered, tools as
 * JSON Schema), plus the model id; user messages as the user sent them (see `MockMessage`).
 */
export interface MockRequest extends Omit<PreparedChatRequest, 'messages'> {
  messages: MockMessage[];
  modelId: string;
}

/** An embedding request as the mock provider received it. */
export interface MockEmbedRequest {
  modelId: string;
  input: string[];
  dimensions?: number;
}

/** A reply: plain text, or any response fields (tool calls, usage, finish reason...). */
export type MockReply = string | Partial<ChatResponse>;

/** Error the mock raises: a kind core maps to its error class, or a ready-made Error. */
export type MockError = { kind: ErrorKind; message: string; status?: number } | Error;

export interface MockBehaviour {
  /** The reply, or a function of the request (called once per model call, so tool loops can branch). */
  response?: MockReply | ((request: MockRequest) => MockReply | Promise<MockReply>);
  /** Stream these text chunks instead of splitting the reply into words. */
  chunks?: string[];
  /** Wait this long between streamed chunks. */
  chunkDelayMs?: number;
  /** Fail every call with this error (after `errorAfterChunks` chunks when streaming). */
  error?: MockError;
  /** When streaming, send this many chunks before failing with `error`. */
  errorAfterChunks?: number;
  /** Embedding vectors for the inputs; a deterministic hash-based vector by default. */
  embeddings?: (input: string[]) => number[][];
}
