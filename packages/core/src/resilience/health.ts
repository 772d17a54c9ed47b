/**
 * Health checks: a cheap call per provider (its models endpoint when the catalog lists one, else a
 * one-token chat to its default model, or a check of the user's own), on demand and on an
 * interval. Results feed the circuit breakers (a failed check opens the provider's breaker, a
 * passing one moves an open breaker to half-open so the next call is its trial), the
 * routing (unhealthy deployments go last) and the recommendations (an unhealthy provider's models
 * are left out).
 */

import { ConfigurationError } from '../errors/errors.js';
import { createCallContext } from '../runtime/call-context.js';
import { createCallEngine } from '../runtime/call-engine.js';
import { createCallSignal } from '../runtime/call-signal.js';
import { runChatStep } from '../runtime/chat-step.js';
import { resolveModel } from '../runtime/provider-index.js';
import type { RuntimeContext } from '../runtime/runtime-context.js';
import type { ProviderDefinition } from '../types/provider.js';
import type { BreakerState, CircuitBreakers } from './breaker.js';
import { CallHealth, type RecentCallHealth } from './call-health.js';
import type { Clock } from './clock.js';
import type { SwitchboardEvents } from './middleware/events.js';

/** How a provider is checked. */
export type HealthCheckMethod =
  /** The models endpoint when the catalog lists one, else `chat` (default). */
  | 'auto'
  | 'models'
  /** A one-token chat to the provider's default model. */
  | 'chat'
  /** Your own check: resolve for healthy, throw for unhealthy. */
  | ((provider: string, signal: AbortSignal | undefined) => Promise<void>);

export interface HealthOptions {
  /** Check every provider this often (timer unref'd); absent: only `sb.checkHealth()`. */
  intervalMs?: number;
  /** Per-check timeout (default 5 s). */
  timeoutMs?: number;
  method?: HealthCheckMethod;
  /** Providers the interval checks (default: every installed provider). */
  providers?: string[];
  /** Open the provider's breaker when a check fails (default true). */
  openBreaker?: boolean;
  /** The recent window of call outcomes `sb.providerHealth()` reads (default 5 minutes). */
  windowMs?: number;
  /** A provider whose recent error rate is above this is unhealthy (default 0.5)... */
  maxErrorRate?: number;
  /** ...once it had at least this many calls in the window (default 5). */
  minCalls?: number;
}

/**
 * One provider's health: the last check's result next to what recent calls say (error rate and
 * latency percentiles over `windowMs`) and its breaker.
 */
export interface ProviderHealth extends RecentCallHealth {
  provider: string;
  /** No failed last check, breaker not open, recent error rate not above `maxErrorRate`. */
  healthy: boolean;
  /** Why it is unhealthy (empty when healthy). */
  reasons: string[];
  /** The last health check (undefined when never checked). */
  lastCheck: HealthStatus | undefined;
  /** Its provider-wide breaker (undefined when breakers are off). */
  breaker: BreakerState | undefined;
}

/** One provider's last check. */
export interface HealthStatus {
  provider: string;
  healthy: boolean;
  checkedAt: number;
  latencyMs: number;
  method: 'models' | 'chat' | 'custom';
  /** Why it is unhealthy. */
  error?: string;
}

/** The health checks of one switchboard. */
export class HealthMonitor {
  private readonly results = new Map<string, HealthStatus>();
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Outcomes of recent calls per provider (the switchboard records every attempt here). */
  readonly calls: CallHealth;

  constructor(
    private readonly runtime: RuntimeContext,
    private readonly clock: Clock,
    private readonly events: SwitchboardEvents,
    private readonly breakers: CircuitBreakers | undefined,
    private readonly options: HealthOptions = {},
    calls?: CallHealth,
  ) {
    this.calls = calls ?? new CallHealth(clock.now, options.windowMs);
  }

  /** Each provider's health (default every installed one), from the last check, recent calls and its breaker. */
  async report(providerIds: readonly string[] = [...this.runtime.providers.keys()]): Promise<ProviderHealth[]> {
    const maxErrorRate = this.options.maxErrorRate ?? 0.5;
    const minCalls = this.options.minCalls ?? 5;
    return Promise.all(
      providerIds.map(async (provider): Promise<ProviderHealth> => {
        const lastCheck = this.results.get(provider);
        const breaker = this.breakers === undefined ? undefined : (await this.breakers.status(provider)).state;
        const recent = this.calls.recent(provider);
        const reasons: string[] = [];
        if (lastCheck?.healthy === false) reasons.push(`last health check failed: ${lastCheck.error ?? 'unknown'}`);
        if (breaker === 'open') reasons.push('circuit breaker open');
        if (recent.requests >= minCalls && recent.errorRate > maxErrorRate)
          reasons.push(
            `error rate ${Math.round(recent.errorRate * 100)} % over the last ${recent.requests} calls (above ${Math.round(maxErrorRate * 100)} %)`,
          );
        return { provider, healthy: reasons.length === 0, reasons, lastCheck, breaker, ...recent };
      }),
    );
  }

  /** Starts the interval when one is configured. */
  start(): void {
    if (this.options.intervalMs === undefined || this.options.intervalMs <= 0 || this.timer !== undefined) return;
    this.timer = setInterval(() => void this.check().catch(() => undefined), this.options.intervalMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Checks one provider, or every one the options name (default all installed). */
  async check(provider?: string): Promise<HealthStatus[]> {
    const ids = provider !== undefined ? [provider] : (this.options.providers ?? [...this.runtime.providers.keys()]);
    return Promise.all(ids.map((id) => this.checkOne(id)));
  }

  /** The last result per provider. */
  status(): Record<string, HealthStatus> {
    return Object.fromEntries(this.results);
  }

  /** False only when the last check of the scope's provider failed. */
  isHealthy(scope: string): boolean {
    if (this.results.size === 0) return true;
    const hash = scope.indexOf('#');
    return this.results.get(hash < 0 ? scope : scope.slice(0, hash))?.healthy !== false;
  }

  private async checkOne(id: string): Promise<HealthStatus> {
    const started = performance.now();
    const method = this.options.method ?? 'auto';
    const call = createCallSignal(this.options.timeoutMs ?? 5000);
    let used: HealthStatus['method'] = 'custom';
    let error: string | undefined;
    try {
      const provider = this.runtime.providers.get(id);
      if (provider === undefined) throw new ConfigurationError(`Provider '${id}' is not installed`, { provider: id });
      if (typeof method === 'function') await method(id, call.signal);
      else if (provider.custom !== undefined) {
        used = 'models';
        await provider.custom.listModels?.();
      } else {
        const definition = provider.definition as ProviderDefinition;
        const hasModels =
          definition.descriptor.endpoints.models !== undefined || definition.descriptor.protocol === 'mock';
        if (method === 'models' || (method === 'auto' && hasModels)) {
          used = 'models';
          const ctx = createCallContext(definition, '', undefined, this.runtime.env);
          await createCallEngine(definition, ctx, this.runtime.transport).listModels(call);
        } else {
          used = 'chat';
          const resolved = resolveModel(this.runtime.providers, `${id}/${definition.descriptor.defaultModel}`);
          await runChatStep(
            this.runtime,
            resolved,
            {
              model: resolved.modelId,
              messages: [{ role: 'user', content: 'ping' }],
              maxTokens: 1,
              timeout: this.options.timeoutMs ?? 5000,
            },
            [],
          );
        }
      }
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const status: HealthStatus = {
      provider: id,
      healthy: error === undefined,
      checkedAt: this.clock.now(),
      latencyMs: performance.now() - started,
      method: used,
    };
    if (error !== undefined) status.error = error;
    this.results.set(id, status);
    if (error !== undefined && this.options.openBreaker !== false)
      await this.breakers?.forceOpen(id, `health check failed: ${error}`);
    // A passing check is evidence the provider is back: let the next call through as the trial
    // rather than refusing calls for the rest of the cool-down.
    else if (error === undefined) await this.breakers?.halfOpen(id, 'health check passed: trial call');
    if (this.events.has('health')) {
      const event = { provider: id, healthy: status.healthy, latencyMs: status.latencyMs, at: status.checkedAt };
      this.events.emit('health', error === undefined ? event : { ...event, error });
    }
    return status;
  }
}
