import { CANONICAL_CAPABILITIES, CAPABILITY_ALIASES, type CanonicalCapability } from '../generated/capabilities.js';
import { closestMatch } from './edit-distance.js';
import { UnknownCapabilityError } from './errors.js';

/**
 * The lookup key of a capability name: lower case, `_` and spaces as `-`. Users write `tool_use`,
 * `Tool Use` or `tool-use` interchangeably; the generated alias table is keyed this way.
 */
export function capabilityKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/**
 * The canonical name for a capability or any of its aliases (`function_calling` -> `tools`), or
 * `undefined` when the name is unknown. Every catalog query goes through this, so callers may use
 * whichever vocabulary their provider's docs use.
 */
export function normalizeCapability(name: string): CanonicalCapability | undefined {
  const key = capabilityKey(name);
  return CAPABILITY_ALIASES[key] ?? (key.startsWith('supports-') ? CAPABILITY_ALIASES[key.slice(9)] : undefined);
}

/** Whether a name is a canonical capability or a known alias. */
export function isKnownCapability(name: string): boolean {
  return normalizeCapability(name) !== undefined;
}

/**
 * The canonical capability closest to an unknown name, by edit distance over every canonical name
 * and alias. Only suggested when the distance is small relative to the name, so nonsense gets no
 * misleading hint.
 */
export function suggestCapability(name: string): CanonicalCapability | undefined {
  const key = capabilityKey(name);
  const match = closestMatch(key, Object.keys(CAPABILITY_ALIASES));
  if (!match || match.distance > Math.max(2, Math.floor(key.length / 2))) return undefined;
  return CAPABILITY_ALIASES[match.value];
}

/**
 * Canonical names for a list of capabilities or aliases, de-duplicated, in the order given. Throws an
 * {@link UnknownCapabilityError} for an unknown name, because a misspelled feature in a query would
 * otherwise quietly filter everything (or nothing) out.
 */
export function resolveCapabilities(names: Iterable<string>): CanonicalCapability[] {
  const resolved: CanonicalCapability[] = [];
  for (const name of names) {
    const canonical = normalizeCapability(name);
    if (canonical === undefined) throw new UnknownCapabilityError(name, suggestCapability(name));
    if (!resolved.includes(canonical)) resolved.push(canonical);
  }
  return resolved;
}

/** Every canonical capability name, sorted (re-exported for queries that enumerate them). */
export const canonicalCapabilities: readonly CanonicalCapability[] = CANONICAL_CAPABILITIES;

/** Bit position of each canonical capability in {@link CapabilityMask} words. */
const BIT_OF: ReadonlyMap<CanonicalCapability, number> = new Map(
  CANONICAL_CAPABILITIES.map((name, index) => [name, index]),
);

/** 32-bit words needed to hold one bit per canonical capability. */
export const CAPABILITY_MASK_WORDS = Math.max(1, Math.ceil(CANONICAL_CAPABILITIES.length / 32));

/**
 * A set of canonical capabilities as bits, so a query tests "has all these features" with a couple
 * of integer operations per model instead of array searches.
 */
export type CapabilityMask = Uint32Array;

/** Builds the mask of some canonical capabilities. */
export function capabilityMask(names: Iterable<CanonicalCapability>): CapabilityMask {
  const mask = new Uint32Array(CAPABILITY_MASK_WORDS);
  for (const name of names) {
    const bit = BIT_OF.get(name);
    if (bit !== undefined) mask[bit >>> 5] = ((mask[bit >>> 5] as number) | (1 << (bit & 31))) >>> 0;
  }
  return mask;
}

/** The canonical capabilities whose bits are set in `words[offset..]`. */
export function capabilitiesOfMask(words: Uint32Array, offset = 0): CanonicalCapability[] {
  const names: CanonicalCapability[] = [];
  for (let bit = 0; bit < CANONICAL_CAPABILITIES.length; bit++) {
    if (((words[offset + (bit >>> 5)] as number) >>> (bit & 31)) & 1)
      names.push(CANONICAL_CAPABILITIES[bit] as CanonicalCapability);
  }
  return names;
}
