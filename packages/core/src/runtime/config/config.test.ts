import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defineProvider } from '../../catalog/define-provider.js';
import { loadConfigFile, saveConfigFile } from '../../composition/config-file.js';
import { ConfigurationError } from '../../errors/errors.js';
import { maskKey } from '../../errors/mask-key.js';
import type { ProviderDescriptor } from '../../types/catalog.js';
import { createCallContext } from '../call-context.js';
import { fakeDescriptor, fakeModels } from '../test-support/fake-provider.js';
import { createConfigResolver } from './config-resolver.js';
import { checkKeyFormat } from './key-format.js';

const anthropicLike: ProviderDescriptor = {
  ...fakeDescriptor,
  id: 'anthropic',
  name: 'Anthropic',
  auth: {
    type: 'header',
    header: 'x-api-key',
    env: ['ANTHROPIC_API_KEY'],
    keyPattern: '^sk-ant-',
    keyHint: 'Anthropic keys start with "sk-ant-" (e.g. sk-ant-api03-...).',
  },
};
const provider = (settings = {}) =>
  defineProvider(
    { descriptor: { ...anthropicLike, id: 'anthropic' as const }, models: fakeModels, aliases: {} },
    settings,
  );
const env = { FAKE_PORT: '1' };
const fast = { scrypt: { N: 2 ** 10, r: 8, p: 1 } };

describe('maskKey', () => {
  it('keeps the vendor prefix and the last four characters', () => {
    expect(maskKey('sk-proj-abcdefghijklmnopqrstuvwxyz1a2b')).toBe('sk-proj-...1a2b');
    expect(maskKey('sk-abcdefghijklmnopqrstuvwxyza1b2')).toBe('sk-...a1b2');
    expect(maskKey('sk-ant-api03-abcdefghijklmnopqrstuvwxyz9z9z')).toBe('sk-ant-...9z9z');
    expect(maskKey('AIzaSyA1234567890abcdefghijklmnopqrs')).toBe('AIza...pqrs');
    expect(maskKey('0123456789abcdef0123456789abcdef')).toBe('...cdef');
    expect(maskKey('short')).toBe('****');
    expect(maskKey(undefined)).toBe('');
  });

  it('keeps a known vendor prefix whole even on a short key (the README example)', () => {
    expect(maskKey('sk-proj-abc...1a2b')).toBe('sk-proj-...1a2b');
    expect(maskKey('sk-or-v1-0123456789abcdef')).toBe('sk-or-v1-...cdef');
    expect(maskKey('gsk_0123456789abcdefWXYZ')).toBe('gsk_...WXYZ');
    expect(maskKey('xai-0123456789abcdefWXYZ')).toBe('xai-...WXYZ');
    expect(maskKey('pplx-0123456789abcdefWXYZ')).toBe('pplx-...WXYZ');
    // A prefix-looking start that is most of the key is not a vendor prefix: it stays hidden.
    expect(maskKey('abcdef-ghijklmn-op1234')).toBe('...1234');
  });
});

describe('key format', () => {
  it('names the variable and the expected prefix, never the key', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz1a2b';
    const message = checkKeyFormat(anthropicLike, key, 'ANTHROPIC_API_KEY') as string;
    expect(message).toContain('ANTHROPIC_API_KEY does not look like an Anthropic key (expected sk-ant-...');
    expect(message).toContain('sk-proj-...1a2b');
    expect(message).not.toContain(key);
    expect(checkKeyFormat(anthropicLike, 'sk-ant-api03-xyz', 'ANTHROPIC_API_KEY')).toBeUndefined();
  });

  it('warns once by default and fails with keyCheck: error', async () => {
    const warn = vi.fn();
    const bad = { ...env, ANTHROPIC_API_KEY: 'sk-proj-abcdefghijklmnopqrstuvwxyz1a2b' };
    const warning = createConfigResolver([provider()], {}, bad, { warn });
    await warning.prepare('anthropic');
    await warning.prepare('anthropic');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain('ANTHROPIC_API_KEY does not look like an Anthropic key');
    const strict = createConfigResolver([provider()], { keyCheck: 'error' }, bad, undefined);
    await expect(strict.prepare('anthropic')).rejects.toMatchObject({
      kind: 'configuration',
      setting: 'ANTHROPIC_API_KEY',
    });
    const off = createConfigResolver([provider()], { keyCheck: 'off' }, bad, { warn });
    await off.prepare('anthropic');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('config resolver', () => {
  it('merges static config over provider settings and env', async () => {
    const resolver = createConfigResolver(
      [provider({ apiKey: 'sk-ant-factory', headers: { a: '1' } })],
      { config: { anthropic: { apiKey: 'sk-ant-static', params: { port: '9' }, headers: { b: '2' } } } },
      { ANTHROPIC_API_KEY: 'sk-ant-env' },
      undefined,
    );
    const wrapped = resolver.providers[0] as ReturnType<typeof provider>;
    const ctx = createCallContext(wrapped, 'big', undefined, {});
    expect(ctx.apiKey).toBe('sk-ant-static');
    expect(ctx.baseURL).toBe('http://127.0.0.1:9/v1');
    expect(ctx.settings.headers).toEqual({ a: '1', b: '2' });
    expect(await resolver.configured('anthropic')).toBe(true);
  });

  it('fetches from a config provider lazily, once, and again after the TTL', async () => {
    let now = 0;
    let version = 0;
    const get = vi.fn(async () => ({ apiKey: `sk-ant-vault-${++version}` }));
    const resolver = createConfigResolver(
      [provider()],
      { configProvider: { get }, configTtlMs: 1000 },
      env,
      undefined,
      () => now,
    );
    expect(get).not.toHaveBeenCalled();
    await Promise.all([resolver.prepare('anthropic'), resolver.prepare('anthropic')]);
    expect(get).toHaveBeenCalledTimes(1);
    const wrapped = resolver.providers[0] as ReturnType<typeof provider>;
    expect(createCallContext(wrapped, 'big', undefined, env).apiKey).toBe('sk-ant-vault-1');
    now = 500;
    await resolver.prepare('anthropic');
    expect(get).toHaveBeenCalledTimes(1);
    now = 1500;
    await resolver.prepare('anthropic');
    expect(createCallContext(wrapped, 'big', undefined, env).apiKey).toBe('sk-ant-vault-2');
  });

  it('reports unconfigured providers and config provider failures', async () => {
    const none = createConfigResolver([provider()], { configProvider: async () => undefined }, env, undefined);
    expect(await none.configured('anthropic')).toBe(false);
    const failing = createConfigResolver(
      [provider()],
      {
        configProvider: () => {
          throw new Error('vault sealed');
        },
      },
      env,
      undefined,
    );
    await expect(failing.prepare('anthropic')).rejects.toThrow(
      /config provider failed for provider 'anthropic': vault sealed/,
    );
  });
});

describe('config file', () => {
  const secret = 'sk-ant-api03-SECRETSECRETSECRET-a1b2';
  const config = {
    anthropic: { apiKey: secret, baseURL: 'https://proxy.example/v1', headers: { 'x-team': 'team-token-123' } },
    ollama: { baseURL: 'http://localhost:11434' },
  };
  const tempFile = async () => join(await mkdtemp(join(tmpdir(), 'sb-config-')), 'config.json');

  it('round-trips and never stores a key in plaintext', async () => {
    const path = await tempFile();
    await saveConfigFile(path, config, { encryptionKey: 'correct horse', ...fast });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(secret);
    expect(text).not.toContain('SECRETSECRET');
    expect(text).not.toContain('team-token-123');
    expect(Buffer.from(text).includes(Buffer.from(secret).toString('base64').slice(0, 12))).toBe(false);
    expect(JSON.parse(text)).toMatchObject({ format: 'switchboard-config', version: 1 });
    expect(await loadConfigFile(path, { encryptionKey: 'correct horse' })).toEqual(config);
  });

  it('uses a fresh salt and IV on every save', async () => {
    const a = await tempFile();
    const b = await tempFile();
    await saveConfigFile(a, config, { encryptionKey: 'k', ...fast });
    await saveConfigFile(b, config, { encryptionKey: 'k', ...fast });
    const [left, right] = [JSON.parse(await readFile(a, 'utf8')), JSON.parse(await readFile(b, 'utf8'))];
    expect(left.encryption.salt).not.toBe(right.encryption.salt);
    expect(left.providers.anthropic.apiKey.iv).not.toBe(right.providers.anthropic.apiKey.iv);
  });

  it('fails clearly on a wrong key, tampering, corruption and foreign files', async () => {
    const path = await tempFile();
    await saveConfigFile(path, config, { encryptionKey: 'right', ...fast });
    await expect(loadConfigFile(path, { encryptionKey: 'wrong' })).rejects.toThrow(/wrong encryption key/);
    await expect(loadConfigFile(path, { encryptionKey: '' })).rejects.toThrow(/holds encrypted keys/);

    const doc = JSON.parse(await readFile(path, 'utf8'));
    const tamper = async (change: (d: typeof doc) => void) => {
      const copy = structuredClone(doc);
      change(copy);
      await writeFile(path, JSON.stringify(copy));
      return loadConfigFile(path, { encryptionKey: 'right' });
    };
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0] = (bytes[0] as number) ^ 1;
      return bytes.toString('base64');
    };
    await expect(tamper((d) => (d.providers.anthropic.baseURL = 'https://evil.example'))).rejects.toThrow(
      /integrity check: it was modified/,
    );
    await expect(
      tamper((d) => (d.providers.anthropic.apiKey.data = flip(d.providers.anthropic.apiKey.data))),
    ).rejects.toThrow(/integrity check/);
    // A changed authentication tag is caught as well.
    await expect(
      tamper((d) => {
        d.providers.anthropic.apiKey.tag = flip(d.providers.anthropic.apiKey.tag);
      }),
    ).rejects.toThrow(ConfigurationError);
    await expect(tamper((d) => (d.providers.anthropic.apiKey = 'sk-plain'))).rejects.toThrow(
      /providers.anthropic.apiKey" is not an encrypted value/,
    );
    await expect(tamper((d) => (d.version = 7))).rejects.toThrow(/newer Switchboard \(version 7\)/);
    await expect(tamper((d) => delete d.encryption.salt)).rejects.toThrow(/"encryption.salt" is missing/);
    await expect(tamper((d) => (d.format = 'other'))).rejects.toThrow(/is not a Switchboard config file/);
    await writeFile(path, '{ not json');
    await expect(loadConfigFile(path, { encryptionKey: 'right' })).rejects.toThrow(/not valid JSON/);
  });

  it('refuses to write keys without an encryption key; plain settings need none', async () => {
    const path = await tempFile();
    const saved = process.env.SWITCHBOARD_CONFIG_KEY;
    delete process.env.SWITCHBOARD_CONFIG_KEY;
    try {
      await expect(saveConfigFile(path, config)).rejects.toThrow(/Refusing to write API keys/);
      await saveConfigFile(path, { ollama: { baseURL: 'http://localhost:11434' } });
      expect(await loadConfigFile(path)).toEqual({ ollama: { baseURL: 'http://localhost:11434' } });
    } finally {
      if (saved !== undefined) process.env.SWITCHBOARD_CONFIG_KEY = saved;
    }
  });
});
