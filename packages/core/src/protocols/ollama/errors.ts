/**
 * Ollama errors: `{"error": "..."}` with a meaningful status (404 model not found, 400 bad request,
 * 500 model failure, 502 cloud model unreachable), and the same object as an NDJSON line inside a
 * 200 stream once the response has started.
 */

import type { SwitchboardError } from '../../errors/errors.js';
import type { ErrorKind } from '../../types/catalog.js';
import type { CallContext } from '../../types/protocol.js';
import { asRecord, asString, createProviderError, parseJsonSafe } from '../shared/index.js';

const CONTEXT_LENGTH = /context length|exceeds? (?:the )?(?:maximum )?context|input length exceeds|too many tokens/i;

function ollamaKind(status: number | undefined, message: string): ErrorKind | undefined {
  if (CONTEXT_LENGTH.test(message)) return 'context-length-exceeded';
  if (/model ['"]?[^'"]*['"]? not found|not found, try pulling/i.test(message)) return 'not-found';
  if (/does not support (?:tools|images|thinking|insert|embeddings)/i.test(message)) return 'unsupported-capability';
  if (status === 500 || status === undefined) return 'provider';
  return undefined;
}

export function parseOllamaError(
  ctx: CallContext,
  status: number,
  headers: Headers,
  bodyText: string,
): SwitchboardError {
  const body = parseJsonSafe(bodyText) ?? (bodyText === '' ? undefined : bodyText);
  const message = asString(asRecord(body).error) ?? (bodyText.trim().slice(0, 500) || `HTTP ${status}`);
  return createProviderError(ctx, { status, headers, bodyText, body, message, kind: ollamaKind(status, message) });
}

/** An `{"error": ...}` line inside a 200 NDJSON stream. */
export function ollamaStreamError(ctx: CallContext, line: Record<string, unknown>, lineText: string): SwitchboardError {
  const message = asString(line.error) ?? 'stream error';
  return createProviderError(ctx, {
    status: undefined,
    bodyText: lineText,
    body: line,
    message,
    kind: ollamaKind(undefined, message) ?? 'provider',
  });
}
