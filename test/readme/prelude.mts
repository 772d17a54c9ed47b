/**
 * What the README's examples assume the reader already has: the switchboard from the quick start,
 * the providers, a message list, the library functions they call without repeating the import, and
 * the reader's own helpers (`lookup`, `vault`, `items`, ...). Declared with the library's real types,
 * so an example that misuses an API still fails; only the reader's own values are loosely typed.
 * Compiled with the snippets by `readme-snippets.test.ts`; never run. A `.mts` file so the test
 * project (`test/tsconfig.json`, which includes every `.ts` file) does not see these globals.
 */
import type * as core from '@switchboard/core';
import type { anthropic as anthropicProvider } from '@switchboard/provider-anthropic';
import type { gemini as geminiProvider } from '@switchboard/provider-gemini';
import type { openai as openaiProvider } from '@switchboard/provider-openai';
import type { ZodType } from 'zod';

declare global {
  // The providers and switchboard of the quick start.
  const openai: typeof openaiProvider;
  const anthropic: typeof anthropicProvider;
  const gemini: typeof geminiProvider;
  const providers: readonly [typeof openaiProvider, typeof anthropicProvider, typeof geminiProvider];
  const sb: core.Switchboard<readonly [typeof openaiProvider, typeof anthropicProvider, typeof geminiProvider]>;

  // Library functions the README calls without repeating their import.
  const createSwitchboard: typeof core.createSwitchboard;
  const visionMessage: typeof core.visionMessage;
  const findSimilar: typeof core.findSimilar;
  const maskKey: typeof core.maskKey;
  const saveConfigFile: typeof core.saveConfigFile;
  const Session: typeof core.Session;
  const loadSession: typeof core.loadSession;
  const countMessageTokens: typeof core.countMessageTokens;
  const validateContext: typeof core.validateContext;
  const prepareMessages: typeof core.prepareMessages;
  const defineTemplate: typeof core.defineTemplate;
  const extractCodeBlocks: typeof core.extractCodeBlocks;
  const parseMarkdownSections: typeof core.parseMarkdownSections;
  const extractJson: typeof core.extractJson;
  const createLogger: typeof core.createLogger;
  const tool: typeof core.tool;
  const assistantMessage: typeof core.assistantMessage;

  // The reader's own values.
  const messages: core.Message[];
  /** A response from an earlier example. */
  const res: core.ChatResponse;
  /** A long document and a question about it (the prompt-caching example). */
  const manual: string;
  const ask: core.UserMessage;
  const request: core.ChatRequest;
  const requests: core.ChatRequest[];
  const items: { id: string; embedding: number[] }[];
  const store: core.Store;
  const path: string;
  const apiKey: string;
  const encryptionKey: string;
  const code: string;
  const text: string;
  const schema: ZodType;
  const out: NodeJS.WritableStream;
  function lookup(city: string): Promise<string>;
  const vault: { read(path: string): Promise<string> };
}
