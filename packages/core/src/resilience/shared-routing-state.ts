/**
 * Routing state that several processes share through a `Store` (Redis): the round-robin position
 * of each model group and the latency moving average of each deployment. Without it every process
 * keeps its own turn, so two processes each sending one call in turn both pick the first deployment.
 *
 * Only used when the switchboard's store is not the in-process memory store: there the router's
 * local fields are the state, with no async cost on the call path.
 */
import type { Store } from '../types/store.js';

/** Key prefix of the routing state (the store adds its own namespace). */
const PREFIX = 'sb:route:';
/** A CAS update of a latency average gives up after this many lost races (the sample is dropped). */
const MAX_CAS_TRIES = 5;

export class SharedRoutingState {
  constructor(
    private readonly store: Store,
    private readonly alpha: number,
  ) {}

  /** Claims the next turn of a group (0, 1, 2, ... across every process sharing the store). */
  async nextTurn(group: string): Promise<number> {
    return (await this.store.increment(`${PREFIX}${encodeURIComponent(group)}:turn`, 1)) - 1;
  }

  /** The latency averages of the given deployments (undefined where none is recorded yet). */
  async latencies(group: string, deployments: readonly string[]): Promise<(number | undefined)[]> {
    return Promise.all(
      deployments.map(async (deployment) => {
        const value = await this.store.get(this.latencyKey(group, deployment));
        const parsed = value === undefined ? Number.NaN : Number(value);
        return Number.isFinite(parsed) ? parsed : undefined;
      }),
    );
  }

  /** Folds one latency sample into the shared moving average (optimistic compare-and-set). */
  async recordLatency(group: string, deployment: string, latencyMs: number): Promise<void> {
    const key = this.latencyKey(group, deployment);
    for (let tries = 0; tries < MAX_CAS_TRIES; tries += 1) {
      const current = await this.store.get(key);
      const previous = current === undefined ? Number.NaN : Number(current);
      const next = Number.isFinite(previous) ? previous + this.alpha * (latencyMs - previous) : latencyMs;
      if (await this.store.compareAndSet(key, current, String(next))) return;
    }
  }

  private latencyKey(group: string, deployment: string): string {
    return `${PREFIX}${encodeURIComponent(group)}:latency:${encodeURIComponent(deployment)}`;
  }
}
