/**
 * The secret half of a virtual key: how one is minted, hashed and compared. Only the SHA-256 of a key
 * is ever stored (a leaked Store gives nothing a client can present), and hashes are compared with
 * `timingSafeEqual` so response timing tells an attacker nothing about how close a guess was.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every virtual key starts with this, so scanners and people recognise one. */
export const VIRTUAL_KEY_PREFIX = 'sk-sb-';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 random bytes need 43 base62 digits (62^43 > 2^256). */
const SECRET_DIGITS = 43;

/** Encodes bytes as fixed-width base62 (leading zeros kept), so every key has the same length. */
function base62(bytes: Uint8Array, digits: number): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < digits; i += 1) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}

/** A fresh virtual key: `sk-sb-` plus 32 random bytes in base62 (shown to its owner once). */
export function generateVirtualKey(): string {
  return VIRTUAL_KEY_PREFIX + base62(randomBytes(32), SECRET_DIGITS);
}

/** A fresh key id (`vk_` plus 12 base62 digits of 9 random bytes): public, safe to log and list. */
export function generateKeyId(): string {
  return `vk_${base62(randomBytes(9), 12)}`;
}

/** SHA-256 of a key, hex: what the Store holds and what lookups use. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two hex SHA-256 digests. Inputs of another length (never produced by
 * `hashKey`) are unequal without a timing-dependent comparison of their contents.
 */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  if (left.length !== 32 || right.length !== 32) return false;
  return timingSafeEqual(left, right);
}

/**
 * The key a request presents: `Authorization: Bearer <key>` (OpenAI clients) or `x-api-key: <key>`
 * (Anthropic clients). Undefined when neither header carries one.
 */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = first(headers.authorization);
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  const apiKey = first(headers['x-api-key'])?.trim();
  return apiKey === undefined || apiKey === '' ? undefined : apiKey;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
