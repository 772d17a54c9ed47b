/**
 * The upstream keys this gateway holds: each installed provider's `apiKey` setting, its extra header
 * values, and the environment variables its catalog entry reads keys from. Operations answers are
 * built field by field from catalog and status data (never from provider settings), and core already
 * scrubs its error messages; this list is scrubbed from every message the API sends anyway, so a key
 * echoed by an upstream error body cannot reach a client through a new code path.
 */
import type { ProviderInput, Switchboard } from '@switchboard/core';

/** Values shorter than this are not treated as secrets (they would scrub ordinary words). */
const MIN_SECRET_LENGTH = 8;

/** Every upstream key of the switchboard's providers, read now (settings and environment can change). */
export function upstreamSecrets(switchboard: Switchboard, env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  };
  for (const provider of switchboard.providers as readonly ProviderInput[]) {
    if (!('descriptor' in provider)) continue;
    add(provider.settings.apiKey);
    for (const value of Object.values(provider.settings.headers ?? {})) add(value);
    for (const name of provider.descriptor.auth.env) add(env[name]);
  }
  return [...secrets];
}
