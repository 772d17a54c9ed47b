/**
 * Usage and cost arithmetic shared by chat, streams, tool loops and embeddings: providers report
 * partial or cumulative usage, loops add several calls up, and cost always comes from the catalog's
 * pricing through `calculateCost`.
 */
import { calculateCost } from '../catalog/cost.js';
import type { ModelInfo } from '../types/catalog.js';
import type { CostBreakdown, Usage } from '../types/requests.js';

/** A complete usage object: missing counts are 0 and `totalTokens` is input + output when absent (or a placeholder 0). */
export function normalizeUsage(usage: Partial<Usage> | undefined): Usage {
  const inputTokens = usage?.inputTokens ?? 0;
  const outputTokens = usage?.outputTokens ?? 0;
  // A zero total next to non-zero counts means the adapter filled a placeholder: recompute it.
  const given = usage?.totalTokens;
  const totalTokens =
    given === undefined || (given === 0 && inputTokens + outputTokens > 0) ? inputTokens + outputTokens : given;
  const out: Usage = { inputTokens, outputTokens, totalTokens };
  if (usage?.cacheReadTokens !== undefined) out.cacheReadTokens = usage.cacheReadTokens;
  if (usage?.cacheWriteTokens !== undefined) out.cacheWriteTokens = usage.cacheWriteTokens;
  if (usage?.reasoningTokens !== undefined) out.reasoningTokens = usage.reasoningTokens;
  return out;
}

/** Overwrites `target`'s fields with every defined field of `update` (streams report usage piecemeal). */
export function mergeUsage(target: Partial<Usage>, update: Partial<Usage>): void {
  if (update.inputTokens !== undefined) target.inputTokens = update.inputTokens;
  if (update.outputTokens !== undefined) target.outputTokens = update.outputTokens;
  if (update.totalTokens !== undefined) target.totalTokens = update.totalTokens;
  if (update.cacheReadTokens !== undefined) target.cacheReadTokens = update.cacheReadTokens;
  if (update.cacheWriteTokens !== undefined) target.cacheWriteTokens = update.cacheWriteTokens;
  if (update.reasoningTokens !== undefined) target.reasoningTokens = update.reasoningTokens;
}

/** The sum of two usages (tool-loop steps, retries, embedding batches). */
export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  for (const key of ['cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens'] as const) {
    if (a[key] !== undefined || b[key] !== undefined) out[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return out;
}

type CostPart = Exclude<keyof CostBreakdown, 'currency'>;

/** The sum of two costs; undefined when either is unknown (a partial sum would understate it). */
export function addCost(a: CostBreakdown | undefined, b: CostBreakdown | undefined): CostBreakdown | undefined {
  if (a === undefined || b === undefined) return undefined;
  // Rounded to 1e-10 as calculateCost rounds, so sums print without float noise; a part missing
  // from an older saved cost (a session from before the cache and reasoning parts) counts as 0.
  const sum = (key: CostPart): number => Math.round(((a[key] ?? 0) + (b[key] ?? 0)) * 1e10) / 1e10;
  return {
    input: sum('input'),
    output: sum('output'),
    cacheRead: sum('cacheRead'),
    cacheWrite: sum('cacheWrite'),
    reasoning: sum('reasoning'),
    total: sum('total'),
    currency: 'USD',
  };
}

/**
 * The call's cost from the catalog, or undefined without pricing or when the caller opted out.
 * `startedAt` is the call's start as `performance.now()` gave it: the price in force when the call
 * began is billed (a call that starts in an off-peak window pays off-peak, as providers bill). The
 * clock is only read for models with a price schedule.
 */
export function costOf(
  model: ModelInfo | undefined,
  usage: Usage,
  trackCost: boolean | undefined,
  startedAt?: number,
): CostBreakdown | undefined {
  if (trackCost === false || model?.pricing === undefined) return undefined;
  const { pricing } = model;
  if (startedAt === undefined || (pricing.timeBound === undefined && pricing.timeOfDay === undefined)) {
    return calculateCost(pricing, usage);
  }
  return calculateCost(pricing, usage, new Date(performance.timeOrigin + startedAt));
}
