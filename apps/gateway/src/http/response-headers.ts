/**
 * The headers every model response of the gateway carries, whatever its API surface (OpenAI,
 * Anthropic): which request it was, which provider and model actually served it (after aliases,
 * groups and fallbacks), what it cost, and how long the gateway itself spent on it. One helper so
 * the surfaces cannot drift apart; clients and load balancers read them without parsing bodies.
 */
import type { ChatResponse } from '@switchboard/core';

export const REQUEST_ID_HEADER = 'x-request-id';
export const PROVIDER_HEADER = 'x-switchboard-provider';
export const MODEL_HEADER = 'x-switchboard-model';
export const COST_HEADER = 'x-switchboard-cost-usd';
export const OVERHEAD_HEADER = 'x-switchboard-overhead-ms';

/** What the headers are built from. */
export interface ModelResponseFacts {
  requestId: string;
  /** The provider that served the answer; omitted when not known yet (a stream's headers). */
  provider?: string;
  /** The model id that served the answer. */
  model?: string;
  /** Total cost in USD; omitted when the catalog has no price. */
  costUsd?: number;
  /** Milliseconds spent in the gateway itself (total time minus the upstream call). */
  overheadMs?: number;
}

/** The header values for `facts`; absent facts give no header. */
export function modelResponseHeaders(facts: ModelResponseFacts): Record<string, string> {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: facts.requestId };
  if (facts.provider !== undefined) headers[PROVIDER_HEADER] = facts.provider;
  if (facts.model !== undefined) headers[MODEL_HEADER] = facts.model;
  if (facts.costUsd !== undefined) headers[COST_HEADER] = formatUsd(facts.costUsd);
  if (facts.overheadMs !== undefined) headers[OVERHEAD_HEADER] = Math.max(0, facts.overheadMs).toFixed(3);
  return headers;
}

/**
 * The facts of a finished call: provider, model and cost from the response, overhead as the time
 * since `startedAt` (a `performance.now()` reading taken when the request arrived) minus the time
 * core spent in the call (`latencyMs`, retries and fallbacks included).
 */
export function responseFacts(requestId: string, startedAt: number, response: ChatResponse): ModelResponseFacts {
  const facts: ModelResponseFacts = {
    requestId,
    provider: response.provider,
    model: response.model,
    overheadMs: performance.now() - startedAt - response.latencyMs,
  };
  if (response.cost !== undefined) facts.costUsd = response.cost.total;
  return facts;
}

/**
 * USD with enough digits for sub-cent calls, without exponent notation: `toFixed(10)` without its
 * trailing zeros (one left after the point). A loop, not two regular expressions: it runs on every
 * answer.
 */
function formatUsd(value: number): string {
  const fixed = value.toFixed(10);
  let end = fixed.length;
  while (end > 0 && fixed.charCodeAt(end - 1) === 48 /* 0 */) end -= 1;
  if (fixed.charCodeAt(end - 1) === 46 /* . */) end += 1;
  return end === fixed.length ? fixed : fixed.slice(0, end);
}
