/**
 * The recorded form of one HTTP exchange with a provider: what was sent and what came back. Stored
 * as JSON fixtures; replayed through MSW in contract tests.
 */

export interface RecordedRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body?: unknown;
}

export interface RecordedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON body. */
  body?: unknown;
  /** A text body (NDJSON, SSE, an error page). */
  bodyText?: string;
  /** A body sent in these pieces, in order (streams: keeps the chunk boundaries the provider used). */
  chunks?: string[];
  /** A binary body (AWS event-stream), base64. */
  bodyBase64?: string;
}

export interface RecordedExchange {
  request: RecordedRequest;
  response: RecordedResponse;
}
