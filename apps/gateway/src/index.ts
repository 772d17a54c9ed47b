/** `@switchboard/gateway`: the HTTP gateway as a library (the `switchboard-gateway` bin wraps it). */
export type { Caller, GatewayContext, GatewayRoutes, GatewaySettings } from './context.js';
