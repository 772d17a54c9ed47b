/**
 * Config files Switchboard writes (`switchboard config set`, apps that store keys for their users):
 * provider settings as JSON, with every API key and header value encrypted at rest (AES-256-GCM,
 * key from the user's passphrase through scrypt with a random salt, a random IV per value) and the
 * whole file authenticated, so neither a secret nor a base URL can be changed unnoticed.
 *
 * Format (version 1):
 * `{ format: 'switchboard-config', version: 1, encryption?: { cipher, kdf, salt, N, r, p, check },
 *    providers: { <id>: { apiKey?: Sealed, baseURL?, headers?: { name: Sealed }, params? } }, mac? }`
 */
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { ConfigurationError } from '../errors/errors.js';
import { canonicalJson } from '../resilience/state/canonical-json.js';
import {
  DEFAULT_SCRYPT,
  type DerivedKeys,
  deriveKeys,
  isSealed,
  mac,
  macEquals,
  newSalt,
  open,
  type ScryptParams,
  type SealedValue,
  seal,
} from '../runtime/config/secret-box.js';
import type { ProviderConfig, SwitchboardConfig } from '../types/config.js';

/** The `format` marker of config files. */
export const CONFIG_FILE_FORMAT = 'switchboard-config';
/** The config file version this release writes and reads. */
export const CONFIG_FILE_VERSION = 1;
/** The environment variable read for the passphrase when `encryptionKey` is not given. */
export const CONFIG_KEY_ENV = 'SWITCHBOARD_CONFIG_KEY';

const KEY_CHECK = 'switchboard-config-key-check';
const MAX_SCRYPT_N = 2 ** 20;

/** Options of {@link saveConfigFile} and {@link loadConfigFile}. */
export interface ConfigFileOptions {
  /** The passphrase the secrets are encrypted under (default: `$SWITCHBOARD_CONFIG_KEY`). */
  encryptionKey?: string;
  /** scrypt cost when saving (default N=2^15, r=8, p=1). */
  scrypt?: ScryptParams;
}

interface StoredProvider {
  apiKey?: SealedValue;
  baseURL?: string;
  headers?: Record<string, SealedValue>;
  params?: Record<string, string>;
}

interface StoredEncryption extends ScryptParams {
  cipher: 'aes-256-gcm';
  kdf: 'scrypt';
  salt: string;
  check: string;
}

interface StoredConfig {
  format: typeof CONFIG_FILE_FORMAT;
  version: number;
  encryption?: StoredEncryption;
  providers: Record<string, StoredProvider>;
  mac?: string;
}

function passphraseOf(options: ConfigFileOptions | undefined): string | undefined {
  const key = options?.encryptionKey ?? process.env[CONFIG_KEY_ENV];
  return key === undefined || key === '' ? undefined : key;
}

function hasSecrets(config: SwitchboardConfig): boolean {
  return Object.values(config).some(
    (provider) => Boolean(provider?.apiKey) || Object.keys(provider?.headers ?? {}).length > 0,
  );
}

/**
 * Writes provider settings to `path` (mode 0600, atomically). API keys and header values are
 * encrypted; a config holding any of them needs `encryptionKey` (or `$SWITCHBOARD_CONFIG_KEY`).
 */
export async function saveConfigFile(
  path: string,
  config: SwitchboardConfig,
  options?: ConfigFileOptions,
): Promise<void> {
  const passphrase = passphraseOf(options);
  const doc: StoredConfig = { format: CONFIG_FILE_FORMAT, version: CONFIG_FILE_VERSION, providers: {} };
  let keys: DerivedKeys | undefined;
  if (passphrase !== undefined) {
    const params = options?.scrypt ?? DEFAULT_SCRYPT;
    const salt = newSalt();
    keys = deriveKeys(passphrase, salt, params);
    doc.encryption = {
      cipher: 'aes-256-gcm',
      kdf: 'scrypt',
      salt: salt.toString('base64'),
      ...params,
      check: mac(keys, KEY_CHECK),
    };
  } else if (hasSecrets(config)) {
    throw new ConfigurationError(
      `Refusing to write API keys to ${path} unencrypted: pass encryptionKey or set ${CONFIG_KEY_ENV}`,
      { setting: CONFIG_KEY_ENV },
    );
  }
  for (const [id, provider] of Object.entries(config)) {
    if (provider === undefined) continue;
    const stored: StoredProvider = {};
    if (provider.apiKey) stored.apiKey = seal(keys as DerivedKeys, provider.apiKey, `providers.${id}.apiKey`);
    if (provider.baseURL !== undefined) stored.baseURL = provider.baseURL;
    if (provider.headers !== undefined && Object.keys(provider.headers).length > 0) {
      stored.headers = {};
      for (const [name, value] of Object.entries(provider.headers))
        stored.headers[name] = seal(keys as DerivedKeys, value, `providers.${id}.headers.${name}`);
    }
    if (provider.params !== undefined) stored.params = { ...provider.params };
    doc.providers[id] = stored;
  }
  if (keys !== undefined) doc.mac = mac(keys, canonicalJson({ ...doc, mac: undefined }));
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

function fail(path: string, problem: string, setting?: string): never {
  throw new ConfigurationError(`Config file ${path} ${problem}`, setting === undefined ? {} : { setting });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function validate(path: string, raw: unknown): StoredConfig {
  if (!isObject(raw) || raw.format !== CONFIG_FILE_FORMAT)
    fail(path, `is not a Switchboard config file (no "format": "${CONFIG_FILE_FORMAT}")`);
  if (typeof raw.version !== 'number') fail(path, 'is corrupt: "version" is missing');
  if (raw.version > CONFIG_FILE_VERSION)
    fail(
      path,
      `was written by a newer Switchboard (version ${raw.version}); this one reads version ${CONFIG_FILE_VERSION}`,
    );
  if (raw.version !== CONFIG_FILE_VERSION) fail(path, `has unsupported version ${raw.version}`);
  if (!isObject(raw.providers)) fail(path, 'is corrupt: "providers" must be an object');
  const enc = raw.encryption;
  if (enc !== undefined) {
    if (!isObject(enc) || enc.cipher !== 'aes-256-gcm' || enc.kdf !== 'scrypt')
      fail(path, 'is corrupt: "encryption" must name cipher aes-256-gcm and kdf scrypt');
    for (const field of ['salt', 'check'] as const)
      if (typeof enc[field] !== 'string') fail(path, `is corrupt: "encryption.${field}" is missing`);
    for (const field of ['N', 'r', 'p'] as const)
      if (typeof enc[field] !== 'number' || !Number.isInteger(enc[field]) || (enc[field] as number) < 1)
        fail(path, `is corrupt: "encryption.${field}" must be a positive integer`);
    const { N, r, p } = enc as unknown as ScryptParams;
    if (N > MAX_SCRYPT_N || r > 32 || p > 16 || (N & (N - 1)) !== 0)
      fail(path, `is corrupt: scrypt parameters out of range (N=${N}, r=${r}, p=${p})`);
    if (typeof raw.mac !== 'string') fail(path, 'is corrupt: "mac" is missing');
  }
  for (const [id, provider] of Object.entries(raw.providers)) {
    if (!isObject(provider)) fail(path, `is corrupt: "providers.${id}" must be an object`);
    if (provider.apiKey !== undefined) {
      if (!isSealed(provider.apiKey))
        fail(path, `is corrupt: "providers.${id}.apiKey" is not an encrypted value (plaintext keys are not accepted)`);
      if (enc === undefined)
        fail(path, `is corrupt: "providers.${id}.apiKey" is encrypted but "encryption" is missing`);
    }
    if (provider.baseURL !== undefined && typeof provider.baseURL !== 'string')
      fail(path, `is corrupt: "providers.${id}.baseURL" must be a string`);
    for (const field of ['headers', 'params'] as const)
      if (provider[field] !== undefined && !isObject(provider[field]))
        fail(path, `is corrupt: "providers.${id}.${field}" must be an object`);
    for (const [name, value] of Object.entries((provider.headers as Record<string, unknown>) ?? {}))
      if (!isSealed(value)) fail(path, `is corrupt: "providers.${id}.headers.${name}" is not an encrypted value`);
    for (const [name, value] of Object.entries((provider.params as Record<string, unknown>) ?? {}))
      if (typeof value !== 'string') fail(path, `is corrupt: "providers.${id}.params.${name}" must be a string`);
  }
  return raw as unknown as StoredConfig;
}

/**
 * Reads a config file written by {@link saveConfigFile} and decrypts its secrets. Fails with a
 * ConfigurationError that says what is wrong: not a Switchboard config file, a newer version,
 * corrupt (naming the field), a wrong encryption key, or a file modified after it was written.
 */
export async function loadConfigFile(path: string, options?: ConfigFileOptions): Promise<SwitchboardConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    fail(path, code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail(path, 'is not a Switchboard config file (not valid JSON)');
  }
  const doc = validate(path, raw);
  const out: Record<string, ProviderConfig> = {};
  let keys: DerivedKeys | undefined;
  if (doc.encryption !== undefined) {
    const passphrase = passphraseOf(options);
    if (passphrase === undefined)
      fail(path, `holds encrypted keys: pass encryptionKey or set ${CONFIG_KEY_ENV}`, CONFIG_KEY_ENV);
    const { salt, N, r, p, check } = doc.encryption;
    keys = deriveKeys(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
    if (!macEquals(mac(keys, KEY_CHECK), check))
      fail(path, 'cannot be decrypted: wrong encryption key', CONFIG_KEY_ENV);
    if (!macEquals(mac(keys, canonicalJson({ ...doc, mac: undefined })), doc.mac as string))
      fail(path, 'failed its integrity check: it was modified after Switchboard wrote it');
  }
  for (const [id, provider] of Object.entries(doc.providers)) {
    const config: ProviderConfig = {};
    const decrypt = (sealed: SealedValue, where: string): string => {
      try {
        return open(keys as DerivedKeys, sealed, where);
      } catch {
        return fail(path, `is corrupt: "${where}" does not decrypt (tampered or damaged)`);
      }
    };
    if (provider.apiKey !== undefined) config.apiKey = decrypt(provider.apiKey, `providers.${id}.apiKey`);
    if (provider.baseURL !== undefined) config.baseURL = provider.baseURL;
    if (provider.headers !== undefined) {
      config.headers = {};
      for (const [name, sealed] of Object.entries(provider.headers))
        config.headers[name] = decrypt(sealed, `providers.${id}.headers.${name}`);
    }
    if (provider.params !== undefined) config.params = { ...provider.params };
    out[id] = config;
  }
  return out;
}
