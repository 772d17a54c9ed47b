/**
 * Turns what an adapter built into what goes on the wire: catalog headers, the provider's and the
 * call's headers (placeholders filled), the dialect's fixed query parameters, and auth (a header, a
 * query parameter, or the adapter's signer for SigV4). Header names are lower-cased so a later
 * source replaces an earlier one instead of doubling it.
 */

import type { ProtocolAdapter } from '../protocols/adapter.js';
import type { CallContext, HttpRequestSpec } from '../types/protocol.js';
import { fillPlaceholders } from './call-context.js';

const UNFILLED = /\{[A-Za-z0-9_-]+\}/;

/**
 * Copies headers with placeholders filled. A header whose placeholder has no value (an optional
 * parameter nobody set, like OpenAI's organization) is left out rather than sent as `{organization}`.
 */
function assignHeaders(
  target: Record<string, string>,
  source: Readonly<Record<string, string>> | undefined,
  params: Readonly<Record<string, string>>,
): void {
  if (source === undefined) return;
  for (const name in source) {
    const value = source[name];
    if (value === undefined) continue;
    const filled = fillPlaceholders(value, params);
    if (UNFILLED.test(filled)) continue;
    target[name.toLowerCase()] = filled;
  }
}

/** What is the same for every request of a context: its headers, auth header and final URLs. */
interface Fixed {
  /** Catalog and provider headers, names lower-cased, placeholders filled. */
  headers: Record<string, string>;
  /** The auth header (bearer or header auth with a key), or undefined. */
  authName: string | undefined;
  authValue: string | undefined;
  /** Adapter URL -> URL with the dialect's query parameters (and a query key) added. */
  urls: Map<string, string>;
}

/** Per context (a context is rebuilt whenever settings or the environment change, so this follows them). */
const fixedByContext = new WeakMap<CallContext, Fixed>();

function fixedOf(ctx: CallContext): Fixed {
  let fixed = fixedByContext.get(ctx);
  if (fixed === undefined) {
    const headers: Record<string, string> = {};
    assignHeaders(headers, ctx.descriptor.headers, ctx.params);
    assignHeaders(headers, ctx.settings.headers, ctx.params);
    const { auth } = ctx.descriptor;
    let authName: string | undefined;
    let authValue: string | undefined;
    if (ctx.apiKey !== undefined) {
      if (auth.type === 'bearer') {
        authName = (auth.header ?? 'authorization').toLowerCase();
        authValue = `${auth.prefix ?? 'Bearer '}${ctx.apiKey}`;
      } else if (auth.type === 'header') {
        authName = (auth.header ?? 'x-api-key').toLowerCase();
        authValue = `${auth.prefix ?? ''}${ctx.apiKey}`;
      }
    }
    fixed = { headers, authName, authValue, urls: new Map() };
    fixedByContext.set(ctx, fixed);
  }
  return fixed;
}

function finalUrl(ctx: CallContext, url: string): string {
  const queryParams = ctx.descriptor.dialect?.queryParams;
  const { auth } = ctx.descriptor;
  const needsKeyInQuery = auth.type === 'query' && ctx.apiKey !== undefined;
  if (queryParams === undefined && !needsKeyInQuery) return url;
  const parsed = new URL(url);
  if (queryParams !== undefined) {
    for (const name in queryParams) {
      const value = queryParams[name];
      if (value !== undefined && !parsed.searchParams.has(name))
        parsed.searchParams.set(name, fillPlaceholders(value, ctx.params));
    }
  }
  if (needsKeyInQuery) parsed.searchParams.set(auth.queryParam ?? 'key', ctx.apiKey as string);
  return parsed.toString();
}

/** URLs remembered per context: enough for every endpoint, small enough for ids in paths. */
const MAX_URLS = 64;

/**
 * Final headers, URL and auth for one request. Synchronous unless the adapter signs the request
 * (SigV4), so the usual call awaits nothing here.
 */
export function finalizeRequest(
  ctx: CallContext,
  spec: HttpRequestSpec,
  adapter: Pick<ProtocolAdapter, 'sign'> | undefined,
  callHeaders?: Readonly<Record<string, string>>,
): HttpRequestSpec | Promise<HttpRequestSpec> {
  const fixed = fixedOf(ctx);
  const headers: Record<string, string> = {};
  assignHeaders(headers, spec.headers, ctx.params);
  for (const name in fixed.headers) headers[name] = fixed.headers[name] as string;
  assignHeaders(headers, callHeaders, ctx.params);
  if (spec.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  if (fixed.authName !== undefined) headers[fixed.authName] = fixed.authValue as string;

  let url = fixed.urls.get(spec.url);
  if (url === undefined) {
    url = finalUrl(ctx, spec.url);
    if (fixed.urls.size >= MAX_URLS) fixed.urls.clear();
    fixed.urls.set(spec.url, url);
  }

  const request: HttpRequestSpec =
    spec.body === undefined
      ? { method: spec.method, url, headers }
      : { method: spec.method, url, headers, body: spec.body };
  if (ctx.descriptor.auth.type === 'aws-sigv4' && adapter?.sign !== undefined) return adapter.sign(ctx, request);
  return request;
}
