/**
 * Recordings as a reviewer reads them: a server-sent-event stream is kept as its list of events
 * (one string per event, whatever the network's chunking was) and NDJSON as its lines, so a
 * re-recording that changed one event changes one line of the diff. Binary event streams stay
 * base64, as the recorder keeps them; JSON bodies are parsed and pretty-printed by the store.
 */
import type { RecordedExchange } from '../exchange.js';

/** Splits a body after each separator, keeping the separator (the joined list is the body). */
function splitAfter(text: string, separator: RegExp): string[] {
  const out: string[] = [];
  let at = 0;
  for (const match of text.matchAll(separator)) {
    const end = (match.index ?? 0) + match[0].length;
    out.push(text.slice(at, end));
    at = end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** The exchange with a streamed text body re-cut at event (SSE) or line (NDJSON) boundaries. */
export function forReview(exchange: RecordedExchange): RecordedExchange {
  const chunks = exchange.response.chunks;
  if (chunks === undefined) return exchange;
  const contentType = exchange.response.headers?.['content-type'] ?? '';
  const text = chunks.join('');
  const events = contentType.includes('event-stream') ? splitAfter(text, /\r?\n\r?\n/g) : splitAfter(text, /\n/g);
  return { request: exchange.request, response: { ...exchange.response, chunks: events } };
}
