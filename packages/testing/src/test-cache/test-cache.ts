/**
 * The test cache: an HTTP-level cache for test runs, keyed by the test's name and the request.
 * With `SWITCHBOARD_TEST_CACHE=record` and real keys, every request a test makes that its file does
 * not hold yet goes to the provider once and is recorded (redacted as the recorder does); later
 * runs, and CI with no key and the default `replay` mode, answer from the files and never call out.
 * `refresh` re-records every test it runs. Answers it serves carry the `x-switchboard-cache: test`
 * header, which core surfaces as `res.fromCache === 'test'`.
 *
 * It is an undici dispatcher (installed for every default-transport switchboard, or passed as
 * `transport`): in replay mode undici's `MockAgent` with network connections disabled is below it,
 * so a request can never leave the machine; in the recording modes a real `Agent` is.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Agent, type Dispatcher, MockAgent } from 'undici';
import type { RecordedExchange } from '../exchange.js';
import { secretsFromEnv } from '../record.js';
import { redactExchange } from '../redact.js';
import type { ReplayRequest } from '../replay/differences.js';
import { bodyText, dispatchUrl, headerRecord } from '../replay/dispatch-request.js';
import { loadExchanges, parseExchanges } from '../replay/exchange-store.js';
import { playback } from '../replay/playback.js';
import { recordInterceptor } from '../replay/record-interceptor.js';
import { createReplayEngine, type ReplayEngine, type ReplayOptions, replayRequest } from '../replay/replay-engine.js';
import { responseParts } from '../replay/response-parts.js';
import { installDispatcher } from '../replay/undici-door.js';
import { UnmatchedRequestError } from '../replay/unmatched-error.js';
import { type TestCacheMode, testCacheMode } from './cache-mode.js';
import { entryFile, entryPath, providerOfUrl, type TestIdentity } from './entry-path.js';
import { forReview } from './review-format.js';

/** The header by which a served answer says it came from the test cache (core reads it). */
export const TEST_CACHE_HEADER = 'x-switchboard-cache';

/** Options of {@link createTestCache}. */
export interface TestCacheOptions extends Pick<ReplayOptions, 'ignoreFields' | 'matcher'> {
  /** The folder of recordings (`<dir>/<provider>/<test file>/<test name>.json`). */
  dir: string;
  /** Which test is running now (vitest: `expect.getState()`); called for every request. */
  currentTest: () => TestIdentity;
  /** Default: `SWITCHBOARD_TEST_CACHE` (unset: `replay`). */
  mode?: TestCacheMode;
  /** Test files are named relative to this folder (default: the working directory). */
  root?: string;
  /** The provider folder of a request (default: the provider of a known API host, else the host name). */
  providerOf?: (url: URL) => string;
  /** Secrets to scrub from recordings (default: env values of variables named like *KEY*, *TOKEN*, *SECRET*). */
  secrets?: readonly string[];
}

/** What the cache did: answers served from files, requests it could not answer, exchanges it recorded. */
export interface TestCacheStats {
  hits: number;
  misses: number;
  saves: number;
}

/** A running test cache. */
export interface TestCache {
  readonly mode: TestCacheMode;
  /** The absolute folder of recordings. */
  readonly dir: string;
  /** Pass as `createSwitchboard({ transport })`, or use `install()`. */
  readonly dispatcher: Dispatcher;
  /** Counts since the cache was created. */
  readonly stats: Readonly<TestCacheStats>;
  /** Every miss so far (each was also the failing request's error). */
  readonly misses: readonly TestCacheMissError[];
  /** The entries (paths relative to `dir`, `/`-separated) that served or recorded something. */
  usedEntries(): string[];
  /** Makes every default-transport switchboard go through the cache until `uninstall()`. */
  install(): { uninstall(): Promise<void> };
  /** Closes the dispatcher below (after `uninstall()`, or when it was passed as `transport`). */
  close(): Promise<void>;
}

/** A request the test cache could not answer in replay mode: names the test, its file and the closest recording. */
export class TestCacheMissError extends Error {
  override readonly name = 'TestCacheMissError';
  constructor(
    /** The entry file (relative to the cache folder) that should have held the answer. */
    readonly entry: string,
    /** The engine's miss: closest recording and differences. */
    readonly unmatched: UnmatchedRequestError,
    test: TestIdentity,
    found: boolean,
  ) {
    const where = test.name === undefined ? `outside any test of ${test.file}` : `test "${test.name}"`;
    super(
      `Test cache (replay mode) has no answer for ${where}: ${found ? 'its recording' : 'no recording'} at ${entry}${found ? ' does not match the request' : ' exists'}. Record it with SWITCHBOARD_TEST_CACHE=record and a real key, or refresh it with SWITCHBOARD_TEST_CACHE=refresh.\n${unmatched.message}`,
      { cause: unmatched },
    );
  }
}

/** One test's recordings for one provider. */
interface Entry {
  readonly path: string;
  /** What the file held when loaded (what the engine serves). */
  readonly engine: ReplayEngine;
  /** What the file will hold: the loaded exchanges plus this run's recordings (refresh: this run's only). */
  readonly exchanges: RecordedExchange[];
  readonly found: boolean;
}

function readEntry(file: string): RecordedExchange[] | undefined {
  if (!existsSync(file)) return undefined;
  return parseExchanges(readFileSync(file, 'utf8'), file);
}

/** Creates a test cache; see {@link TestCacheOptions}. */
export function createTestCache(options: TestCacheOptions): TestCache {
  const mode = options.mode ?? testCacheMode();
  const dir = resolve(options.dir);
  const root = options.root ?? process.cwd();
  const providerOf = options.providerOf ?? providerOfUrl;
  const recording = mode !== 'replay';
  const secrets = recording ? (options.secrets ?? secretsFromEnv()) : [];
  const replayOptions: ReplayOptions = {
    ...(options.ignoreFields === undefined ? {} : { ignoreFields: options.ignoreFields }),
    ...(options.matcher === undefined ? {} : { matcher: options.matcher }),
  };
  const stats: TestCacheStats = { hits: 0, misses: 0, saves: 0 };
  const misses: TestCacheMissError[] = [];
  const entries = new Map<string, Entry>();
  const used = new Set<string>();

  const entryOf = (path: string): Entry => {
    let entry = entries.get(path);
    if (entry === undefined) {
      const loaded = mode === 'refresh' ? undefined : readEntry(entryFile(dir, path));
      entry = {
        path,
        engine: createReplayEngine(loaded ?? [], replayOptions),
        exchanges: [...(loaded ?? [])],
        found: loaded !== undefined,
      };
      entries.set(path, entry);
    }
    return entry;
  };

  const save = (entry: Entry, exchange: RecordedExchange) => {
    // Scrubbed again once re-cut into events: a key the network split across two chunks is whole now.
    entry.exchanges.push(redactExchange(forReview(exchange), secrets));
    const file = entryFile(dir, entry.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(entry.exchanges, null, 2)}\n`);
    stats.saves += 1;
    used.add(entry.path);
  };

  /** The miss error: the closest recording of this test, else of any test for the same provider. */
  const missOf = async (entry: Entry, request: ReplayRequest, test: TestIdentity): Promise<TestCacheMissError> => {
    let engine = entry.engine;
    if (engine.exchanges.length === 0) {
      const providerFolder = join(dir, entry.path.split('/')[0] as string);
      if (existsSync(providerFolder)) engine = createReplayEngine(await loadExchanges(providerFolder), replayOptions);
    }
    let unmatched: UnmatchedRequestError;
    // Another test's recording may answer the very same request: name it, with no difference.
    const elsewhere = engine === entry.engine ? undefined : engine.match(request);
    if (elsewhere !== undefined) unmatched = new UnmatchedRequestError(request, { ...elsewhere, differences: [] });
    else {
      try {
        engine.respond(request);
        unmatched = new UnmatchedRequestError(request, undefined);
      } catch (error) {
        if (!(error instanceof UnmatchedRequestError)) throw error;
        unmatched = error;
      }
    }
    const miss = new TestCacheMissError(entry.path, unmatched, test, entry.found);
    stats.misses += 1;
    misses.push(miss);
    return miss;
  };

  const currentTest = options.currentTest;
  const interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) =>
    function testCacheDispatch(sent, handler) {
      const decide = async () => {
        const url = dispatchUrl(sent);
        const text = await bodyText(sent.body);
        const request = replayRequest(sent.method, url, headerRecord(sent.headers), text);
        const test = currentTest();
        const entry = entryOf(entryPath(providerOf(new URL(url)), test, root));
        const found = entry.engine.match(request);
        if (found !== undefined) {
          stats.hits += 1;
          used.add(entry.path);
          const parts = responseParts(found.exchange.response);
          parts.headers[TEST_CACHE_HEADER] = 'test';
          return playback(handler, async () => parts);
        }
        if (!recording) {
          const miss = await missOf(entry, request, test);
          return playback(handler, async () => {
            throw miss;
          });
        }
        const live = recordInterceptor((exchange) => save(entry, exchange), secrets)(dispatch);
        return live({ ...sent, body: text }, handler);
      };
      decide().catch((error: Error) => playback(handler, () => Promise.reject(error)));
      return true;
    };

  const below = recording ? new Agent() : new MockAgent();
  if (below instanceof MockAgent) below.disableNetConnect();
  const dispatcher = below.compose(interceptor);
  const close = () => below.close();
  return {
    mode,
    dir,
    dispatcher,
    stats,
    misses,
    usedEntries: () => [...used].sort(),
    install: () => installDispatcher({ dispatcher, close }),
    close,
  };
}
