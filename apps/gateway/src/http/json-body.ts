/**
 * A request's JSON body, read straight from node:http for the direct model routes: size-capped
 * (the `Content-Length` is checked before a byte is read, the bytes as they come), decoded once,
 * and parsed with secure-json-parse's rules, the ones fastify applies to its own routes (a
 * `__proto__` key or a `constructor.prototype` is refused). Every refusal is a `GatewayError`
 * naming `body`, rendered by each API surface in its own error shape.
 */
import type { IncomingMessage } from 'node:http';
import secureJson from 'secure-json-parse';
import { GatewayError } from '../gateway-error.js';

/** Whether `type` (a `Content-Type` header) is JSON: `application/json`, any parameters after it. */
export function isJsonContentType(type: string | undefined): boolean {
  if (type === undefined) return false;
  // The common spelling first: one comparison for what every SDK sends.
  if (type === 'application/json') return true;
  const base = type.split(';', 1)[0] as string;
  return base.trim().toLowerCase() === 'application/json';
}

/** The refusal of a body over `limitBytes`, before or while it is read. */
function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError(413, `Request body is too large: the limit is ${limitBytes} bytes`, {
    param: 'body',
    code: 'request_too_large',
  });
}

/**
 * Reads and parses the body. Rejects with a 413 past `limitBytes`, a 400 for an empty body, bad
 * JSON or a poisoned prototype; a client that goes away mid-body rejects too (nothing waits forever).
 */
export function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let more: Buffer[] | undefined;
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        detach();
        // Whatever is still coming is read and dropped, so the answer can still be written.
        request.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      if (first === undefined) first = chunk;
      else {
        more ??= [first];
        more.push(chunk);
      }
    };
    const onEnd = (): void => {
      detach();
      const text = more === undefined ? (first?.toString('utf8') ?? '') : Buffer.concat(more, size).toString('utf8');
      try {
        resolve(parseJson(text));
      } catch (error) {
        reject(error);
      }
    };
    const onGone = (): void => {
      detach();
      reject(new GatewayError(400, 'The client closed the connection before the body was read', { param: 'body' }));
    };
    const detach = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onGone);
      request.off('close', onGone);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onGone);
    request.on('close', onGone);
  });
}

/** The JSON of `text`, refusing what fastify's JSON parser refuses, each as a 400 naming `body`. */
export function parseJson(text: string): unknown {
  if (text === '') {
    throw new GatewayError(400, "Invalid request: body cannot be empty when content-type is 'application/json'", {
      param: 'body',
    });
  }
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new GatewayError(400, `Invalid request: body is not valid JSON (${(error as Error).message})`, {
      param: 'body',
    });
  }
}
