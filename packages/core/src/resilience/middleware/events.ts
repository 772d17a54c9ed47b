/**
 * The switchboard's events: breaker transitions, retries, fallbacks and health results, for logs,
 * metrics and dashboards. Listeners run synchronously; one that throws is logged and skipped so an
 * observer can never break a call.
 */

import { redactValue } from '../../errors/redact.js';
import type { SecretMatcher } from '../../errors/secret-patterns.js';
/** A circuit breaker changed state. */
import type {
  BreakerEvent,
  FallbackEvent,
  HealthEvent,
  RetryEvent,
  SwitchboardEvents as SwitchboardEventChannel,
  SwitchboardEventHandlers,
  SwitchboardEventListener,
  SwitchboardEventMap,
  SwitchboardEventName,
} from '../../types/events.js';
import type { Logger } from '../../types/logger.js';

export type {
  BreakerEvent,
  FallbackEvent,
  HealthEvent,
  RetryEvent,
  SwitchboardEventHandlers,
  SwitchboardEventListener,
  SwitchboardEventMap,
  SwitchboardEventName,
} from '../../types/events.js';

/** A small typed emitter (no Node `EventEmitter`: no `error` event semantics, no max-listener warnings). */
export class SwitchboardEvents implements SwitchboardEventChannel {
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
