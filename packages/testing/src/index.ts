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
export type { ReplayOptions } from './replay.js';
export { replayExchanges, toHttpResponse } from './replay.js';
