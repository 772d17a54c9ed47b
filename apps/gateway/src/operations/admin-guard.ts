/**
 * The admin check of the operations API's writes (registry refresh, telemetry reset). With an admin
 * key configured the caller presents it as `x-admin-key` or `Authorization: Bearer` (or `x-api-key`,
 * as the key routes accept); its SHA-256 is compared with the configured hash in constant time
 * (`keys/secret.ts`), so timing says nothing about a guess. Without
 * an admin key, writes are allowed only from a loopback client (the gateway then refuses a
 * non-loopback bind anyway unless keys are configured): the socket's own address is used, never a
 * forwarded-for header a client could forge.
 */
import type { FastifyRequest } from 'fastify';
import type { GatewaySettings } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import { hashesEqual, hashKey, presentedKey } from '../keys/secret.js';

/** Whether a socket address is the local machine (IPv4 127/8, IPv6 ::1, IPv4-mapped loopback). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

/** The key the caller presents: `x-admin-key`, else what the key routes accept (Bearer, `x-api-key`). */
function adminKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-admin-key'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value !== undefined && value !== '') return value;
  return presentedKey(request.headers);
}

/** Throws a 401 or 403 `GatewayError` unless the request may perform an admin write. */
export function requireAdmin(request: FastifyRequest, settings: GatewaySettings): void {
  const expectedHash = settings.adminKeyHash;
  if (expectedHash === undefined || expectedHash === '') {
    if (isLoopbackAddress(request.socket.remoteAddress)) return;
    throw new GatewayError(
      403,
      'This write needs the admin key, and none is configured: without one, writes are accepted from loopback clients only',
      { type: 'permission_error' },
    );
  }
  const key = adminKeyOf(request);
  if (key === undefined)
    throw new GatewayError(401, 'This write needs the admin key: send it as `x-admin-key` or `Authorization: Bearer`', {
      type: 'authentication_error',
      param: 'x-admin-key',
    });
  if (!hashesEqual(expectedHash, hashKey(key)))
    throw new GatewayError(401, 'The admin key is not valid', { type: 'authentication_error', param: 'x-admin-key' });
}
