import { normalizeCapability, suggestCapability } from '@switchboard/core';
import { InvalidArgumentError } from 'commander';

/** Parses a non-negative number option (`--max-cost 2.5`, `--input 1200`). */
export function parseNumber(value: string): number {
  const number = Number(value.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isFinite(number) || number < 0)
    throw new InvalidArgumentError(`"${value}" is not a non-negative number.`);
  return number;
}

/** Parses a whole-number option (`--limit 5`, `--min-context 100000`, `--min-context 100k`). */
export function parseInteger(value: string): number {
  const match = /^(\d[\d_,]*)(k|m)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  const base = Number((match[1] as string).replaceAll('_', '').replaceAll(',', ''));
  const scale = match[2]?.toLowerCase() === 'k' ? 1_000 : match[2]?.toLowerCase() === 'm' ? 1_000_000 : 1;
  return base * scale;
}

/**
 * Collects `--feature` values (repeatable, or comma-separated) as canonical capability names, so a
 * typo fails before any query with the closest known name.
 */
export function collectFeatures(value: string, previous: string[] = []): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (normalizeCapability(name) === undefined) {
      const suggestion = suggestCapability(name);
      throw new InvalidArgumentError(
        `unknown feature "${name}".${suggestion ? ` Did you mean "${suggestion}"?` : ''} Features are capability names or aliases such as tools, vision, json-mode.`,
      );
    }
  }
  return [...previous, ...names];
}
