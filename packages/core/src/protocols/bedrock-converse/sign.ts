/**
 * Bedrock auth. A Bedrock API key (`AWS_BEARER_TOKEN_BEDROCK`, or the provider's apiKey setting) is
 * sent as a bearer token; otherwise the request is signed with SigV4 (service `bedrock`) using the
 * AWS credentials from the environment. Signing uses AWS's own `@smithy/signature-v4`.
 */
import { ConfigurationError } from '../../errors/errors.js';
import type { CallContext, HttpRequestSpec } from '../../types/protocol.js';
import { loadAwsDeps } from './aws-deps.js';

export interface SignOptions {
  /** The signing clock (tests pin it). */
  now?: () => Date;
}

/** The region: the provider's `region` param, then AWS_REGION / AWS_DEFAULT_REGION, then the host name. */
export function resolveRegion(ctx: CallContext, url: URL): string {
  const fromHost = /(?:^|\.)bedrock(?:-runtime)?(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
  const region = ctx.params.region || ctx.env.AWS_REGION || ctx.env.AWS_DEFAULT_REGION || fromHost;
  if (!region) {
    throw new ConfigurationError('Bedrock needs a region: set AWS_REGION or the provider param `region`', {
      provider: ctx.descriptor.id,
      setting: 'AWS_REGION',
    });
  }
  return region;
}

const ACCESS_KEY_ID = /^A[KS]IA[A-Z0-9]{12,}$/;

/**
 * The credentials to use. The catalog's `auth.env` lists AWS_ACCESS_KEY_ID first, so the runtime's
 * `apiKey` (and a factory's `apiKey` setting) is usually an access key id; anything else given as the
 * key is a Bedrock API key (bearer). AWS_BEARER_TOKEN_BEDROCK always means a Bedrock API key.
 */
function resolveAuth(ctx: CallContext): { bearer: string } | { accessKeyId?: string } {
  const envToken = ctx.env.AWS_BEARER_TOKEN_BEDROCK;
  if (envToken) return { bearer: envToken };
  const key = ctx.settings.apiKey || ctx.apiKey || undefined;
  if (key && !ACCESS_KEY_ID.test(key) && key !== ctx.env.AWS_ACCESS_KEY_ID) return { bearer: key };
  return { accessKeyId: ctx.env.AWS_ACCESS_KEY_ID || key };
}

/** Adds Bedrock auth to a request (bearer API key or SigV4). Also loads the event-stream codec. */
export async function signBedrockRequest(
  ctx: CallContext,
  request: HttpRequestSpec,
  options: SignOptions = {},
): Promise<HttpRequestSpec> {
  const deps = await loadAwsDeps();
  const auth = resolveAuth(ctx);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'host' || lower.startsWith('x-amz-')) continue;
    headers[lower] = value;
  }
  if ('bearer' in auth) return { ...request, headers: { ...headers, authorization: `Bearer ${auth.bearer}` } };

  const accessKeyId = auth.accessKeyId;
  const secretAccessKey = ctx.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigurationError(
      'Bedrock needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary credentials), or a Bedrock API key in AWS_BEARER_TOKEN_BEDROCK',
      { provider: ctx.descriptor.id, setting: accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID' },
    );
  }
  const sessionToken = ctx.env.AWS_SESSION_TOKEN || undefined;
  const url = new URL(request.url);
  const signer = new deps.SignatureV4({
    credentials: sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey },
    region: resolveRegion(ctx, url),
    service: 'bedrock',
    sha256: deps.Sha256,
    uriEscapePath: true,
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const prev = query[key];
    query[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    { signingDate: (options.now ?? (() => new Date()))() },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    // fetch sets Host itself (to the same value that was signed).
    if (name.toLowerCase() !== 'host') out[name.toLowerCase()] = value;
  }
  return { ...request, headers: out };
}
