/**
 * AES-256-GCM under a key derived from a passphrase with scrypt (node:crypto only). One derivation
 * gives two keys: one encrypts secrets, the other authenticates the whole file (HMAC-SHA256) and
 * recognises a wrong passphrase before anything is decrypted.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters as stored in a file. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt minimum (N=2^17, r=8, p=1) costs ~128 MiB; 2^15 keeps a CLI start under ~100 ms. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** A ciphertext as stored: base64 IV (12 bytes), tag (16 bytes) and data. */
export interface SealedValue {
  $encrypted: 'aes-256-gcm';
  iv: string;
  tag: string;
  data: string;
}

/** The two keys of one file. */
export interface DerivedKeys {
  encryption: Buffer;
  mac: Buffer;
}

/** Derives the encryption and MAC keys from a passphrase and salt. */
export function deriveKeys(passphrase: string, salt: Buffer, params: ScryptParams): DerivedKeys {
  const bytes = scryptSync(passphrase.normalize('NFC'), salt, 64, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem: 256 * params.N * params.r * params.p + 1024 * 1024,
  });
  return { encryption: bytes.subarray(0, 32), mac: bytes.subarray(32) };
}

/** Encrypts `plaintext`, binding it to `aad` (the value's path) so ciphertexts cannot be swapped. */
export function seal(keys: DerivedKeys, plaintext: string, aad: string): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    $encrypted: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Decrypts a sealed value; throws when the tag does not verify (wrong key, tampering, wrong path). */
export function open(keys: DerivedKeys, sealed: SealedValue, aad: string): string {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== 12 || tag.length !== 16) throw new Error('bad IV or tag length');
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, iv, { authTagLength: 16 });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
}

/** HMAC-SHA256 of `text` under the MAC key, base64. */
export function mac(keys: DerivedKeys, text: string): string {
  return createHmac('sha256', keys.mac).update(text, 'utf8').digest('base64');
}

/** Constant-time comparison of two base64 MACs. */
export function macEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64');
  const right = Buffer.from(b, 'base64');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** True for a value shaped like {@link SealedValue}. */
export function isSealed(value: unknown): value is SealedValue {
  const v = value as Partial<SealedValue> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.$encrypted === 'aes-256-gcm' &&
    typeof v.iv === 'string' &&
    typeof v.tag === 'string' &&
    typeof v.data === 'string'
  );
}

/** A fresh random salt. */
export function newSalt(): Buffer {
  return randomBytes(16);
}
