export type { MockBehaviour, MockRequest } from '@switchboard/core';
export type { RecordedExchange, RecordedRequest, RecordedResponse } from './exchange.js';
export { capturedEmbedRequests, capturedRequests, mockProvider } from './mock-provider.js';
export type { Recorder, RecordOptions } from './record.js';
export { recordExchanges } from './record.js';
export {
  REDACTED,
  redactExchange,
  redactHeaders,
  redactUrl,
  SECRET_HEADERS,
  SECRET_QUERY_PARAMS,
  scrubBinary,
} from './redact.js';
export type { Difference, ReplayRequest } from './replay/differences.js';
export { requestDifferences } from './replay/differences.js';
export { loadExchanges, parseExchanges, saveExchanges, sourceOf } from './replay/exchange-store.js';
export type { ReplayEngine } from './replay/replay-engine.js';
export { createReplayEngine, replayRequest } from './replay/replay-engine.js';
export type { FieldPattern } from './replay/request-body.js';
export { canonicalJson, fieldPatterns, STREAM_OPTIONS_FIELDS, VOLATILE_FIELDS } from './replay/request-body.js';
export type { ResponseParts } from './replay/response-parts.js';
export { responseParts } from './replay/response-parts.js';
export type { InstalledReplay, ReplayDispatcher } from './replay/undici-door.js';
export { installReplay, replayDispatcher, replayInterceptor } from './replay/undici-door.js';
export { UnmatchedRequestError } from './replay/unmatched-error.js';
export type { MswReplayOptions, ReplayOptions } from './replay.js';
export { replayExchanges, toHttpResponse } from './replay.js';
export { TEST_CACHE_VARIABLE, type TestCacheMode, testCacheMode } from './test-cache/cache-mode.js';
export { entryPath, providerOfUrl, type TestIdentity } from './test-cache/entry-path.js';
export {
  type CleanResult,
  cleanTestCache,
  DEFAULT_TEST_CACHE_DIR,
  LAST_RUN_FILE,
  type LastRun,
  readLastRun,
  TEST_CACHE_DIR_VARIABLE,
  testCacheDir,
} from './test-cache/last-run.js';
export {
  createTestCache,
  TEST_CACHE_HEADER,
  type TestCache,
  TestCacheMissError,
  type TestCacheOptions,
  type TestCacheStats,
} from './test-cache/test-cache.js';
