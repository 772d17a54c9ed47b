/**
 * The one way every adapter reports a 2xx answer it cannot trust (a body of the wrong shape, JSON
 * that does not parse, a stream cut before its end marker). Callers get the status, the content
 * type and the first bytes of what arrived, so a proxy's HTML page or another protocol's body is
 * recognisable at a glance, with the call's key removed from every part.
 */
import { InvalidResponseError } from '../../errors/errors.js';
import { redactSecret } from '../../errors/redact.js';
import type { CallContext } from '../../types/protocol.js';

/** How many characters of the body an `invalid-response` error keeps. */
export const BODY_PREVIEW_LENGTH = 200;

/** What is known about the answer that failed the check. */
export interface InvalidResponseDetails {
  status?: number;
  contentType?: string | null;
  /** The body (or the offending stream line); only its first characters are kept. */
  bodyText?: string;
  cause?: unknown;
}

/** The first characters of a body, on one line, with the key removed. */
export function bodyPreview(text: string, apiKey: string | undefined): string {
  const head = text.length > BODY_PREVIEW_LENGTH ? `${text.slice(0, BODY_PREVIEW_LENGTH)}...` : text;
  return redactSecret(head, apiKey).replace(/\s+/g, ' ');
}

/**
 * Builds the `invalid-response` error for `problem` (a short phrase: "choices is not an array").
 * The error's `body` is `{ status, contentType, bodyStart }`.
 */
export function invalidResponse(
  ctx: Pick<CallContext, 'descriptor' | 'modelId' | 'apiKey'>,
  problem: string,
  details: InvalidResponseDetails = {},
): InvalidResponseError {
  const preview = details.bodyText === undefined ? undefined : bodyPreview(details.bodyText, ctx.apiKey);
  const facts: string[] = [];
  if (details.status !== undefined) facts.push(`HTTP ${details.status}`);
  if (details.contentType) facts.push(`content-type ${details.contentType}`);
  if (preview !== undefined) facts.push(preview === '' ? 'empty body' : `body starts ${JSON.stringify(preview)}`);
  const message = `Provider '${ctx.descriptor.id}' sent an invalid response: ${problem}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
  const body: Record<string, unknown> = {};
  if (details.status !== undefined) body.status = details.status;
  if (details.contentType) body.contentType = details.contentType;
  if (preview !== undefined) body.bodyStart = preview;
  return new InvalidResponseError(message, {
    provider: ctx.descriptor.id,
    model: ctx.modelId,
    ...(details.status === undefined ? {} : { status: details.status }),
    body,
    ...(details.cause === undefined ? {} : { cause: details.cause }),
  });
}
