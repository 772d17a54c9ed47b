/**
 * The checks a streamed 200 gets before and while its body is decoded. A captive portal, a proxy's
 * error page or a server that ignored `stream: true` answers 200 too; decoded as a stream such a body
 * yields no event at all and used to pass as an empty success. Here an HTML page is refused before
 * decoding, and a body whose first problem comes before any valid event is reported with the status,
 * the content type and the first bytes, so the caller sees what actually arrived.
 */

import { InvalidResponseError } from '../errors/errors.js';
import type { ProtocolAdapter, ProtocolStreamEvent, StreamDecoder } from '../protocols/adapter.js';
import { BODY_PREVIEW_LENGTH, invalidResponse } from '../protocols/shared/invalid-response.js';
import { streamProblemOf } from '../protocols/shared/stream-guard.js';
import type { CallContext } from '../types/protocol.js';
import { responseHeader, type TransportResponse } from './transport.js';

/** Content types no streaming protocol uses: a page meant for a browser. */
const PAGE_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

/** Reads at most the first characters of a body, then releases the connection. */
async function readHead(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let head = '';
  try {
    for await (const chunk of body) {
      head += decoder.decode(chunk, { stream: true });
      if (head.length > BODY_PREVIEW_LENGTH) break;
    }
  } catch {
    // The head read so far is all the error needs.
  }
  return head;
}

/**
 * Opens the decoder for a streamed 2xx response. Throws `invalid-response` (before any event, so the
 * call may be retried or fall back) when the content type is an HTML page; otherwise returns the
 * adapter's decoder, watched until its first valid event (see `reportWithHead`).
 */
export async function openStreamDecoder(
  adapter: Pick<ProtocolAdapter, 'streamDecoder'>,
  ctx: CallContext,
  response: TransportResponse,
): Promise<StreamDecoder> {
  const contentType = responseHeader(response, 'content-type');
  if (contentType !== null && PAGE_TYPES.test(contentType)) {
    const bodyText = await readHead(response.body);
    throw invalidResponse(ctx, 'a streaming call was answered with a web page', {
      status: response.status,
      contentType,
      bodyText,
    });
  }
  return reportWithHead(adapter.streamDecoder(ctx), ctx, response.status, contentType);
}

/**
 * Wraps a decoder so that an `invalid-response` error raised before the first valid event carries the
 * status, content type and first bytes of the body (a non-stream body is recognisable at a glance).
 * After the first valid event it passes chunks straight through.
 */
export function reportWithHead(
  decoder: StreamDecoder,
  ctx: CallContext,
  status: number,
  contentType: string | null,
): StreamDecoder {
  let sawEvent = false;
  let head = '';
  /** Whether `head` still grows (see `keepHead`). */
  let headOpen = true;
  let textDecoder: InstanceType<typeof TextDecoder> | undefined;
  /**
   * Adds the start of `chunk` to `head` until it holds the preview. Only the bytes the preview can
   * use are decoded: a fast stream's first read is tens of kilobytes (the bench upstream's first
   * write is ~64 KB), all decoded again by the adapter's decoder. A UTF-8 character is at most 4
   * bytes, so `4 * missing + 4` bytes give at least `missing` characters; the rest of a cut chunk is
   * never decoded, so the head closes there.
   */
  const keepHead = (chunk: Uint8Array): void => {
    textDecoder ??= new TextDecoder();
    const enough = 4 * (BODY_PREVIEW_LENGTH + 1 - head.length) + 4;
    if (chunk.length <= enough) head += textDecoder.decode(chunk, { stream: true });
    else {
      head += textDecoder.decode(chunk.subarray(0, enough), { stream: true });
      headOpen = false;
    }
    if (head.length > BODY_PREVIEW_LENGTH) headOpen = false;
  };
  // The first event decides: a valid one ends the watch; an invalid-response error gets the head.
  const watch = (events: ProtocolStreamEvent[]): ProtocolStreamEvent[] => {
    const first = events[0];
    if (first === undefined) return events;
    if (first.type !== 'error') {
      sawEvent = true;
      return events;
    }
    if (first.error instanceof InvalidResponseError) {
      const problem = streamProblemOf(first.error) ?? first.error.message;
      events[0] = {
        type: 'error',
        error: invalidResponse(ctx, `no valid stream event (${problem})`, {
          status,
          contentType,
          bodyText: head,
          cause: first.error,
        }),
      };
    }
    return events;
  };
  return {
    push(chunk) {
      if (sawEvent) return decoder.push(chunk);
      if (headOpen) keepHead(chunk);
      return watch(decoder.push(chunk));
    },
    end() {
      return sawEvent ? decoder.end() : watch(decoder.end());
    },
  };
}
