/**
 * The process-wide HTTP connection pool. Every provider call goes through one keep-alive undici
 * `Agent`, so TLS handshakes are paid once per origin and `dispatcherStats()` shows the whole
 * process's load. Switchboards created with other pool options get their own agent, shared with
 * every other switchboard using the same options.
 */
import type { Agent } from 'undici';

type Undici = typeof import('undici');
let undici: Undici | undefined;

/**
 * undici, loaded on first use rather than at import: it is about a hundred modules, and importing
 * core (for catalog queries, say) should not pay for an HTTP client it may never use.
 */
export function loadUndici(): Undici {
  if (undici === undefined) {
    const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module');
    undici = nodeModule.createRequire(import.meta.url)('undici') as Undici;
  }
  return undici;
}

/** Pool options a switchboard may set. */
export interface DispatcherOptions {
  /** Maximum sockets per origin (default: unlimited, undici's default). */
  connections?: number;
  /** Milliseconds an idle keep-alive socket stays open (default 60 s). */
  keepAliveTimeout?: number;
}

/** Connection counts summed over every origin of the pool. */
export interface DispatcherStats {
  /** Open sockets. */
  connected: number;
  /** Open sockets with no request in flight. */
  free: number;
  /** Requests waiting for a socket. */
  pending: number;
  /** Requests in flight. */
  running: number;
  /** pending + running. */
  size: number;
  /** Origins the pool holds connections to. */
  origins: number;
}

const DEFAULT_KEEP_ALIVE_MS = 60_000;
const agents = new Map<string, Agent>();

function keyOf(options: DispatcherOptions): string {
  return `${options.connections ?? ''}|${options.keepAliveTimeout ?? DEFAULT_KEEP_ALIVE_MS}`;
}

/** The shared agent for these options, created on first use. */
export function getSharedDispatcher(options: DispatcherOptions = {}): Agent {
  const key = keyOf(options);
  let agent = agents.get(key);
  if (agent === undefined || agent.closed || agent.destroyed) {
    const keepAliveTimeout = options.keepAliveTimeout ?? DEFAULT_KEEP_ALIVE_MS;
    agent = new (loadUndici().Agent)({
      keepAliveTimeout,
      keepAliveMaxTimeout: Math.max(keepAliveTimeout, 600_000),
      // Core gives every call its own limit (runtime/timeouts.ts: 10 minutes by default, 30 for a
      // local server loading a model, a stream's idle limit); undici's 300 s header and body
      // timeouts would cut those short, so they are off here.
      headersTimeout: 0,
      bodyTimeout: 0,
      ...(options.connections === undefined ? {} : { connections: options.connections }),
    });
    agents.set(key, agent);
  }
  return agent;
}

/** Sums the pool statistics of an agent over its origins. */
export function readDispatcherStats(agent: Agent): DispatcherStats {
  const total: DispatcherStats = { connected: 0, free: 0, pending: 0, running: 0, size: 0, origins: 0 };
  for (const stats of Object.values(agent.stats)) {
    const s = stats as unknown as Partial<Record<'connected' | 'free' | 'pending' | 'running' | 'size', number>>;
    total.origins += 1;
    total.connected += s.connected ?? 0;
    total.free += s.free ?? 0;
    total.pending += s.pending ?? 0;
    total.running += s.running ?? 0;
    total.size += s.size ?? 0;
  }
  return total;
}

/** Closes every shared agent (for tests and graceful shutdown). */
export async function closeSharedDispatchers(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((agent) => agent.close()));
}

/** One origin's connections, as the pool gauges report them. */
export interface OriginPoolStats {
  /** Sockets with a request in flight (undici's `running`: no pipelining, one request per socket). */
  active: number;
  /** Open keep-alive sockets with no request in flight (connected - active). */
  idle: number;
  /** Requests waiting for a socket. */
  pending: number;
}

/** The pool's counts per origin (`https://api.openai.com` -> counts). */
export function readOriginStats(agent: Agent): Record<string, OriginPoolStats> {
  const out: Record<string, OriginPoolStats> = {};
  for (const [origin, stats] of Object.entries(agent.stats)) {
    const s = stats as unknown as Partial<Record<'connected' | 'running' | 'pending', number>>;
    // `running`, not `connected - free`: undici marks a socket free a tick after its response ended.
    const active = s.running ?? 0;
    out[origin] = { active, idle: Math.max(0, (s.connected ?? 0) - active), pending: s.pending ?? 0 };
  }
  return out;
}
