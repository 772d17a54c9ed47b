/**
 * The one replay engine behind both doors (MSW handlers and the undici dispatcher): it finds the
 * recording that answers a request and turns it into response parts. A request matches a recording
 * on method, URL and body (canonical JSON: key order, redacted values and volatile fields ignored),
 * or on a matcher the user passes. Order only breaks ties: identical requests get the recorded
 * answers in recorded order, the last one repeating; different bodies to one URL get their own
 * answers in any order. A request nothing matches is an {@link UnmatchedRequestError}.
 */
import type { RecordedExchange, RecordedRequest } from '../exchange.js';
import { type Difference, distance, type ReplayRequest, requestDifferences } from './differences.js';
import { fieldPatterns, parseBodyText, VOLATILE_FIELDS } from './request-body.js';
import { type ResponseParts, responseParts } from './response-parts.js';
import { UnmatchedRequestError } from './unmatched-error.js';

/** Options shared by both doors. */
export interface ReplayOptions {
  /**
   * Decides a match instead of the default rules (`requestDifferences(...).length === 0`). Misses
   * still name the closest recording by the default rules.
   */
  matcher?: (request: ReplayRequest, recorded: RecordedRequest) => boolean;
  /** Body fields to ignore besides {@link VOLATILE_FIELDS} (dotted paths, `*` for any key or index), e.g. `['stream_options']`. */
  ignoreFields?: readonly string[];
  /** Called with every request served from a recording (to assert on what was sent). */
  onRequest?: (request: ReplayRequest, exchange: RecordedExchange) => void;
  /** Cuts every body into pieces of this many bytes (default: the recorded chunks, else one piece). */
  chunkSize?: number;
}

/** A running replay: both doors call `respond`; tests read what was served and missed. */
export interface ReplayEngine {
  readonly exchanges: readonly RecordedExchange[];
  /** How many times each exchange was served, by index. */
  readonly servedCounts: readonly number[];
  /** Every miss so far (each was also raised to the caller). */
  readonly misses: readonly UnmatchedRequestError[];
  /** The exchange answering `request` (marking it served), or undefined. */
  match(request: ReplayRequest): { exchange: RecordedExchange; index: number } | undefined;
  /** The response for `request`; throws {@link UnmatchedRequestError} when nothing matches. */
  respond(request: ReplayRequest): ResponseParts;
  /** Exchanges never served. */
  unused(): RecordedExchange[];
  /** Forgets what was served and missed (the next request starts from the first recording again). */
  reset(): void;
}

/** Builds a {@link ReplayRequest} from what a door saw. */
export function replayRequest(method: string, url: string, headers: Record<string, string>, bodyText: string) {
  return { method, url, headers, bodyText, body: parseBodyText(bodyText) } satisfies ReplayRequest;
}

/** Creates the engine over `exchanges` (see `loadExchanges` to read them from files). */
export function createReplayEngine(exchanges: readonly RecordedExchange[], options: ReplayOptions = {}): ReplayEngine {
  const patterns = fieldPatterns([...VOLATILE_FIELDS, ...(options.ignoreFields ?? [])]);
  const servedCounts = new Array<number>(exchanges.length).fill(0);
  const misses: UnmatchedRequestError[] = [];
  const differencesOf = (request: ReplayRequest, index: number): Difference[] =>
    requestDifferences((exchanges[index] as RecordedExchange).request, request, patterns);
  const isMatch = (request: ReplayRequest, index: number): boolean =>
    options.matcher !== undefined
      ? options.matcher(request, (exchanges[index] as RecordedExchange).request)
      : differencesOf(request, index).length === 0;

  const engine: ReplayEngine = {
    exchanges,
    servedCounts,
    misses,
    match(request) {
      let chosen = -1;
      let last = -1;
      for (let i = 0; i < exchanges.length; i += 1) {
        if (!isMatch(request, i)) continue;
        last = i;
        if (servedCounts[i] === 0) {
          chosen = i;
          break;
        }
      }
      if (chosen < 0) chosen = last;
      if (chosen < 0) return undefined;
      servedCounts[chosen] = (servedCounts[chosen] ?? 0) + 1;
      const exchange = exchanges[chosen] as RecordedExchange;
      options.onRequest?.(request, exchange);
      return { exchange, index: chosen };
    },
    respond(request) {
      const found = engine.match(request);
      if (found !== undefined) return responseParts(found.exchange.response, options.chunkSize);
      let closest: UnmatchedRequestError['closest'];
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < exchanges.length; i += 1) {
        const differences = differencesOf(request, i);
        const score = distance(differences);
        if (score < best) {
          best = score;
          closest = { exchange: exchanges[i] as RecordedExchange, index: i, differences };
        }
      }
      const error = new UnmatchedRequestError(request, closest);
      misses.push(error);
      throw error;
    },
    unused: () => exchanges.filter((_, i) => servedCounts[i] === 0),
    reset() {
      servedCounts.fill(0);
      misses.length = 0;
    },
  };
  return engine;
}
