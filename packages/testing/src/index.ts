export { capturedEmbedRequests, capturedRequests, mockProvider } from './mock-provider.js';
export type { RecordedExchange, RecordedRequest, RecordedResponse } from './exchange.js';
export { REDACTED, SECRET_HEADERS, SECRET_QUERY_PARAMS, redactExchange, redactHeaders, redactUrl } from './redact.js';
export { replayExchanges, toHttpResponse } from './replay.js';
export type { ReplayOptions } from './replay.js';
export { recordExchanges } from './record.js';
export type { Recorder, RecordOptions } from './record.js';
export type { MockBehaviour, MockRequest } from '@switchboard/core';
