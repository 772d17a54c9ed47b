/**
 * `POST /api/models/refresh`: reads each configured provider's live model list (`sb.listModels`,
 * which adds models the catalog lacks to `sb.catalog` as discovered) and compares it with the
 * catalog as it was before: catalog models the list has are available, those it lacks unavailable,
 * and listed models the catalog did not know discovered. Providers are listed in parallel and one
 * failing list (a down local server, a revoked key) fails that provider only.
 */
import type { ProviderInput, Switchboard } from '@switchboard/core';
import type { ProviderRefresh, RefreshResponse } from '../api-types.js';

/** Lists one provider and classifies its models against the catalog taken before listing. */
async function refreshProvider(
  switchboard: Switchboard,
  providerId: string,
  scrub: (text: string) => string,
): Promise<ProviderRefresh> {
  const entry: ProviderRefresh = {
    provider: providerId,
    outcome: 'listed',
    available: [],
    unavailable: [],
    discovered: [],
  };
  if (!(await switchboard.configured(providerId)))
    return { ...entry, outcome: 'skipped', message: 'not configured (no key or required parameter)' };
  const before = switchboard.catalog;
  const known = before.models.filter((model) => model.provider === providerId && model.discovered !== true);
  let listed: { id: string }[];
  try {
    listed = await switchboard.listModels(providerId);
  } catch (error) {
    return { ...entry, outcome: 'failed', message: scrub(error instanceof Error ? error.message : String(error)) };
  }
  const seen = new Set<string>();
  for (const item of listed) {
    // A listed id may be an alias or dated snapshot of a catalog model.
    const model = before.getModel({ provider: providerId, model: item.id });
    if (model !== undefined && model.discovered !== true) seen.add(model.ref);
    else entry.discovered.push(`${providerId}/${item.id}`);
  }
  for (const model of known) (seen.has(model.ref) ? entry.available : entry.unavailable).push(model.ref);
  entry.discovered.sort();
  return entry;
}

/** Refreshes every installed provider's model list. */
export async function refreshRegistry(
  switchboard: Switchboard,
  scrub: (text: string) => string,
  now: () => number = Date.now,
): Promise<RefreshResponse> {
  const ids = (switchboard.providers as readonly ProviderInput[]).map((provider) => provider.id);
  const providers = await Promise.all(ids.map((id) => refreshProvider(switchboard, id, scrub)));
  return { refreshedAt: now(), providers };
}
