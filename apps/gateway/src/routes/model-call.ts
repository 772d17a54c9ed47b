/**
 * What every model route does around its switchboard call, whatever its API surface: read the
 * requested model before validation (for authentication), carry the caller's budget and tags into
 * the call, resolve the model a client names (aliases, groups, `provider/model`) with a 404 for an
 * unknown one, abort the upstream call when the client goes away, and measure the gateway's own time.
 */
import type { ServerResponse } from 'node:http';
import type { ChatResponse, EmbedResponse } from '@switchboard/core';
import type { Caller, GatewayContext } from '../context.js';
import { GatewayError } from '../gateway-error.js';
import { modelResponseHeaders } from '../http/response-headers.js';

/** Header counting the attempts a call made (retries and fallbacks), so a fallback is visible. */
export const ATTEMPTS_HEADER = 'x-switchboard-attempts';

/** The body's `model` when it is a string (for authentication, before validation). */
export function requestedModel(body: unknown): string | undefined {
  const model = (body as { model?: unknown } | null | undefined)?.model;
  return typeof model === 'string' ? model : undefined;
}

/**
 * The caller of a request: at once when no key is required and none is presented (the anonymous
 * caller, no promise and so no extra turn before the call starts), else the authentication's promise.
 * Callers await only a promise: `caller instanceof Promise ? await caller : caller`.
 */
export function callerOf(
  context: GatewayContext,
  headers: Record<string, string | string[] | undefined>,
  model: string | undefined,
): Caller | Promise<Caller> {
  return context.anonymous?.(headers) ?? context.authenticate(headers, model);
}

/** Copies the caller's budget key and tags onto a switchboard call. */
export function applyCallerScope(call: { budget?: string; tags?: string[] }, caller: Caller): void {
  if (caller.budget !== undefined) call.budget = caller.budget;
  if (caller.tags !== undefined) call.tags = [...caller.tags];
}

/**
 * One value per gateway, built on its first use: a model route is built once per gateway (the
 * provider lists it reads are fixed) and shared by the fastify route and the direct path.
 */
export function perGateway<T extends object>(create: (context: GatewayContext) => T): (context: GatewayContext) => T {
  const built = new WeakMap<GatewayContext, T>();
  return (context) => {
    let value = built.get(context);
    if (value === undefined) {
      value = create(context);
      built.set(context, value);
    }
    return value;
  };
}

/** Names `resolveTarget` accepted, per gateway: requested name -> the name to call. */
const acceptedTargets = new WeakMap<GatewayContext, Map<string, string>>();
/** Most accepted names remembered per gateway (clients choose the names; the map starts over past it). */
const ACCEPTED_TARGETS_MAX = 1024;

/**
 * An alias's target, a group name as is, or a `provider/model` whose provider is installed; anything
 * else is a 404 naming `model` before any upstream is called. An accepted name is remembered: the
 * aliases, groups and providers of a gateway are fixed once it is built, and a model a client asks
 * for once it asks for on every request (no alias lookup, group regular expression and resolution
 * each time).
 */
export function resolveTarget(context: GatewayContext, requested: string): string {
  let accepted = acceptedTargets.get(context);
  if (accepted === undefined) {
    accepted = new Map();
    acceptedTargets.set(context, accepted);
  }
  const known = accepted.get(requested);
  if (known !== undefined) return known;
  const name = checkTarget(context, requested);
  if (accepted.size >= ACCEPTED_TARGETS_MAX) accepted.clear();
  accepted.set(requested, name);
  return name;
}

/** `resolveTarget` without the memory: the name to call, or the 404. */
function checkTarget(context: GatewayContext, requested: string): string {
  const name = context.resolveModelName?.(requested) ?? requested;
  const groups = context.config?.groups;
  if (groups !== undefined && (Object.hasOwn(groups, name) || Object.hasOwn(groups, name.replace(/^group:/, ''))))
    return name;
  try {
    context.switchboard.resolveModel(name);
  } catch {
    throw new GatewayError(
      404,
      `The model '${requested}' does not exist: use '<provider>/<model>' of a configured provider, an alias or a group`,
      { param: 'model', code: 'model_not_found' },
    );
  }
  return name;
}

/** An AbortSignal aborted when the client closes the connection before the answer is written. */
export function abortOnDisconnect(raw: ServerResponse): AbortSignal {
  const controller = new AbortController();
  raw.once('close', () => {
    if (!raw.writableFinished) controller.abort(new DOMException('The client closed the connection', 'AbortError'));
  });
  return controller.signal;
}

/** Time spent waiting on providers: the attempts' latencies when core recorded them, else the call's. */
export function upstreamTime(response: ChatResponse | EmbedResponse): number {
  const attempts = response.attempts;
  if (attempts === undefined || attempts.length === 0) return response.latencyMs;
  let total = 0;
  for (const attempt of attempts) total += attempt.latencyMs;
  return Math.min(total, response.latencyMs);
}

/** The gateway headers of a finished call, plus how many attempts it took. */
export function finishedCallHeaders(
  requestId: string,
  startedAt: number,
  response: ChatResponse | EmbedResponse,
): Record<string, string> {
  const headers = modelResponseHeaders({
    requestId,
    provider: response.provider,
    model: response.model,
    overheadMs: performance.now() - startedAt - upstreamTime(response),
    ...(response.cost === undefined ? {} : { costUsd: response.cost.total }),
  });
  headers[ATTEMPTS_HEADER] = String(response.attempts?.length ?? 1);
  return headers;
}
