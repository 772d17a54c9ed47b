/**
 * `GET /readyz`: whether this instance can serve. The Store must answer a write and read of a probe
 * key within a short deadline (a Redis that is down or unreachable makes an instance not ready, so a
 * load balancer drains it), and at least one provider must be configured (with none every model call
 * would fail). `GET /healthz` only says the process is up.
 */
import type { ProviderInput, Store, Switchboard } from '@switchboard/core';
import type { ReadyzResponse } from '../api-types.js';

/** How long the Store may take to answer the probe. */
export const STORE_PROBE_TIMEOUT_MS = 2000;
const PROBE_KEY = 'switchboard:gateway:readyz-probe';

/** Writes and reads a probe key; resolves to an error message, or undefined when the Store answered. */
async function probeStore(store: Store, timeoutMs: number): Promise<string | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the store did not answer within ${timeoutMs} ms`), timeoutMs);
  });
  const probe = (async () => {
    const value = String(Date.now());
    await store.set(PROBE_KEY, value, { ttlMs: 60_000 });
    await store.get(PROBE_KEY);
    return undefined;
  })().catch((error: unknown) => `the store failed: ${error instanceof Error ? error.message : String(error)}`);
  try {
    return await Promise.race([probe, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The readiness checks. */
export async function readiness(
  switchboard: Switchboard,
  store: Store,
  scrub: (text: string) => string,
  timeoutMs = STORE_PROBE_TIMEOUT_MS,
): Promise<ReadyzResponse> {
  const ids = (switchboard.providers as readonly ProviderInput[]).map((provider) => provider.id);
  const [storeProblem, flags] = await Promise.all([
    probeStore(store, timeoutMs),
    Promise.all(ids.map((id) => switchboard.configured(id))),
  ]);
  const configured = ids.filter((_, index) => flags[index] === true);
  const storeCheck: ReadyzResponse['checks']['store'] =
    storeProblem === undefined ? { ok: true } : { ok: false, message: scrub(storeProblem) };
  const ready = storeCheck.ok && configured.length > 0;
  return {
    status: ready ? 'ready' : 'not-ready',
    checks: { store: storeCheck, providers: { ok: configured.length > 0, configured } },
  };
}
