/**
 * Request-scoped logging context. Each `sb.chat`, `sb.stream` and `sb.embed` of a switchboard that
 * has a logger runs inside an AsyncLocalStorage scope holding its request id and the switchboard's
 * logger, so every line written during that call (retries, fallbacks, breaker transitions, cache,
 * rate limits, the HTTP exchange, a Redis failover it triggers) carries the same `requestId`
 * without threading a logger through every function. A switchboard without a logger never enters a
 * scope, so it pays nothing. Streams start lazily (when iterated), so their iteration is re-entered
 * into the scope of the call that created them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { SwitchboardLogger } from '../types/logger.js';

export interface RequestLogContext {
  readonly requestId: string;
  /** The switchboard's root logger; components take their child through `requestLogger`. */
  readonly logger: SwitchboardLogger;
  /**
   * The child logger of one component. Given by the logging implementation that opened the scope
   * (observability sits above the runtime, so the runtime only sees this function).
   */
  readonly component: (name: string) => SwitchboardLogger;
}

const storage = new AsyncLocalStorage<RequestLogContext>();

/** A new request id (a random UUID). */
export function newRequestId(): string {
  return randomUUID();
}

/** The id of the call running now, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The switchboard logger whose call is running now, if any. */
export function currentRequestLogger(): SwitchboardLogger | undefined {
  return storage.getStore()?.logger;
}

/**
 * The logger of a component for the call running now (undefined outside a call, or when the
 * switchboard has no logger). Check `isLevelEnabled` before building a line.
 */
export function requestLogger(component: string): SwitchboardLogger | undefined {
  const context = storage.getStore();
  return context === undefined ? undefined : context.component(component);
}

/** The context for one call. */
export function requestContext(
  logger: SwitchboardLogger,
  requestId: string | undefined,
  component: (name: string) => SwitchboardLogger,
): RequestLogContext {
  return { requestId: requestId ?? newRequestId(), logger, component };
}

/** Runs `fn` inside a call's scope. */
export function runInRequest<T>(context: RequestLogContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * Makes a lazily started stream run inside the call's scope: its iteration (and the background
 * drain `response` starts) re-enter the scope. The stream object is patched in place, so every other
 * member it has stays as it is.
 */
export function bindStream<S extends AsyncIterable<unknown> & { readonly response: Promise<unknown> }>(
  stream: S,
  context: RequestLogContext,
): S {
  const target = stream as S & { [Symbol.asyncIterator](): AsyncIterator<unknown> };
  const iterate = target[Symbol.asyncIterator].bind(target);
  const response =
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(target), 'response') ??
    Object.getOwnPropertyDescriptor(target, 'response');
  Object.defineProperty(target, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value() {
      const iterator = storage.run(context, iterate);
      const wrapped: AsyncIterator<unknown> & AsyncIterable<unknown> = {
        next: (...args: [] | [unknown]) => storage.run(context, () => iterator.next(...args)),
        [Symbol.asyncIterator]() {
          return wrapped;
        },
      };
      if (iterator.return !== undefined)
        wrapped.return = (value?: unknown) =>
          storage.run(context, () => (iterator.return as NonNullable<typeof iterator.return>).call(iterator, value));
      if (iterator.throw !== undefined)
        wrapped.throw = (error?: unknown) =>
          storage.run(context, () => (iterator.throw as NonNullable<typeof iterator.throw>).call(iterator, error));
      return wrapped;
    },
  });
  if (response?.get !== undefined) {
    const get = response.get;
    Object.defineProperty(target, 'response', {
      configurable: true,
      enumerable: response.enumerable ?? false,
      get: () => storage.run(context, () => get.call(target)),
    });
  }
  return stream;
}
