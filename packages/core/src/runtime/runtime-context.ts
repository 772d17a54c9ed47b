/**
 * What every call of one switchboard shares: the indexed providers, the transport and the logger.
 */

import type { Logger } from '../types/logger.js';
import type { IndexedProvider } from './provider-index.js';
import { requestLogger } from './request-context.js';
import type { TimeoutResolver } from './timeouts.js';
import type { Transport } from './transport.js';

export interface RuntimeContext {
  providers: Map<string, IndexedProvider>;
  transport: Transport;
  logger: Logger | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /** `createSwitchboard({ allowPrivateImageUrls })`: image downloads may reach loopback and private addresses. */
  allowPrivateImageUrls?: boolean;
  /** Each provider's default time limits (runtime/timeouts.ts); absent: the catalog's, then core's. */
  timeouts?: TimeoutResolver;
  /**
   * Offered every provider response; reads `headers()` only when it wants them (building the
   * Headers object costs). The rate limiter tightens its view from them.
   */
  onResponseHeaders?: (provider: string, headers: () => Headers, status: number) => void;
}

type HeadersHook = NonNullable<RuntimeContext['onResponseHeaders']>;

/** Observed transports per runtime and provider: the same function every call, so engines built on it are reused. */
const observedByRuntime = new WeakMap<
  RuntimeContext,
  Map<string, { hook: HeadersHook; transport: Transport; observed: Transport }>
>();

function observedTransport(runtime: RuntimeContext, provider: string, hook: HeadersHook): Transport {
  let byProvider = observedByRuntime.get(runtime);
  if (byProvider === undefined) {
    byProvider = new Map();
    observedByRuntime.set(runtime, byProvider);
  }
  const known = byProvider.get(provider);
  if (known !== undefined && known.hook === hook && known.transport === runtime.transport) return known.observed;
  const transport = runtime.transport;
  const observed: Transport = async (request) => {
    const response = await transport(request);
    hook(provider, () => response.headers, response.status);
    return response;
  };
  byProvider.set(provider, { hook, transport, observed });
  return observed;
}

/** The transport for one provider's call: the shared one, observed when a headers hook is set. */
export function transportFor(runtime: RuntimeContext, provider: string): Transport {
  const hook = runtime.onResponseHeaders;
  const observed: Transport = hook === undefined ? runtime.transport : observedTransport(runtime, provider, hook);
  // The HTTP exchange is logged at debug (the body at trace), only when a call's logger wants it.
  const log = requestLogger('protocol');
  if (log === undefined || !log.isLevelEnabled('debug')) return observed;
  return async (request) => {
    const trace = log.isLevelEnabled('trace');
    log.debug(`${request.method} ${request.url}`, {
      provider,
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(trace && request.body !== undefined ? { body: request.body } : {}),
    });
    const started = performance.now();
    try {
      const response = await observed(request);
      log.debug(`HTTP ${response.status} from ${provider}`, {
        provider,
        status: response.status,
        latencyMs: Math.round(performance.now() - started),
        ...(trace ? { headers: Object.fromEntries(response.headers) } : {}),
      });
      return response;
    } catch (error) {
      log.debug(`HTTP request to ${provider} failed`, {
        provider,
        latencyMs: Math.round(performance.now() - started),
        error,
      });
      throw error;
    }
  };
}
