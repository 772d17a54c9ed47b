/**
 * The runtime context every call shares (`allowPrivateImageUrls`, `timeout`, `idleTimeout`,
 * `perProvider` time limits): the provider index, the transport, the runtime logger and env.
 */
import type { RuntimeContext } from '../runtime/runtime-context.js';
import { createTimeoutResolver } from '../runtime/timeouts.js';
import type { ConfigParts, TransportParts } from './parts.js';

/** Builds the runtime context (the rate limiter may add its headers hook later). */
export function buildRuntimeContext(parts: ConfigParts & TransportParts): RuntimeContext {
  const { options, providers } = parts;
  return {
    providers,
    transport: parts.transport,
    logger: parts.logging?.component('runtime'),
    env: parts.env,
    ...(options.allowPrivateImageUrls === true ? { allowPrivateImageUrls: true } : {}),
    timeouts: createTimeoutResolver(
      options,
      options.perProvider ?? {},
      (provider) => providers.get(provider)?.definition?.descriptor,
    ),
  };
}
