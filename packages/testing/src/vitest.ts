/**
 * Users' contract tests in one line: `defineContractTests(folder, { providers, run })` turns a folder
 * of recorded exchanges (one file per case, `<folder>/<provider>/<case>.json`, as the recorder or the
 * test cache writes them) into vitest tests, one per case and transport (`openai/greeting [undici]`).
 * Each runs the user's own code against a switchboard that answers only from that case's
 * recording, and checks both sides of the contract: what the code sends (every request matches a
 * recording, with the engine's diff on a miss, and every recording was asked for) and what it gets
 * back (the normalized result, compared with `<folder>/__results__/<provider>/<case>.json`, which
 * vitest writes on the first run and CI checks: the same file for every transport, so the default
 * undici transport and `fetch` must agree).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSwitchboard, type Switchboard, type SwitchboardOptions } from '@switchboard/core';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import type { RecordedExchange } from './exchange.js';
import { parseExchanges } from './replay/exchange-store.js';
import { createReplayEngine, type ReplayOptions } from './replay/replay-engine.js';
import { replayDispatcher } from './replay/undici-door.js';
import { replayExchanges } from './replay.js';

/** The folder of expected results inside a contracts folder (never loaded as recordings). */
export const RESULTS_FOLDER = '__results__';

/** One case: a recording file. */
export interface Contract {
  /** `<provider>/<case>` (the file's path in the folder, without `.json`). */
  name: string;
  /** The first folder below the contracts folder. */
  provider: string;
  file: string;
  exchanges: readonly RecordedExchange[];
}

type Providers = SwitchboardOptions<readonly never[]>['providers'];

/** Options of {@link defineContractTests}. */
export interface ContractTestOptions extends Pick<ReplayOptions, 'ignoreFields' | 'matcher'> {
  /** The providers your switchboard is built with (any key: a replay never sends it anywhere). */
  providers: Providers | readonly unknown[];
  /** Your code under test for one case; what it resolves to is the result checked against the results file. */
  run: (sb: Switchboard, contract: Contract) => Promise<unknown>;
  /** Transports each case runs through (default: both, `['undici', 'fetch']`). */
  transports?: readonly ('undici' | 'fetch')[];
  /** Other switchboard options (retries and the response cache are off unless given). */
  switchboard?: Record<string, unknown>;
  /** Keys removed from the result before it is compared (default: `latencyMs`, `raw`). */
  dropKeys?: readonly string[];
}

function caseFiles(folder: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const item of readdirSync(join(folder, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = prefix === '' ? item.name : `${prefix}/${item.name}`;
    if (item.isDirectory()) {
      if (item.name !== RESULTS_FOLDER) out.push(...caseFiles(folder, path));
    } else if (item.name.endsWith('.json')) out.push(path);
  }
  return out;
}

/** A result as JSON, without the keys that change on every run. */
function normalized(value: unknown, drop: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => normalized(item, drop));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    if (!drop.has(key) && item !== undefined) out[key] = normalized(item, drop);
  return out;
}

/** Defines one vitest test per recording file and transport in `folder` (a path or a `file:` URL). */
export function defineContractTests(folder: string | URL, options: ContractTestOptions): void {
  const root = typeof folder === 'string' ? folder : fileURLToPath(folder);
  const files = caseFiles(root);
  const transports = options.transports ?? ['undici', 'fetch'];
  const drop = new Set(options.dropKeys ?? ['latencyMs', 'raw']);
  const replayOptions: ReplayOptions = {
    ...(options.ignoreFields === undefined ? {} : { ignoreFields: options.ignoreFields }),
    ...(options.matcher === undefined ? {} : { matcher: options.matcher }),
  };
  describe(`contracts in ${relative(process.cwd(), root).split(sep).join('/') || '.'}`, () => {
    if (files.length === 0) it.fails(`has recordings (${root} holds no .json file)`, () => undefined);
    for (const path of files) {
      const file = join(root, ...path.split('/'));
      const name = path.slice(0, -'.json'.length);
      const contract: Contract = {
        name,
        provider: path.split('/')[0] as string,
        file,
        exchanges: parseExchanges(readFileSync(file, 'utf8'), file),
      };
      for (const transport of transports) {
        it(`${name} [${transport}]`, async () => {
          const engine = createReplayEngine(contract.exchanges, replayOptions);
          const undici = transport === 'undici' ? replayDispatcher(engine) : undefined;
          const msw = transport === 'fetch' ? setupServer(...replayExchanges(engine)) : undefined;
          msw?.listen({ onUnhandledRequest: 'error' });
          try {
            const sb = createSwitchboard({
              retry: false,
              cache: false,
              ...options.switchboard,
              providers: options.providers as Providers,
              transport: undici?.dispatcher ?? 'fetch',
            } as SwitchboardOptions<Providers>) as unknown as Switchboard;
            const result = await options.run(sb, contract);
            expect(
              engine.misses.map((miss) => miss.message),
              'requests no recording answers',
            ).toEqual([]);
            const unused = engine.unused().map((exchange) => `${exchange.request.method} ${exchange.request.url}`);
            expect(unused, 'recorded requests your code did not send').toEqual([]);
            const text = `${JSON.stringify(normalized(result, drop), null, 2)}\n`;
            await expect(text).toMatchFileSnapshot(join(root, RESULTS_FOLDER, `${name}.json`));
          } finally {
            msw?.close();
            await undici?.close();
          }
        });
      }
    }
  });
}
