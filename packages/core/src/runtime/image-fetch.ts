/**
 * Downloads an image URL for the protocols that cannot take URLs (Bedrock Converse, Ollama), in the
 * runtime and before the adapter runs (adapters stay pure). The URL is untrusted text from a
 * message, so the download is guarded like a server-side fetch must be:
 *
 * - the address actually connected to is checked (see `address-check.ts`): DNS is resolved by our
 *   own `lookup`, which refuses loopback, private, link-local, CGNAT, unspecified and metadata
 *   addresses, and the connected socket's remote address is checked again, so neither an IP
 *   literal nor DNS rebinding slips through; `allowPrivateImageUrls: true` lifts this except for
 *   the cloud metadata addresses, which are never fetched;
 * - at most 3 redirects, each hop checked the same way (only http and https);
 * - the size is capped (the model's limit) and reading stops at the cap;
 * - the time is bounded by the call's signal and by a default of 30 s of its own;
 * - the bytes must be an accepted image type (checked by the caller, as for files).
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import { InvalidRequestError, NetworkError, TimeoutError } from '../errors/errors.js';
import { forbiddenAddressReason, metadataAddressReason } from './address-check.js';
import { loadUndici } from './dispatcher.js';
import { previewValue, tooLarge } from './media-source.js';

/** Time an image download may take when the call has no shorter deadline. */
export const DEFAULT_IMAGE_FETCH_TIMEOUT_MS = 30_000;
/** Redirects followed before giving up. */
export const MAX_IMAGE_REDIRECTS = 3;

export interface ImageFetchOptions {
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** Allow loopback and private addresses (a self-hosted image server on the LAN, tests). */
  allowPrivate?: boolean;
  /** Own deadline, milliseconds (default 30 s); the call's signal may end it sooner. */
  timeoutMs?: number;
  /** Where the URL came from, for messages. */
  field: string;
}

/** Raised by the guarded connector; carries the host and the refused address. */
class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`${host} is ${address}, a ${reason} address`);
  }
}

type AddressPolicy = (address: string) => string | undefined;

/** DNS through our own resolver call: only addresses the policy allows are handed to connect. */
function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return (callback as (error: Error) => void)(error);
      const allowed = addresses.filter((entry) => policy(entry.address) === undefined);
      const first = addresses[0];
      if (allowed.length === 0 || first === undefined) {
        const address = first?.address ?? 'no address';
        const reason = first === undefined ? 'missing' : (policy(address) ?? 'refused');
        return (callback as (error: Error) => void)(new BlockedAddressError(hostname, address, reason));
      }
      if (options.all) return (callback as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
      const chosen = allowed[0] as LookupAddress;
      return (callback as (error: null, address: string, family: number) => void)(null, chosen.address, chosen.family);
    });
  };
}

/** An agent that connects only to addresses `policy` allows (checked at lookup and on the socket). */
function guardedAgent(policy: AddressPolicy): Dispatcher {
  const { Agent, buildConnector } = loadUndici();
  const base = buildConnector({ lookup: guardedLookup(policy), timeout: 10_000 });
  return new Agent({
    keepAliveTimeout: 1_000,
    connect(options, callback) {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      // An IP literal is connected to without a lookup: check it here, before any packet.
      const literal = isIP(host) === 0 ? undefined : policy(host);
      if (literal !== undefined) return callback(new BlockedAddressError(host, host, literal), null);
      base(options, (error, socket) => {
        if (error !== null) return callback(error, null);
        // The final word: the address the socket really reached, whatever resolved it.
        const remote = (socket as Socket).remoteAddress ?? 'unknown';
        const reason = policy(remote);
        if (reason !== undefined) {
          socket.destroy();
          return callback(new BlockedAddressError(host, remote, reason), null);
        }
        return callback(null, socket);
      });
    },
  });
}

let publicOnly: Dispatcher | undefined;
let privateAllowed: Dispatcher | undefined;

/**
 * The agent for a download: public addresses only, or (opted in) any address except the cloud
 * metadata services, which are never fetched from.
 */
function agentFor(allowPrivate: boolean): Dispatcher {
  if (allowPrivate) {
    privateAllowed ??= guardedAgent(metadataAddressReason);
    return privateAllowed;
  }
  publicOnly ??= guardedAgent(forbiddenAddressReason);
  return publicOnly;
}

function findBlocked(error: unknown): BlockedAddressError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof BlockedAddressError) return current;
    if (current instanceof AggregateError)
      for (const inner of current.errors) if (inner instanceof BlockedAddressError) return inner;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A downloaded image: its bytes and the type the server declared (the caller sniffs the bytes). */
export interface FetchedImage {
  bytes: Buffer;
  declaredType: string | undefined;
  /** The URL the bytes came from, after redirects. */
  url: string;
}

/** Drops a response body without reading it (the error destroying it raises is expected, not unhandled). */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes: number, field: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      discard(body);
      throw tooLarge(field, total, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Downloads `url` under the rules above. Rejects with InvalidRequestError (refused address, bad
 * redirect, HTTP error status, too large), TimeoutError (own deadline), NetworkError (connection),
 * or the call signal's reason when the call is aborted or times out (the caller maps it).
 */
export async function fetchImage(url: string, options: ImageFetchOptions): Promise<FetchedImage> {
  const { field, maxBytes, signal } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_IMAGE_FETCH_TIMEOUT_MS;
  const own = AbortSignal.timeout(timeoutMs);
  const combined = signal === undefined ? own : AbortSignal.any([signal, own]);
  const dispatcher = agentFor(options.allowPrivate === true);
  const { request } = loadUndici();
  let current = url;
  try {
    for (let hop = 0; ; hop += 1) {
      const response = await request(current, {
        method: 'GET',
        dispatcher,
        signal: combined,
        headers: { accept: 'image/*' },
      });
      const { statusCode, headers, body } = response;
      if (statusCode >= 300 && statusCode < 400 && headers.location !== undefined) {
        discard(body);
        if (hop >= MAX_IMAGE_REDIRECTS)
          throw new InvalidRequestError(
            `${field}: more than ${MAX_IMAGE_REDIRECTS} redirects from ${previewValue(url)}`,
            {
              retryable: false,
            },
          );
        const next = new URL(String(headers.location), current);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          throw new InvalidRequestError(`${field}: the image URL redirects to a '${next.protocol}' URL`, {
            retryable: false,
          });
        current = next.href;
        continue;
      }
      if (statusCode < 200 || statusCode >= 300) {
        discard(body);
        throw new InvalidRequestError(
          `${field}: downloading the image ${previewValue(current)} answered HTTP ${statusCode}`,
          {
            retryable: statusCode >= 500 || statusCode === 429,
          },
        );
      }
      const length = Number(headers['content-length']);
      if (Number.isFinite(length) && length > maxBytes) {
        discard(body);
        throw tooLarge(field, length, maxBytes);
      }
      const bytes = await readCapped(body, maxBytes, field);
      const type = headers['content-type'];
      return { bytes, declaredType: typeof type === 'string' ? type.split(';')[0]?.trim() : undefined, url: current };
    }
  } catch (error) {
    if (signal?.aborted) throw signal.reason ?? error;
    if (error instanceof InvalidRequestError) throw error;
    const blocked = findBlocked(error);
    if (blocked !== undefined)
      throw new InvalidRequestError(
        `${field}: refusing to download ${previewValue(current)}: ${blocked.host} is ${blocked.address}, a ${blocked.reason} address` +
          (blocked.reason === 'cloud metadata'
            ? ' (never fetched)'
            : '; pass allowPrivateImageUrls: true to createSwitchboard to allow private addresses'),
        { retryable: false, cause: error },
      );
    if (own.aborted)
      throw new TimeoutError(
        `${field}: downloading the image ${previewValue(current)} took longer than ${timeoutMs} ms`,
        {
          cause: error,
        },
      );
    const detail = error instanceof Error ? error.message : String(error);
    throw new NetworkError(`${field}: could not download the image ${previewValue(current)}: ${detail}`, {
      cause: error,
    });
  }
}
