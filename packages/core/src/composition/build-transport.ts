/**
 * The transport (`transport`, `dispatcher` options): undici on the shared pool by default, fetch
 * for interception, a given undici dispatcher, or the caller's own function.
 */
import { getSharedDispatcher } from '../runtime/dispatcher.js';
import { createFetchTransport, createUndiciTransport, type Transport } from '../runtime/transport.js';
import type { AnyOptions, TransportParts } from './parts.js';

/** Chooses the transport; the pool (and undici with it) is created on the first request. */
export function buildTransport(options: AnyOptions): TransportParts {
  // Created lazily: creating a switchboard stays cheap.
  const dispatcher = () => getSharedDispatcher(options.dispatcher);
  const option = options.transport ?? 'undici';
  const transport: Transport =
    typeof option === 'function'
      ? option
      : typeof option === 'object'
        ? createUndiciTransport(option)
        : option === 'fetch'
          ? createFetchTransport()
          : createUndiciTransport(dispatcher, true);
  return { dispatcher, transport };
}
