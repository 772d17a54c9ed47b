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
import { STATUS_CODES } from 'node:http';
import { type Dispatcher, MockAgent } from 'undici';
import type { RecordedExchange } from '../exchange.js';
import { createReplayEngine, type ReplayEngine, type ReplayOptions, replayRequest } from './replay-engine.js';

/** The global slot core's default transport reads (see core's runtime/transport.ts). */
const DISPATCHER_OVERRIDE = Symbol.for('switchboard.dispatcherOverride');

type HeaderInput = Dispatcher.DispatchOptions['headers'];

/** undici accepts headers as a record, a flat `[name, value, ...]` array or an iterable of pairs. */
function headerRecord(headers: HeaderInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers == null) return out;
  const add = (name: unknown, value: unknown) => {
    if (value === undefined || value === null) return;
    out[String(name).toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0]))
      for (const [name, value] of headers as unknown as [string, string][]) add(name, value);
    else for (let i = 0; i + 1 < headers.length; i += 2) add(headers[i], headers[i + 1]);
  } else if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name, value] of headers as Iterable<[string, string]>) add(name, value);
  } else for (const [name, value] of Object.entries(headers)) add(name, value);
  return out;
}

const decoder = new TextDecoder();

/** The request body as text (undici bodies: string, bytes, or an async iterable of either). */
async function bodyText(body: Dispatcher.DispatchOptions['body']): Promise<string> {
  if (body == null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return decoder.decode(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const parts: Buffer[] = [];
    for await (const part of body as AsyncIterable<string | Uint8Array>)
      parts.push(typeof part === 'string' ? Buffer.from(part) : Buffer.from(part));
    return Buffer.concat(parts).toString('utf8');
  }
  throw new TypeError(`replay: unsupported request body type ${Object.prototype.toString.call(body)}`);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The interceptor: answers every request from the engine, never calling the dispatcher below. */
export function replayInterceptor(engine: ReplayEngine): Dispatcher.DispatcherComposeInterceptor {
  return () =>
    function replayDispatch(options, handler) {
      let aborted = false;
      const controller = {
        paused: false,
        reason: null as Error | null,
        get aborted() {
          return aborted;
        },
        pause() {
          this.paused = true;
        },
        resume() {
          this.paused = false;
        },
        abort(reason: Error) {
          if (aborted) return;
          aborted = true;
          controller.reason = reason;
          handler.onResponseError?.(controller as unknown as Dispatcher.DispatchController, reason);
        },
      };
      const asController = controller as unknown as Dispatcher.DispatchController;
      const play = async () => {
        const url = new URL(options.path, String(options.origin)).toString();
        const text = await bodyText(options.body);
        if (aborted) return;
        const parts = engine.respond(replayRequest(options.method, url, headerRecord(options.headers), text));
        handler.onResponseStart?.(asController, parts.status, parts.headers, STATUS_CODES[parts.status] ?? '');
        for (const chunk of parts.chunks) {
          // One chunk per turn: a reader sees the recorded pieces as separate reads.
          await nextTurn();
          if (aborted) return;
          handler.onResponseData?.(asController, Buffer.from(chunk));
        }
        if (!aborted) handler.onResponseEnd?.(asController, {});
      };
      handler.onRequestStart?.(asController, {});
      if (!aborted) play().catch((error: Error) => controller.abort(error));
      return true;
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
