/**
 * The undici door of the replay engine: a `Dispatcher` that answers from recordings, for
 * switchboards on the default (undici) transport. It is undici's own `MockAgent` with network
 * connections disabled, composed with an interceptor (undici's `Dispatcher.compose` API) that hands
 * each request to the engine and plays the recorded response through undici's handler protocol:
 * undici still parses options, runs the abort signal and builds the response body, and a request
 * that reaches the agent underneath can never go out to the network.
 *
 * Two ways in: pass the dispatcher (`createSwitchboard({ transport: replay.dispatcher })`), or
 * `installReplay()`, which makes every switchboard on the default transport use it (through core's
 * `Symbol.for('switchboard.dispatcherOverride')`) until `uninstall()`: tests that never mention a
 * transport are intercepted with no change to their code.
 */
import { type Dispatcher, MockAgent } from 'undici';
import type { RecordedExchange } from '../exchange.js';
import { bodyText, dispatchUrl, headerRecord } from './dispatch-request.js';
import { playback } from './playback.js';
import { createReplayEngine, type ReplayEngine, type ReplayOptions, replayRequest } from './replay-engine.js';

/** The global slot core's default transport reads (see core's runtime/transport.ts). */
const DISPATCHER_OVERRIDE = Symbol.for('switchboard.dispatcherOverride');

/** The interceptor: answers every request from the engine, never calling the dispatcher below. */
export function replayInterceptor(engine: ReplayEngine): Dispatcher.DispatcherComposeInterceptor {
  return () =>
    function replayDispatch(options, handler) {
      return playback(handler, async () =>
        engine.respond(
          replayRequest(
            options.method,
            dispatchUrl(options),
            headerRecord(options.headers),
            await bodyText(options.body),
          ),
        ),
      );
    };
}

/** A replay through undici: the dispatcher, and the engine behind it (served counts, misses). */
export interface ReplayDispatcher {
  readonly dispatcher: Dispatcher;
  readonly engine: ReplayEngine;
  /** Closes the underlying mock agent. */
  close(): Promise<void>;
}

/** An undici dispatcher serving `exchanges` (or an existing engine, to share it with the MSW door). */
export function replayDispatcher(
  exchanges: readonly RecordedExchange[] | ReplayEngine,
  options: ReplayOptions = {},
): ReplayDispatcher {
  const engine = Array.isArray(exchanges) ? createReplayEngine(exchanges, options) : (exchanges as ReplayEngine);
  const agent = new MockAgent();
  agent.disableNetConnect();
  const dispatcher = agent.compose(replayInterceptor(engine));
  return { dispatcher, engine, close: () => agent.close() };
}

/** An installed replay: `uninstall()` restores the pool (and any override installed before). */
export interface InstalledReplay extends ReplayDispatcher {
  uninstall(): Promise<void>;
}

/**
 * Makes every switchboard on the default undici transport (already created or not) answer from
 * `exchanges` until `uninstall()`. A switchboard given its own `transport` is not affected.
 */
export function installReplay(
  exchanges: readonly RecordedExchange[] | ReplayEngine,
  options: ReplayOptions = {},
): InstalledReplay {
  return installDispatcher(replayDispatcher(exchanges, options));
}

/** Puts a dispatcher in core's override slot; shared by the replay and the recorder. */
export function installDispatcher<T extends { dispatcher: Dispatcher; close(): Promise<void> }>(
  door: T,
): T & { uninstall(): Promise<void> } {
  const slot = globalThis as { [DISPATCHER_OVERRIDE]?: Dispatcher };
  const previous = slot[DISPATCHER_OVERRIDE];
  slot[DISPATCHER_OVERRIDE] = door.dispatcher;
  return {
    ...door,
    async uninstall() {
      if (slot[DISPATCHER_OVERRIDE] === door.dispatcher) slot[DISPATCHER_OVERRIDE] = previous;
      await door.close();
    },
  };
}
