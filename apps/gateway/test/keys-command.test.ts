/**
 * `switchboard-gateway keys create|list|revoke` (commander, in-process) against a real redis-server
 * named by a config file: the key is printed once and alone on stdout, the Store holds its SHA-256
 * and never the key, list shows ids without keys, revoke removes it; the memory store and bad flags
 * are refused with one line naming what to change.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedisStore } from '@switchboard/redis';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../test/redis/redis-server.ts';
import { registerKeysCommand } from '../src/keys/command.js';
import { VirtualKeyStore } from '../src/keys/key-store.js';
import { hashKey } from '../src/keys/secret.js';

let redis: RedisServer;
let configFile: string;

beforeAll(async () => {
  redis = startRedisServer();
  const directory = await mkdtemp(join(tmpdir(), 'gateway-keys-cli-'));
  configFile = join(directory, 'gateway.yaml');
  await writeFile(configFile, `store: ${redis.url}\n`);
});
afterAll(() => redis?.stop());

async function run(...args: string[]): Promise<{ stdout: string[]; stderr: string[]; code: number }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let code = 0;
  const program = new Command('switchboard-gateway').exitOverride();
  registerKeysCommand(program, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env: {},
    exit: (exitCode) => {
      code = exitCode;
    },
  });
  await program.parseAsync(['node', 'switchboard-gateway', 'keys', ...args]);
  return { stdout, stderr, code };
}

describe('keys command', () => {
  it('creates a key printed once, stores only its hash, lists ids and revokes', async () => {
    const created = await run(
      'create',
      '--config',
      configFile,
      '--budget',
      '50/day',
      '--rpm',
      '60',
      '--tpm',
      '100000',
      '--models',
      'openai/*,anthropic/*',
      '--tags',
      'team-a',
      '--expires',
      '2099-01-01',
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toHaveLength(1);
    const key = created.stdout[0] as string;
    expect(key).toMatch(/^sk-sb-[0-9A-Za-z]{43}$/);
    const id = /created (vk_\w+)/.exec(created.stderr.join('\n'))?.[1] as string;
    expect(id).toBeDefined();

    // What Redis holds: the record under the key's hash, and nowhere the key itself.
    const dump = redis.cli(
      '--no-raw',
      'eval',
      "local out = {} for _, k in ipairs(redis.call('keys', '*')) do if redis.call('type', k).ok == 'string' then table.insert(out, k .. '=' .. redis.call('get', k)) end end return table.concat(out, '\\n')",
      '0',
    );
    expect(dump).toContain(hashKey(key));
    expect(dump).not.toContain(key);
    const store = createRedisStore({ url: redis.url, failover: false });
    try {
      expect(await new VirtualKeyStore(store).find(key)).toMatchObject({
        id,
        rpm: 60,
        tpm: 100000,
        models: ['openai/*', 'anthropic/*'],
        tags: ['team-a'],
        budget: { maxCostUsd: 50, period: 'day' },
        expiresAt: '2099-01-01T00:00:00.000Z',
      });
    } finally {
      await store.close();
    }

    const listed = await run('list', '--config', configFile);
    expect(JSON.parse(listed.stdout.join('\n'))).toEqual([expect.objectContaining({ id, rpm: 60 })]);
    expect(listed.stdout.join('\n')).not.toContain(key);

    expect((await run('revoke', id, '--config', configFile)).stdout).toEqual([`revoked ${id}`]);
    expect(JSON.parse((await run('list', '--store', redis.url)).stdout.join('\n'))).toEqual([]);
    const again = await run('revoke', id, '--store', redis.url);
    expect(again.code).toBe(1);
    expect(again.stderr.join('\n')).toContain(`no virtual key with id '${id}'`);
  });

  it('refuses bad flags naming the flag, and the memory store saying what to use instead', async () => {
    const bad = await run('create', '--config', configFile, '--rpm', 'many');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toEqual([]);
    expect(bad.stderr.join('\n')).toMatch(/keys create: --rpm: /);
    const memory = await run('create');
    expect(memory.code).toBe(1);
    expect(memory.stderr.join('\n')).toMatch(/store is "memory".*redis:\/\/.*POST \/api\/keys/);
  });
});
