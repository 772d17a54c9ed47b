/**
 * How the operations API turns any failure into `{ error: { message, type, param } }` with the right
 * status. Core's catalog errors carry what was wrong (the option, the capability, the provider), so a
 * client learns which parameter to fix; anything unexpected is a 500 whose message is scrubbed of the
 * upstream keys (core's messages already are, this is the last line of defence).
 */
import {
  InvalidQueryOptionError,
  ModelNotFoundError,
  ProviderNotFoundError,
  SwitchboardError,
  scrubString,
  UnknownCapabilityError,
} from '@switchboard/core';
import type { ApiErrorBody } from '../api-types.js';
import { GatewayError } from '../gateway-error.js';

/** A failure ready to send: its status and body. */
export interface ApiFailure {
  status: number;
  body: ApiErrorBody;
}

/** Builds the error body. */
export function apiErrorBody(message: string, type: string, param?: string): ApiErrorBody {
  return { error: { message, type, param: param ?? null } };
}

/** A 400 naming the parameter at fault. */
export function badParameter(param: string, message: string): GatewayError {
  return new GatewayError(400, message, { type: 'invalid_request_error', param });
}

/**
 * Maps an error to its status and body. `param` is the parameter a catalog error refers to when the
 * error itself cannot say (a capability or provider named in a query).
 */
export function toApiFailure(
  error: unknown,
  secrets: readonly string[],
  params: { capability?: string; provider?: string; model?: string } = {},
): ApiFailure {
  const clean = (text: string) => scrubString(text, secrets);
  if (error instanceof GatewayError)
    return {
      status: error.status,
      body: apiErrorBody(clean(error.message), error.details.type ?? typeForStatus(error.status), error.details.param),
    };
  if (error instanceof InvalidQueryOptionError)
    return { status: 400, body: apiErrorBody(clean(error.message), 'invalid_request_error', error.option) };
  if (error instanceof UnknownCapabilityError)
    return { status: 400, body: apiErrorBody(clean(error.message), 'invalid_request_error', params.capability) };
  if (error instanceof ProviderNotFoundError)
    return { status: 404, body: apiErrorBody(clean(error.message), 'not_found_error', params.provider) };
  if (error instanceof ModelNotFoundError)
    return { status: 404, body: apiErrorBody(clean(error.message), 'not_found_error', params.model) };
  if (error instanceof SwitchboardError && error.kind === 'invalid-request')
    return { status: 400, body: apiErrorBody(clean(error.message), 'invalid_request_error') };
  // fastify's own client errors: unparsable JSON, wrong content type, a body over the limit.
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500)
    return {
      status: statusCode,
      body: apiErrorBody(
        clean((error as Error).message),
        typeForStatus(statusCode),
        statusCode === 413 ? 'body' : undefined,
      ),
    };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: apiErrorBody(clean(`Internal error: ${message}`), 'server_error') };
}

function typeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'unavailable_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
