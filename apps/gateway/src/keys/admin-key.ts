/**
 * The admin key: one secret, given to the gateway through an environment variable named in the
 * config (`keys.adminKeyEnv`, e.g. `SWITCHBOARD_ADMIN_KEY`), that guards `/api/*` writes and key
 * management. Only its SHA-256 is kept (`settings.adminKeyHash`); a request's key is hashed and
 * compared in constant time.
 */
import type { GatewaySettings } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import { hashesEqual, hashKey, presentedKey } from './secret.js';

/**
 * The admin key's hash from the environment variable `name`; undefined without a name. A named but
 * unset or empty variable is a configuration error (starting without the guard the config asked for
 * would leave key management open).
 */
export function adminKeyHashFromEnv(
  name: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  if (name === undefined) return undefined;
  const value = env[name]?.trim();
  if (value === undefined || value === '') {
    throw new Error(`keys.adminKeyEnv: the environment variable ${name} is not set (it must hold the admin key)`);
  }
  return hashKey(value);
}

/**
 * Refuses a request that does not carry the admin key (`Authorization: Bearer` or `x-api-key`):
 * 403 when the gateway has no admin key at all (management is closed, not open), 401 for a missing
 * or wrong key.
 */
export function requireAdmin(
  headers: Record<string, string | string[] | undefined>,
  settings: Pick<GatewaySettings, 'adminKeyHash'>,
): void {
  if (settings.adminKeyHash === undefined) {
    throw new GatewayError(
      403,
      'This gateway has no admin key: set keys.adminKeyEnv in the config to manage it over HTTP',
      {
        type: 'permission_error',
        code: 'admin_key_not_configured',
      },
    );
  }
  const key = presentedKey(headers);
  if (key === undefined || !hashesEqual(settings.adminKeyHash, hashKey(key))) {
    throw new GatewayError(401, key === undefined ? 'Missing admin key' : 'Invalid admin key', {
      type: 'authentication_error',
      code: 'invalid_admin_key',
    });
  }
}
