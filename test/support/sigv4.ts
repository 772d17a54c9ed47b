/**
 * AWS Signature Version 4, written out from AWS's published algorithm with node:crypto, so tests can
 * recompute a request's signature server-side from what arrived: an oracle independent of the signer
 * core uses (AWS's own SignatureV4, loaded lazily inside core and not one of its public exports).
 * Covers what the tests send: header-signed requests, no query string or a plain one, any body.
 */
import { createHash, createHmac } from 'node:crypto';

/** What the server saw, plus the credentials and scope the request should have been signed with. */
export interface SignatureCheck {
  method: string;
  /** The request target as received: path and optional query, e.g. `/v1/foundation-models`. */
  url: string;
  /** The received headers (lower-case names, as node:http gives them). */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body?: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX upper-case. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The path, each segment encoded again (non-S3 services sign the already-encoded path, `uriEscapePath`). */
function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
}

function canonicalQuery(search: URLSearchParams): string {
  return [...search]
    .map(([key, value]) => [uriEncode(key), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/**
 * The `Authorization` header a correct SigV4 signer produces for this request, signing the headers
 * its own `SignedHeaders` lists at the time in its `x-amz-date`. Throws naming what is missing.
 */
export function expectedAuthorization(check: SignatureCheck): string {
  const header = (name: string): string => {
    const value = check.headers[name];
    if (value === undefined) throw new Error(`the request has no ${name} header to sign`);
    return Array.isArray(value) ? value.join(',') : value;
  };
  const signedNames = /SignedHeaders=([a-z0-9;-]+)/.exec(header('authorization'))?.[1]?.split(';');
  if (signedNames === undefined) throw new Error('the authorization header lists no SignedHeaders');
  const amzDate = header('x-amz-date');
  const day = amzDate.slice(0, 8);
  const url = new URL(check.url, 'http://placeholder');
  const payloadHash = check.headers['x-amz-content-sha256'] ?? sha256Hex(check.body ?? '');
  const canonicalRequest = [
    check.method,
    canonicalPath(url.pathname),
    canonicalQuery(url.searchParams),
    ...[...signedNames].sort().map((name) => `${name}:${header(name).trim().replace(/\s+/g, ' ')}`),
    '',
    [...signedNames].sort().join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${day}/${check.region}/${check.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${check.secretAccessKey}`, day);
  for (const part of [check.region, check.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${check.accessKeyId}/${scope}, SignedHeaders=${[...signedNames].sort().join(';')}, Signature=${signature}`;
}
