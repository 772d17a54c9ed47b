/**
 * Turns what an adapter built into what goes on the wire: catalog headers, the provider's and the
 * call's headers (placeholders filled), the dialect's fixed query parameters, and auth (a header, a
 * query parameter, or the adapter's signer for SigV4). Header names are lower-cased so a later
 * source replaces an earlier one instead of doubling it.
 */
import type { CallContext, HttpRequestSpec, ProtocolAdapter } from '../protocols/types.js';
import { fillPlaceholders } from './call-context.js';

function assignHeaders(
  target: Record<string, string>,
  source: Readonly<Record<string, string>> | undefined,
  params: Readonly<Record<string, string>>,
): void {
  if (source === undefined) return;
  for (const name in source) {
    const value = source[name];
    if (value !== undefined) target[name.toLowerCase()] = fillPlaceholders(value, params);
  }
}

/** Final headers, URL and auth for one request. */
export async function finalizeRequest(
  ctx: CallContext,
  spec: HttpRequestSpec,
  adapter: Pick<ProtocolAdapter, 'sign'> | undefined,
  callHeaders?: Readonly<Record<string, string>>,
): Promise<HttpRequestSpec> {
  const headers: Record<string, string> = {};
  assignHeaders(headers, spec.headers, ctx.params);
  assignHeaders(headers, ctx.descriptor.headers, ctx.params);
  assignHeaders(headers, ctx.settings.headers, ctx.params);
  assignHeaders(headers, callHeaders, ctx.params);
  if (spec.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';

  let url = spec.url;
  const queryParams = ctx.descriptor.dialect?.queryParams;
  const { auth } = ctx.descriptor;
  const needsKeyInQuery = auth.type === 'query' && ctx.apiKey !== undefined;
  if (queryParams !== undefined || needsKeyInQuery) {
    const parsed = new URL(url);
    if (queryParams !== undefined) {
      for (const name in queryParams) {
        const value = queryParams[name];
        if (value !== undefined && !parsed.searchParams.has(name))
          parsed.searchParams.set(name, fillPlaceholders(value, ctx.params));
      }
    }
    if (needsKeyInQuery) parsed.searchParams.set(auth.queryParam ?? 'key', ctx.apiKey as string);
    url = parsed.toString();
  }

  if (ctx.apiKey !== undefined) {
    if (auth.type === 'bearer')
      headers[(auth.header ?? 'authorization').toLowerCase()] = `${auth.prefix ?? 'Bearer '}${ctx.apiKey}`;
    else if (auth.type === 'header')
      headers[(auth.header ?? 'x-api-key').toLowerCase()] = `${auth.prefix ?? ''}${ctx.apiKey}`;
  }

  const request: HttpRequestSpec =
    spec.body === undefined
      ? { method: spec.method, url, headers }
      : { method: spec.method, url, headers, body: spec.body };
  if (auth.type === 'aws-sigv4' && adapter?.sign !== undefined) return adapter.sign(ctx, request);
  return request;
}
