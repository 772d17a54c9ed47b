/**
 * Checks a key against the catalog's `auth.keyPattern` so a key pasted into the wrong variable
 * (`ANTHROPIC_API_KEY=sk-proj-...`) is caught before the first request, with a message naming the
 * variable and the expected format, never the key itself.
 */

import { maskKey } from '../../errors/mask-key.js';
import type { ProviderDescriptor } from '../../types/catalog.js';
import type { KeyCheckMode } from '../../types/config.js';

/** The expected-format words for a message: `sk-ant-...` from a `^sk-ant-` pattern, else the hint. */
function expectedFormat(descriptor: ProviderDescriptor): string {
  const pattern = descriptor.auth.keyPattern ?? '';
  const literal = /^\^([A-Za-z0-9_-]+)$/.exec(pattern) ?? /^\^([A-Za-z0-9_-]{2,})(?![*+?{])/.exec(pattern);
  if (literal?.[1] !== undefined && !pattern.startsWith('^(')) return `expected ${literal[1]}...`;
  return descriptor.auth.keyHint ?? `expected a key matching /${pattern}/`;
}

/**
 * `undefined` when the key looks right (or the catalog has no pattern), else a message such as
 * `ANTHROPIC_API_KEY does not look like an Anthropic key (expected sk-ant-...; got sk-proj-...a1b2).
 * Anthropic keys start with "sk-ant-"`. `source` names where the key came from (a variable or setting).
 */
export function checkKeyFormat(descriptor: ProviderDescriptor, key: string, source: string): string | undefined {
  const pattern = descriptor.auth.keyPattern;
  if (pattern === undefined || key === '') return undefined;
  let matches: boolean;
  try {
    matches = new RegExp(pattern).test(key.trim());
  } catch {
    return undefined; // a broken pattern in the catalog must not block calls
  }
  if (matches) return undefined;
  const hint = descriptor.auth.keyHint === undefined ? '' : ` ${descriptor.auth.keyHint}`;
  return `${source} does not look like ${article(descriptor.name)} ${descriptor.name} key (${expectedFormat(descriptor)}; got ${maskKey(key)}).${hint}`;
}

function article(name: string): string {
  return /^[AEIOU]/i.test(name) ? 'an' : 'a';
}

export type { KeyCheckMode } from '../../types/config.js';
