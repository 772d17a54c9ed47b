/**
 * The id of each request: the client's `x-request-id` when it is a plain token (so a caller can
 * follow its own id through logs and headers), else one the gateway makes. Shared by the fastify
 * routes and the direct ones (`direct-routes.ts`) so both name requests the same way.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A client id is kept when it is 1-128 characters of letters, digits, `_`, `.`, `:` and `-`. */
const CLIENT_ID = /^[\w.:-]{1,128}$/;

/**
 * Request ids in UUID form, unique across processes and cheaper than a `randomUUID()` per request:
 * the first 24 characters of one random UUID per process (74 random bits), then a 12-digit hex
 * counter (2^48 requests before it wraps).
 */
function requestIds(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let count = 0;
  return () => {
    count = (count + 1) % 0x1000000000000;
    return prefix + count.toString(16).padStart(12, '0');
  };
}
const nextRequestId = requestIds();

/** The request's id: the client's `x-request-id` when acceptable, else a new one. */
export function requestIdFor(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && CLIENT_ID.test(given) ? given : nextRequestId();
}
