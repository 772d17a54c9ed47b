/**
 * The switchboard's events (breaker, retry, fallback, health) as the layers below the emitter see
 * them: the payload types and the channel middleware emits on. `SwitchboardEvents` (resilience)
 * implements the channel.
 */
export interface BreakerEvent {
  /** `provider` or `provider/model` (or a deployment scope). */
  key: string;
  provider: string;
  model?: string;
  from: 'closed' | 'open' | 'half-open';
  to: 'closed' | 'open' | 'half-open';
  reason: string;
  at: number;
}

/** A failed attempt is about to be retried after `delayMs`. */
export interface RetryEvent {
  provider: string;
  model: string;
  /** The attempt that failed (1 = the first try). */
  attempt: number;
  delayMs: number;
  error: Error;
}

/** A target failed for good and the call moves on to the next one. */
export interface FallbackEvent {
  from: string;
  to: string;
  error: Error;
}

/** A health check finished. */
export interface HealthEvent {
  provider: string;
  healthy: boolean;
  latencyMs: number;
  error?: string;
  at: number;
}

/** Event name -> payload. */
export interface SwitchboardEventMap {
  breaker: BreakerEvent;
  retry: RetryEvent;
  fallback: FallbackEvent;
  health: HealthEvent;
}

export type SwitchboardEventName = keyof SwitchboardEventMap;
export type SwitchboardEventListener<K extends SwitchboardEventName> = (event: SwitchboardEventMap[K]) => void;

/** Listeners given up front to `createSwitchboard({ on: { breaker: ... } })`. */
export type SwitchboardEventHandlers = { [K in SwitchboardEventName]?: SwitchboardEventListener<K> };

/** What middleware sees of the switchboard's event emitter. */
export interface SwitchboardEvents {
  /** Adds a listener; returns a function that removes it. */
  on<K extends SwitchboardEventName>(name: K, listener: SwitchboardEventListener<K>): () => void;
  off<K extends SwitchboardEventName>(name: K, listener: SwitchboardEventListener<K>): void;
  /** True when someone listens (lets hot paths skip building payloads). */
  has(name: SwitchboardEventName): boolean;
  emit<K extends SwitchboardEventName>(name: K, event: SwitchboardEventMap[K]): void;
}
