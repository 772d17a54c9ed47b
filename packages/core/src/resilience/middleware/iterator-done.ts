/**
 * The two constants every written-out stream iterator of the middleware uses (derive-stream, retry,
 * fallback, the terminal stage): one frozen "done" result, so ending a stream allocates nothing, and a
 * no-op to swallow a promise's outcome when closing an inner stream.
 */
export const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** Does nothing: `promise.then(noop, noop)` settles quietly. */
export function noop(): void {}
