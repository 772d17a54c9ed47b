/**
 * What every call of one switchboard shares: the indexed providers, the transport and the logger.
 */
import type { Logger } from './logger.js';
import type { IndexedProvider } from './provider-index.js';
import type { Transport } from './transport.js';

export interface RuntimeContext {
  providers: Map<string, IndexedProvider>;
  transport: Transport;
  logger: Logger | undefined;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Offered every provider response; reads `headers()` only when it wants them (building the
   * Headers object costs). The rate limiter tightens its view from them.
   */
  onResponseHeaders?: (provider: string, headers: () => Headers, status: number) => void;
}

/** The transport for one provider's call: the shared one, observed when a headers hook is set. */
export function transportFor(runtime: RuntimeContext, provider: string): Transport {
  const hook = runtime.onResponseHeaders;
  if (hook === undefined) return runtime.transport;
  return async (request) => {
    const response = await runtime.transport(request);
    hook(provider, () => response.headers, response.status);
    return response;
  };
}
