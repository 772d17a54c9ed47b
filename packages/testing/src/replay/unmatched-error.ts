/**
 * The error a replay raises for a request no recording answers: never a live call, and a message
 * that says which recording came closest and exactly how the request differs from it.
 */
import type { RecordedExchange } from '../exchange.js';
import type { Difference, ReplayRequest } from './differences.js';
import { sourceOf } from './exchange-store.js';

const SHOWN_DIFFERENCES = 8;

function shown(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Thrown (undici door) or returned as the response's error (MSW door) for a request with no recording. */
export class UnmatchedRequestError extends Error {
  override readonly name = 'UnmatchedRequestError';
  readonly request: { method: string; url: string };
  /** The closest recording and how the request differs from it; undefined when nothing was recorded. */
  readonly closest: { exchange: RecordedExchange; index: number; differences: Difference[] } | undefined;

  constructor(request: ReplayRequest, closest: UnmatchedRequestError['closest']) {
    super(UnmatchedRequestError.describe(request, closest));
    this.request = { method: request.method, url: request.url };
    this.closest = closest;
  }

  /** The message: the request, the closest recording (with its file) and up to eight differences. */
  static describe(request: ReplayRequest, closest: UnmatchedRequestError['closest']): string {
    const head = `No recorded exchange matches ${request.method.toUpperCase()} ${request.url} (replay never calls the network).`;
    if (closest === undefined) return `${head} There are no recorded exchanges.`;
    const { exchange, index, differences } = closest;
    const source = sourceOf(exchange);
    const lines = [
      head,
      `Closest: exchange #${index} ${exchange.request.method.toUpperCase()} ${exchange.request.url}${source ? ` (${source})` : ''}, which differs in:`,
      ...differences
        .slice(0, SHOWN_DIFFERENCES)
        .map((d) => `  ${d.field}: recorded ${shown(d.recorded)}, sent ${shown(d.sent)}`),
    ];
    if (differences.length === 0)
      lines.push('  nothing (it answers this request, but is not one this replay may serve)');
    if (differences.length > SHOWN_DIFFERENCES) lines.push(`  ... and ${differences.length - SHOWN_DIFFERENCES} more`);
    return lines.join('\n');
  }
}
