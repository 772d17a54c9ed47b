/**
 * What a saved session must never hold: credentials a caller put in `providerOptions` (an
 * `api_key` passed through to a provider, a proxy token). A session is written to files and shared
 * stores that live far longer than a process, so such values are dropped on save, with a warning.
 *
 * An entry is dropped (at any depth of `providerOptions`) when
 * - its name is a credential name (`api_key`, `apiKey`, `key`, `token`, `secret`, `authorization`,
 *   `password`, anything ending in `_api_key`, `_secret`, `_token`, ...; see `isSecretName`), or
 * - its value is a string holding a secret the switchboard knows (in any encoding), or one that
 *   looks like a key (`sk-...`, `AIza...`, a long high-entropy token; see `looksLikeKey`).
 */

import type { SecretMatcher } from '../../errors/secret-patterns.js';
import { isSecretName, looksLikeKey } from '../../errors/secret-shapes.js';

const MAX_DEPTH = 8;

/** Why an entry was dropped, for the warning. */
type Reason = 'its name is a credential name' | 'its value holds a known key' | 'its value looks like a key';

function reasonToDrop(name: string, value: unknown, matcher: SecretMatcher | undefined): Reason | undefined {
  if (isSecretName(name) && value !== undefined && value !== null && value !== '')
    return 'its name is a credential name';
  if (typeof value !== 'string') return undefined;
  if (matcher?.test(value) === true) return 'its value holds a known key';
  if (looksLikeKey(value)) return 'its value looks like a key';
  return undefined;
}

function clean(
  value: unknown,
  path: string,
  matcher: SecretMatcher | undefined,
  dropped: Map<string, Reason>,
  depth: number,
): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value))
    return value.flatMap((item, index) => {
      const reason = reasonToDrop('', item, matcher);
      if (reason !== undefined) {
        dropped.set(`${path}[${index}]`, reason);
        return [];
      }
      return [clean(item, `${path}[${index}]`, matcher, dropped, depth + 1)];
    });
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const reason = reasonToDrop(name, item, matcher);
    if (reason !== undefined) dropped.set(`${path}.${name}`, reason);
    else out[name] = clean(item, `${path}.${name}`, matcher, dropped, depth + 1);
  }
  return out;
}

/** `providerOptions` without credentials, and the paths dropped (with why). */
export function withoutCredentials(
  providerOptions: unknown,
  matcher: SecretMatcher | undefined,
): { value: unknown; dropped: Map<string, string> } {
  const dropped = new Map<string, Reason>();
  const value = clean(providerOptions, 'providerOptions', matcher, dropped, 0);
  return { value, dropped };
}
