/**
 * The switchboard's events: breaker transitions, retries, fallbacks and health results, for logs,
 * metrics and dashboards. Listeners run synchronously; one that throws is logged and skipped so an
 * observer can never break a call.
 */
import type { Logger } from '../../types/logger.js';
import { redactValue } from '../../errors/redact.js';
import type { SecretMatcher } from '../../errors/secret-patterns.js';

/** A circuit breaker changed state. */
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

/** A small typed emitter (no Node `EventEmitter`: no `error` event semantics, no max-listener warnings). */
export class SwitchboardEvents {
  private readonly listeners = new Map<SwitchboardEventName, Set<(event: never) => void>>();

  constructor(
    private readonly logger?: Logger,
    handlers?: SwitchboardEventHandlers,
    /** The switchboard's secrets: every payload is scrubbed of them (in every encoding) before listeners see it. */
    private readonly secrets?: { matcher(): SecretMatcher },
  ) {
    if (handlers !== undefined)
      for (const name of Object.keys(handlers) as SwitchboardEventName[]) {
        const handler = handlers[name];
        if (handler !== undefined) this.on(name, handler as SwitchboardEventListener<typeof name>);
      }
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends SwitchboardEventName>(name: K, listener: SwitchboardEventListener<K>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (event: never) => void);
    return () => this.off(name, listener);
  }

  off<K extends SwitchboardEventName>(name: K, listener: SwitchboardEventListener<K>): void {
    this.listeners.get(name)?.delete(listener as (event: never) => void);
  }

  /** True when someone listens (lets hot paths skip building payloads). */
  has(name: SwitchboardEventName): boolean {
    const set = this.listeners.get(name);
    return set !== undefined && set.size > 0;
  }

  emit<K extends SwitchboardEventName>(name: K, event: SwitchboardEventMap[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined || set.size === 0) return;
    if (this.secrets !== undefined) event = redactValue(event, this.secrets.matcher()) as SwitchboardEventMap[K];
    for (const listener of set) {
      try {
        (listener as SwitchboardEventListener<K>)(event);
      } catch (error) {
        this.logger?.warn?.(
          `A '${name}' event listener threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
