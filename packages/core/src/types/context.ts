/** Shapes shared by the context-window helpers. */
import type { ModelInfo } from './catalog.js';
import type { Message, ModelRef, TruncateOptions, TruncationStrategy } from './requests.js';

/** A model as the context helpers take it: catalog facts, or a reference resolved through `catalog`. */
export type ContextModel = ModelInfo | string;

/** Resolves string references (`sb.catalog` or `createCatalog(...)` fit). */
export interface ContextModelOptions {
  catalog?: { requireModel(ref: string): ModelInfo };
}

/**
 * The one argument shape every context helper takes: `(messages, model, { catalog, ...options })`,
 * or the same in one object, `(messages, { model, catalog, ...options })`, as `fitMessages` and
 * `prepareMessages` take it. With a catalog a string reference is resolved to its entry; without
 * one, helpers that only count tokens use the string as a tokenizer hint, and helpers that need the
 * window (`validateContext`, `contextWindow`) ask for the catalog.
 */
export type ContextModelArgument<Options extends object = object> =
  | ContextModel
  | (Options & ContextModelOptions & { model: ContextModel });

/** What {@link validateContext} reports. */
export interface ContextValidation {
  fits: boolean;
  /** Input tokens of the messages. */
  tokens: number;
  /** The input budget: the context window (or input limit) less `reserveOutput`. */
  limit: number;
  /** `limit - tokens`, never below 0. */
  available: number;
  /** `tokens - limit`, never below 0. */
  overBy: number;
  /** True when counted with the model's own tokenizer. */
  exact: boolean;
}

/** What {@link contextStats} reports. */
export interface ContextStats {
  count: number;
  tokens: number;
  byRole: Record<string, { count: number; tokens: number }>;
  averageTokens: number;
  exact: boolean;
}

/** The outcome of fitting messages to a budget. */
export interface FitResult {
  messages: Message[];
  /** Messages left out, in their original order. */
  dropped: Message[];
  tokens: number;
  limit: number;
  fits: boolean;
}

/** Something that can run a chat call (a switchboard); used to summarize dropped messages. */
export interface ChatRunner {
  chat(request: { model: ModelRef; messages: Message[]; maxTokens?: number }): Promise<{ text: string }>;
}

/** Replaces dropped messages with a summary: a function, or a model called through a switchboard. */
export type Summarizer =
  | ((dropped: Message[]) => Promise<string> | string)
  | { sb: ChatRunner; model: ModelRef; prompt?: string; maxTokens?: number };

export type { TruncateOptions, TruncationStrategy } from './requests.js';
