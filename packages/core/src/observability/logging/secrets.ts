/**
 * The secrets a switchboard knows, gathered when a line is written (keys set or rotated later are
 * seen): every provider's `apiKey` (settings, static config and config provider merged), credential
 * headers in its settings, and the values of the environment variables its catalog entry names for
 * auth (plus the well-known cloud credential variables).
 */

import { CREDENTIAL_ENV } from '../../errors/redact.js';
import { isSecretField } from '../../errors/redact-records.js';
import { matcherFor, type SecretMatcher } from '../../errors/secret-patterns.js';
import type { ProviderDefinition, ProviderInput } from '../../types/provider.js';

/** Credential variables read by protocols beyond the catalog's `auth.env` lists. */
const WELL_KNOWN_ENV = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK'];

function isDefinition(provider: ProviderInput): provider is ProviderDefinition {
  return (provider as { kind?: string }).kind !== 'custom';
}

/** A source of every secret these providers may send. */
export function providerSecrets(
  providers: readonly ProviderInput[],
  env: Readonly<Record<string, string | undefined>>,
): () => Iterable<string | undefined> {
  const names = new Set(WELL_KNOWN_ENV);
  for (const provider of providers)
    if (isDefinition(provider)) for (const name of provider.descriptor.auth.env) names.add(name);
  const envNames = [...names];
  return function* () {
    for (const name of envNames) yield env[name];
    for (const provider of providers) {
      if (!isDefinition(provider)) continue;
      const settings = provider.settings;
      yield settings.apiKey;
      if (settings.headers !== undefined)
        for (const [name, value] of Object.entries(settings.headers))
          if (isSecretField(name)) {
            yield value;
            const space = value.indexOf(' ');
            if (space > 0) yield value.slice(space + 1);
          }
    }
  };
}

/** Every secret one switchboard knows, compiled for redaction (see `secret-patterns.ts`). */
export interface KnownSecrets {
  /** The current secrets (read again each time: keys set or rotated later are seen). */
  list(): Iterable<string | undefined>;
  /** The matcher of the current secrets (rebuilt only when they changed). */
  matcher(): SecretMatcher;
}

/**
 * The switchboard's secrets for redacting what it hands out besides log lines: event payloads,
 * spans, the telemetry view, saved sessions and cache entries. AWS credentials are included.
 */
export function knownSecrets(
  providers: () => readonly ProviderInput[],
  env: Readonly<Record<string, string | undefined>>,
): KnownSecrets {
  let source: (() => Iterable<string | undefined>) | undefined;
  const list = (): Iterable<string | undefined> => {
    source ??= providerSecrets(providers(), env);
    const secrets = [...source()];
    for (const name of CREDENTIAL_ENV) secrets.push(env[name]);
    return secrets;
  };
  return { list, matcher: () => matcherFor(list()) };
}
