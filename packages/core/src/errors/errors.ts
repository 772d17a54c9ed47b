import type { ErrorKind } from '../types/catalog.js';
import type { ChatResponse } from '../types/requests.js';

export interface SwitchboardErrorOptions {
  provider?: string;
  model?: string;
  status?: number;
  requestId?: string;
  retryable?: boolean;
  /** Milliseconds the provider asked us to wait (429s, overload). */
  retryAfterMs?: number;
  /** The provider's error code or type (`invalid_api_key`, `RESOURCE_EXHAUSTED`). */
  code?: string;
  /** The parsed error body, with any secret removed. */
  body?: unknown;
  cause?: unknown;
}

/** Kinds worth retrying by default; a provider's `x-should-retry` or the catalog may override. */
const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set([
  'rate-limit',
  'timeout',
  'network',
  'provider',
  'invalid-response',
]);

/**
 * Base class of every error Switchboard throws. `kind` is stable across providers so callers can
 * branch on it; the message never contains an API key.
 */
export class SwitchboardError extends Error {
  override name = 'SwitchboardError';
  readonly kind: ErrorKind;
  readonly provider?: string;
  readonly model?: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly code?: string;
  readonly body?: unknown;
  /**
   * What a stream (or structured-output run) had received when it failed, so callers never lose text
   * they already paid for. Set by the runtime.
   */
  partial?: ChatResponse;
  /**
   * Every attempt of the call, when this error ended a call that had several targets (a `fallback`
   * chain or a model group): each target's last attempt says why the call left it or stayed
   * (`fallback`). Set by the fallback stage.
   */
  attempts?: ChatResponse['attempts'];

  constructor(kind: ErrorKind, message: string, options: SwitchboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.provider = options.provider;
    this.model = options.model;
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryable = options.retryable ?? RETRYABLE_KINDS.has(kind);
    this.retryAfterMs = options.retryAfterMs;
    this.code = options.code;
    this.body = options.body;
  }
}

export class AuthenticationError extends SwitchboardError {
  override name = 'AuthenticationError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('authentication', message, options);
  }
}
export class PermissionError extends SwitchboardError {
  override name = 'PermissionError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('permission', message, options);
  }
}
export class NotFoundError extends SwitchboardError {
  override name = 'NotFoundError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('not-found', message, options);
  }
}
export class RateLimitError extends SwitchboardError {
  override name = 'RateLimitError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('rate-limit', message, options);
  }
}
export class ContextLengthError extends SwitchboardError {
  override name = 'ContextLengthError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('context-length-exceeded', message, options);
  }
}
export class InvalidRequestError extends SwitchboardError {
  override name = 'InvalidRequestError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('invalid-request', message, options);
  }
}
export class ContentFilterError extends SwitchboardError {
  override name = 'ContentFilterError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('content-filter', message, options);
  }
}
export class TimeoutError extends SwitchboardError {
  override name = 'TimeoutError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('timeout', message, options);
  }
}
export class NetworkError extends SwitchboardError {
  override name = 'NetworkError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('network', message, options);
  }
}
export class ProviderError extends SwitchboardError {
  override name = 'ProviderError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('provider', message, options);
  }
}
export class QuotaExceededError extends SwitchboardError {
  override name = 'QuotaExceededError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('quota-exceeded', message, options);
  }
}
export class UnsupportedCapabilityError extends SwitchboardError {
  override name = 'UnsupportedCapabilityError';
  readonly capability: string;
  constructor(capability: string, message: string, options?: SwitchboardErrorOptions) {
    super('unsupported-capability', message, { retryable: false, ...options });
    this.capability = capability;
  }
}
export class ConfigurationError extends SwitchboardError {
  override name = 'ConfigurationError';
  /** The environment variable or setting to fix, when there is one. */
  readonly setting?: string;
  constructor(message: string, options?: SwitchboardErrorOptions & { setting?: string }) {
    super('configuration', message, { retryable: false, ...options });
    this.setting = options?.setting;
  }
}

/**
 * A 2xx answer that is not a valid response of the provider's protocol: a body of the wrong shape,
 * JSON that does not parse, a stream cut before its end marker. Retryable (a second try often gets a
 * proper answer), falls back, never cached. `body` holds the status, content type and the first bytes
 * of what arrived, secrets redacted.
 */
export class InvalidResponseError extends SwitchboardError {
  override name = 'InvalidResponseError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('invalid-response', message, options);
  }
}

/**
 * The caller stopped the call: its `signal` aborted, or a stream's `abort()` was called. Kind
 * `aborted`, never retried, never falls back, never counts against a breaker. `name` is
 * `'AbortError'` like the DOMException `fetch` and `AbortSignal` use, so existing
 * `error.name === 'AbortError'` checks keep working; the abort's reason (the DOMException, or
 * whatever was passed to `controller.abort(reason)`) is the `cause`.
 */
export class AbortedError extends SwitchboardError {
  override name = 'AbortError';
  constructor(message: string, options?: SwitchboardErrorOptions) {
    super('aborted', message, { retryable: false, ...options });
  }
}

/**
 * The caller's abort as an {@link AbortedError} with the reason as `cause` (an AbortedError is
 * returned as it is). The message carries the reason's own message when it has one.
 */
export function abortedError(reason: unknown, context: { provider?: string; model?: string } = {}): AbortedError {
  if (reason instanceof AbortedError) return reason;
  const detail = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
  return new AbortedError(detail === '' ? 'The call was aborted' : `The call was aborted: ${detail}`, {
    ...context,
    cause: reason,
  });
}

/**
 * The model's answer did not match the request's `schema` after every retry. Holds the last raw text
 * the model produced and the validation error, so callers can log or repair it.
 */
export class StructuredOutputError extends SwitchboardError {
  override name = 'StructuredOutputError';
  /** The last answer the model gave (JSON text or the forced tool's arguments). */
  readonly text: string;
  /** The last validation error (zod's error object, or a JSON parse error). */
  readonly validationError: unknown;
  constructor(message: string, options: SwitchboardErrorOptions & { text: string; validationError: unknown }) {
    super('invalid-request', message, { retryable: false, ...options });
    this.text = options.text;
    this.validationError = options.validationError;
  }
}

/** Builds the error class matching a kind. */
export function createError(kind: ErrorKind, message: string, options?: SwitchboardErrorOptions): SwitchboardError {
  switch (kind) {
    case 'authentication':
      return new AuthenticationError(message, options);
    case 'permission':
      return new PermissionError(message, options);
    case 'not-found':
      return new NotFoundError(message, options);
    case 'rate-limit':
      return new RateLimitError(message, options);
    case 'context-length-exceeded':
      return new ContextLengthError(message, options);
    case 'invalid-request':
      return new InvalidRequestError(message, options);
    case 'content-filter':
      return new ContentFilterError(message, options);
    case 'timeout':
      return new TimeoutError(message, options);
    case 'network':
      return new NetworkError(message, options);
    case 'provider':
      return new ProviderError(message, options);
    case 'quota-exceeded':
      return new QuotaExceededError(message, options);
    case 'configuration':
      return new ConfigurationError(message, options);
    case 'invalid-response':
      return new InvalidResponseError(message, options);
    case 'unsupported-capability':
      return new UnsupportedCapabilityError('unknown', message, options);
    case 'aborted':
      return new AbortedError(message, options);
  }
}
