/**
 * Preloaded (`node --import`) into Portkey's gateway by the gateway benchmark: its `start-server.js`
 * listens on every interface with no host option, and the benchmark keeps every server it starts on
 * 127.0.0.1. A `listen(port)` without a host is given 127.0.0.1; calls that name a host are left alone.
 */
import { Server } from 'node:net';

const listen = Server.prototype.listen as (...args: unknown[]) => Server;

Server.prototype.listen = function listenOnLoopback(this: Server, ...args: unknown[]): Server {
  const [first, second] = args;
  if (typeof first === 'number' && (second === undefined || second === null || typeof second === 'function')) {
    // listen(port), listen(port, callback), listen(port, undefined, callback) (what @hono/node-server calls).
    const rest = second === undefined || second === null ? args.slice(2) : args.slice(1);
    return listen.call(this, first, '127.0.0.1', ...rest);
  }
  if (
    typeof first === 'object' &&
    first !== null &&
    'port' in first &&
    (first as { host?: string }).host === undefined
  ) {
    return listen.call(this, { ...first, host: '127.0.0.1' }, ...args.slice(1));
  }
  return listen.apply(this, args);
} as typeof Server.prototype.listen;
