/**
 * `switchboard-gateway keys create|list|revoke`: key management from a shell, against the Store the
 * config names. The key is printed once, alone on standard output (so `KEY=$(... keys create ...)`
 * works), and only its SHA-256 is stored. With the memory store a key would vanish with this very
 * command's process, so the commands refuse it and say what to do instead (a `redis://` store, or
 * `POST /api/keys` on the running gateway).
 */
import { MemoryStore, type Store } from '@switchboard/core';
import { createRedisStore } from '@switchboard/redis';
import type { Command } from 'commander';
import { loadGatewayConfig } from '../config.js';
import { KeySettingsError } from './key-settings.js';
import { VirtualKeyStore } from './key-store.js';

/** What the commands reach for; tests replace the Store and the output streams. */
export interface KeysCommandDependencies {
  /** Opens the Store for a `store` setting (`memory` or a `redis://` URL). */
  openStore?(setting: string): Store;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  env?: Record<string, string | undefined>;
  /** Called with 1 after a failure was reported (default: sets `process.exitCode`). */
  exit?: (code: number) => void;
}

interface StoreOptions {
  config?: string;
  store?: string;
}

/** Registers `keys` and its subcommands on the gateway's commander program. */
export function registerKeysCommand(program: Command, dependencies: KeysCommandDependencies = {}): Command {
  const stdout = dependencies.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = dependencies.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const env = dependencies.env ?? process.env;
  const openStore = dependencies.openStore ?? defaultOpenStore;
  const exit = dependencies.exit ?? ((code: number) => (process.exitCode = code));
  /** A failure is one line on stderr and exit code 1, not a stack trace. */
  const reported =
    <A extends unknown[]>(run: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      try {
        await run(...args);
      } catch (error) {
        stderr(`switchboard-gateway ${(error as Error).message}`);
        exit(1);
      }
    };

  async function withKeys<T>(options: StoreOptions, run: (keys: VirtualKeyStore) => Promise<T>): Promise<T> {
    const setting = await storeSetting(options, env);
    if (setting === 'memory') {
      throw new Error(
        'keys: the store is "memory", so a key made here would vanish with this command. Set `store: redis://...` in the config (or --store) so every gateway instance shares the keys, or create keys on the running gateway with POST /api/keys.',
      );
    }
    const store = openStore(setting);
    try {
      return await run(new VirtualKeyStore(store));
    } finally {
      await store.close();
    }
  }

  const keys = program.command('keys').description('manage virtual keys (stored as SHA-256 in the shared Store)');
  const storeFlags = (command: Command) =>
    command
      .option('--config <file>', 'gateway config file (YAML); also SWITCHBOARD_GATEWAY_CONFIG')
      .option('--store <url>', 'the Store to use, overriding the config (redis://...)');

  storeFlags(keys.command('create'))
    .description('mint a virtual key; prints it once')
    .option('--name <label>', 'a label for people')
    .option('--budget <dollars/period>', 'spend limit in USD per hour, day, month or total (50/day)')
    .option('--rpm <n>', 'requests per minute')
    .option('--tpm <n>', 'tokens per minute')
    .option('--max-concurrent <n>', 'requests in flight at once')
    .option('--models <globs>', "allowed models, comma-separated globs ('openai/*,anthropic/*')")
    .option('--tags <tags>', 'comma-separated tags for budgets and telemetry')
    .option('--expires <date>', 'expiry date or ISO instant (2027-01-01)')
    .action(
      reported(async (options: StoreOptions & Record<string, string | undefined>) => {
        const settings: Record<string, unknown> = {};
        const fields: [string, string][] = [
          ['name', 'name'],
          ['budget', 'budget'],
          ['rpm', 'rpm'],
          ['tpm', 'tpm'],
          ['maxConcurrent', 'maxConcurrent'],
          ['models', 'models'],
          ['tags', 'tags'],
          ['expires', 'expiresAt'],
        ];
        for (const [flag, field] of fields) if (options[flag] !== undefined) settings[field] = options[flag];
        try {
          const created = await withKeys(options, (store) => store.create(settings));
          stdout(created.key);
          stderr(`created ${created.record.id}; the key above is shown only this once`);
        } catch (error) {
          if (error instanceof KeySettingsError) throw new Error(`keys create: ${flagNames(error.message)}`);
          throw error;
        }
      }),
    );

  storeFlags(keys.command('list'))
    .description('list virtual keys (ids and settings, never the keys)')
    .action(
      reported(async (options: StoreOptions) => {
        const records = await withKeys(options, (store) => store.list());
        stdout(JSON.stringify(records, null, 2));
      }),
    );

  storeFlags(keys.command('revoke'))
    .description('revoke a virtual key by id')
    .argument('<id>', 'the key id (vk_...)')
    .action(
      reported(async (id: string, options: StoreOptions) => {
        const existed = await withKeys(options, (store) => store.revoke(id));
        if (!existed) throw new Error(`keys revoke: no virtual key with id '${id}'`);
        stdout(`revoked ${id}`);
      }),
    );

  return keys;
}

/** `--store`, else the config's `store`, else `memory`. */
async function storeSetting(options: StoreOptions, env: Record<string, string | undefined>): Promise<string> {
  if (options.store !== undefined) return options.store;
  const file = options.config ?? env.SWITCHBOARD_GATEWAY_CONFIG;
  if (file === undefined) return 'memory';
  const { config } = await loadGatewayConfig(file);
  return config.store ?? 'memory';
}

function defaultOpenStore(setting: string): Store {
  if (setting === 'memory') return new MemoryStore();
  if (!/^rediss?:\/\//.test(setting)) throw new Error(`keys: --store must be a redis:// URL, got '${setting}'`);
  return createRedisStore({ url: setting, failover: false });
}

/** Settings field names back to the flags a shell user typed (`expiresAt` -> `--expires`). */
function flagNames(message: string): string {
  return message
    .replace(/\bexpiresAt\b/g, '--expires')
    .replace(/\bmaxConcurrent\b/g, '--max-concurrent')
    .replace(/(^|; )(budget|rpm|tpm|models|tags|name):/g, '$1--$2:');
}
