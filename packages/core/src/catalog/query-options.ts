/**
 * Option words of catalog queries that need more than a field: quality and latency tiers (the names
 * ExLLM and EchoTune users bring), the error for a bad option value, and the warning for an option
 * key a query does not know.
 *
 * Unknown keys warn instead of throwing: queries answer arrays, so there is no `warnings` field to
 * carry them, and an exception for a key that may be harmless (an option of a newer version) would
 * break working code. The warning goes through `process.emitWarning` (type `SwitchboardWarning`,
 * code `SWITCHBOARD_UNKNOWN_OPTION`; Node prints it to stderr unless `--no-warnings`, and
 * `process.on('warning')` receives it), once per catalog, query and key, so a loop does not flood.
 */
import { SwitchboardError } from '../errors/errors.js';
import { closestName } from './closest-name.js';

/**
 * Quality tiers as floors on the 0..100 quality score (the catalog's signal, else the derived
 * estimate of `deriveQuality`). Chosen from the score distribution of the shipped catalog (median
 * about 58, 75th percentile 75, 90th 85): `good` keeps roughly the better 60 % of models, `high` the
 * best 30 %, `highest` the best 10 % (claude-opus and the like).
 */
export const QUALITY_TIERS = { good: 50, high: 70, highest: 85 } as const;

/** A quality tier name (`minQuality: 'high'`). */
export type QualityTier = keyof typeof QUALITY_TIERS;

/** The speed tiers of the catalog's speed signal, fastest first. */
export type LatencyTier = 'fast' | 'medium' | 'slow';

/**
 * The longest typical time to a short answer (first tokens through a few sentences) each speed
 * tier stands for, in milliseconds. These are derived estimates, not measurements: the catalog
 * holds a speed tier per model (a signal, or `deriveSpeed`'s guess from the provider and name), and
 * `maxLatency` is mapped onto those tiers through this table.
 */
export const LATENCY_TIER_MS: Readonly<Record<LatencyTier, number>> = { fast: 1000, medium: 3000, slow: 10_000 };

const LATENCY_TIERS: readonly LatencyTier[] = ['fast', 'medium', 'slow'];

/** A catalog query option with a value it cannot use; names the option and what it takes. */
export class InvalidQueryOptionError extends SwitchboardError {
  override name = 'InvalidQueryOptionError';
  /** The option, as `minQuality`. */
  readonly option: string;
  constructor(option: string, expected: string, value: unknown) {
    super('invalid-request', `Invalid catalog query option ${option}: expected ${expected}, got ${show(value)}`, {
      retryable: false,
    });
    this.option = option;
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' ? 'an object' : String(value);
}

/** The numeric floor of `minQuality`: a 0..100 number as is, or a tier's floor. */
export function qualityFloor(option: string, value: number | QualityTier | undefined): number {
  if (value === undefined) return Number.NEGATIVE_INFINITY;
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  if (typeof value === 'string' && Object.hasOwn(QUALITY_TIERS, value)) return QUALITY_TIERS[value];
  throw new InvalidQueryOptionError(option, "a number from 0 to 100 or 'good' | 'high' | 'highest'", value);
}

/**
 * Bits of the speed tiers a model may have (bit 0 fast, 1 medium, 2 slow), from `latencyTier` (one
 * tier or several) and `maxLatency` (milliseconds: the tiers whose {@link LATENCY_TIER_MS} bound is
 * within it; fast models always qualify, being the fastest the catalog knows). Both given: both apply.
 */
export function allowedSpeedTiers(
  latencyTier: LatencyTier | readonly LatencyTier[] | undefined,
  maxLatency: number | undefined,
): number {
  let allowed = 0b111;
  if (latencyTier !== undefined) {
    const tiers = typeof latencyTier === 'string' ? [latencyTier] : latencyTier;
    if (!Array.isArray(tiers) || tiers.length === 0)
      throw new InvalidQueryOptionError('latencyTier', "'fast' | 'medium' | 'slow' or a list of them", tiers);
    let named = 0;
    for (const tier of tiers) {
      const bit = LATENCY_TIERS.indexOf(tier);
      if (bit < 0)
        throw new InvalidQueryOptionError('latencyTier', "'fast' | 'medium' | 'slow' or a list of them", tier);
      named |= 1 << bit;
    }
    allowed &= named;
  }
  if (maxLatency !== undefined) {
    if (typeof maxLatency !== 'number' || !(maxLatency > 0))
      throw new InvalidQueryOptionError('maxLatency', 'a positive number of milliseconds', maxLatency);
    let within = 1;
    if (maxLatency >= LATENCY_TIER_MS.medium) within |= 2;
    if (maxLatency >= LATENCY_TIER_MS.slow) within |= 4;
    allowed &= within;
  }
  return allowed;
}

/** Warnings already given, per catalog (its index object): each query and key warns once. */
const warned = new WeakMap<object, Set<string>>();

/**
 * Warns about each key of `options` that `query` does not know, naming the closest known key or
 * the given hint. Costs one Set lookup per key when every key is known.
 */
export function warnUnknownQueryOptions(
  owner: object,
  query: string,
  options: object | undefined,
  known: ReadonlySet<string>,
  hints: Readonly<Record<string, string>> = {},
): void {
  if (options === undefined) return;
  for (const key in options) {
    if (known.has(key) || !Object.hasOwn(options, key)) continue;
    let seen = warned.get(owner);
    if (seen === undefined) {
      seen = new Set();
      warned.set(owner, seen);
    }
    const id = `${query}.${key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const hint = Object.hasOwn(hints, key) ? hints[key] : undefined;
    const suggestion = hint === undefined ? closestName(key, [...known]) : undefined;
    const advice = hint ?? (suggestion === undefined ? '' : `did you mean \`${suggestion}\`?`);
    const message = `${query}: unknown option \`${key}\` ignored${advice === '' ? '' : `: ${advice}`}`;
    const emit = globalThis.process?.emitWarning;
    if (typeof emit === 'function')
      emit.call(globalThis.process, message, { type: 'SwitchboardWarning', code: 'SWITCHBOARD_UNKNOWN_OPTION' });
    else console.warn(message);
  }
}
