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
