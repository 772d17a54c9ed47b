/**
 * `GET /api/providers`: each installed provider with whether it is configured and local, its last
 * health check, its circuit breaker and its rate-limit window. Status strings that may quote an
 * upstream (a health error, a breaker's reason) are scrubbed of the upstream keys; the provider's
 * settings themselves are never read into the answer.
 */
import type { ProviderInput, Switchboard } from '@switchboard/core';
import type { ProviderStatusEntry, ProvidersResponse } from '../api-types.js';

/** The status of every installed provider, in installation order. */
export async function providerStatuses(
  switchboard: Switchboard,
  scrub: (text: string) => string,
): Promise<ProvidersResponse> {
  const catalog = switchboard.catalog;
  const health = switchboard.healthStatus();
  const data = await Promise.all(
    (switchboard.providers as readonly ProviderInput[]).map(async (provider): Promise<ProviderStatusEntry> => {
      const [configured, breaker, rateLimit] = await Promise.all([
        switchboard.configured(provider.id),
        switchboard.breakerStatus(provider.id),
        switchboard.rateLimitStatus(provider.id),
      ]);
      const checked = health[provider.id];
      const descriptor = 'descriptor' in provider ? provider.descriptor : undefined;
      return {
        id: provider.id,
        name: descriptor?.name ?? provider.id,
        protocol: descriptor?.protocol ?? 'custom',
        local: descriptor?.local === true,
        configured,
        models: catalog.models.filter((model) => model.provider === provider.id).length,
        health:
          checked === undefined
            ? null
            : { ...checked, ...(checked.error === undefined ? {} : { error: scrub(checked.error) }) },
        breaker: { ...breaker, ...(breaker.reason === undefined ? {} : { reason: scrub(breaker.reason) }) },
        rateLimit,
      };
    }),
  );
  return { data };
}
