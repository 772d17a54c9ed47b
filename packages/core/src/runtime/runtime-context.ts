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
}
