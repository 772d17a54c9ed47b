/**
 * An error the gateway itself raises (a bad body, an unknown model, a refused key, a closed
 * door): it carries the HTTP status and OpenAI's error fields, so every API surface can render it
 * in its own error body. Route modules and the keys module throw it; core's errors are mapped by
 * `openai/errors.ts`.
 */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: {
      /** OpenAI's `error.type` (`invalid_request_error`, `authentication_error`, ...). */
      type?: string;
      /** The request field at fault, OpenAI's `error.param`. */
      param?: string;
      /** OpenAI's `error.code` (`model_not_found`, `context_length_exceeded`, ...). */
      code?: string;
      /** Seconds a 429 or 503 client should wait (sent as `retry-after`). */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
  }
}
